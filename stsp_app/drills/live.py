"""A drill run live, frame by frame, with the same drill code as for a video.

The live view pushes every analysed frame. Every ``every_frames`` frames the drill runs again on the last
``window_s`` seconds; a repetition (a jump, a squat) or an event is reported once it ended at least
``settle_s`` before the newest frame, so that later frames can no longer change it, and only once. The jump
height therefore appears a moment (``settle_s``) after each landing, and a squat's depth once the child
stands up again. The window holds one person: when the live view follows someone else (the child left the
picture and another person came in), the window starts again with them. Once the live analysis has read how far
the camera is turned (``Pipeline.live_roll_deg``), the drill reads the picture levelled, as its 3D is.

The live view shows the 2D through a causal filter and the live lifter's 3D. Where the frames carry the 2D from
before that filter (``FrameResult.kp2d_unfiltered``, as the live pipeline gives them), the drill reads its window
as a video file's drill reads a clip: the 2D through the file's own 2D steps, and the offline lifter's 3D
(:mod:`stsp_app.drills.live_window`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from stsp_app.drills import get_drill, run_drill
from stsp_app.drills.base import MovementNotFound, Recording
from stsp_app.drills.live_window import FINAL_S, FileLikeWindow
from stsp_app.drills.result import DrillResult, Event, Metric, Rep
from stsp_app.kinematics.motion_series import FrameLike

DEFAULT_WINDOW_S = 20.0
DEFAULT_SETTLE_S = 0.7
DEFAULT_EVERY_S = 0.25


@dataclass
class LiveDrillState:
    """What the live drill has reported so far: final reps and events, and the latest window's metrics."""

    reps: list[Rep] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    metrics: dict[str, Metric] = field(default_factory=dict)


class LiveDrill:
    def __init__(self, name: str, fps: float, image_size_px: tuple[int, int], stature_mm: float | None = None,
                 window_s: float = DEFAULT_WINDOW_S, settle_s: float | None = None,
                 every_s: float = DEFAULT_EVERY_S, smoothing: float = 1.0) -> None:
        """``settle_s``: how long after it ends a rep or an event is reported; by default DEFAULT_SETTLE_S, or
        for a drill that reads further ahead (``Drill.reads_ahead_s``) that and the time a frame's 2D and 3D take
        to become final (``live_window.FINAL_S``). ``smoothing``: the analysis settings' strength, which sets the
        zero-lag filter's cut-off as for a video file (6 Hz ÷ strength; 0: unfiltered)."""
        self.drill = get_drill(name)
        self.fps = fps
        self.image_size_px = image_size_px
        self.stature_mm = stature_mm
        self._window = FileLikeWindow(stature_mm, smoothing)
        self._window_frames = max(2, round(window_s * fps))
        if settle_s is None:
            settle_s = max(DEFAULT_SETTLE_S, getattr(self.drill, "reads_ahead_s", 0.0) + FINAL_S)
        self._settle_frames = max(1, round(settle_s * fps))
        self._every_frames = max(1, round(every_s * fps))
        self._frames: list[FrameLike] = []
        self._person_id: int | None = None
        self._since_run = 0
        self.roll_deg: float | None = None  # the camera's turn, once the live analysis has read it
        self.pitch_deg: float | None = None  # and its pitch, where the background tells it
        self.state = LiveDrillState()

    def reset(self) -> None:
        self._frames.clear()
        self._window.reset()
        self._person_id = None
        self._since_run = 0
        self.state = LiveDrillState()

    def push(self, frame: FrameLike, image_size_px: tuple[int, int] | None = None,
             roll_deg: float | None = None, pitch_deg: float | None = None) -> bool:
        """Add the newest analysed frame; True when something new became final (a rep, an event).
        ``image_size_px`` (width, height), where given, is the frame's own: a camera may not deliver the size
        asked of it, and a file keeps its own. ``roll_deg``, where given, is how far the camera is turned
        (``Pipeline.live_roll_deg``): the window's picture is read levelled from then on; ``pitch_deg``
        (``Pipeline.live_pitch_deg``), the phone's pitch, turns the window's 3D upright as a file's is."""
        if image_size_px is not None:
            self.image_size_px = image_size_px
        if roll_deg is not None:
            self.roll_deg = roll_deg
        if pitch_deg is not None:
            self.pitch_deg = pitch_deg
        person_id = getattr(frame, "person_id", None) if frame.kp2d is not None else None
        if person_id is not None and person_id != self._person_id:
            if self._person_id is not None:  # someone else from now on: nothing of the last person's movement counts
                self._frames.clear()
                self._window.reset()
            self._person_id = person_id
        self._frames.append(frame)
        del self._frames[:-self._window_frames]
        self._since_run += 1
        if self._since_run < self._every_frames:
            return False
        self._since_run = 0
        return self._update()

    def finish(self) -> bool:
        """The recording ended: everything found in the last window is final."""
        return self._update(final=True)

    def _update(self, final: bool = False) -> bool:
        result = self._run()
        if result is None:
            return False
        newest_frame = self._frames[-1].index
        settled = newest_frame if final else newest_frame - self._settle_frames
        changed = False
        for rep in result.reps:
            if rep.end_frame <= settled and not any(_overlaps(rep, known) for known in self.state.reps):
                self.state.reps.append(rep)
                changed = True
        for event in result.events:
            if event.frame <= settled and not any(_same_event(event, known) for known in self.state.events):
                self.state.events.append(event)
                changed = True
        if changed:
            self.state.metrics = dict(result.metrics)
        return changed

    def summary_text(self) -> str:
        """What the coach reads in the live view: the drill, how many reps so far and the last one's numbers
        (or, without reps, the headline metrics such as the cadence)."""
        state = self.state
        if state.reps:
            last = state.reps[-1]
            numbers = "; ".join(_metric_text(metric) for metric in list(last.metrics.values())[:3])
            return f"{self.drill.title}: {len(state.reps)} so far. Last: {numbers}"
        if state.metrics:
            numbers = "; ".join(_metric_text(metric) for metric in list(state.metrics.values())[:3])
            return f"{self.drill.title}: {numbers}"
        return f"{self.drill.title}: waiting for the first {self.drill.movement}…"

    def _analysed_rate(self) -> float:
        """Frames per second of the frames analysed: a live view that cannot keep up analyses fewer frames
        than the camera sends, and the drill must read its rows at that rate, not the camera's."""
        span_s = self._frames[-1].time_s - self._frames[0].time_s
        return (len(self._frames) - 1) / span_s if span_s > 0 else self.fps

    def _run(self) -> DrillResult | None:
        if len(self._frames) < 3:
            return None
        fps = self._analysed_rate()
        motion, lift_frames_alone = self._window.motion(self._frames, fps, self.image_size_px, self.roll_deg,
                                                        self.pitch_deg)
        recording = Recording(motion=motion, fps=fps, image_size_px=self.image_size_px, stature_mm=self.stature_mm,
                              lift_frames_alone=lift_frames_alone)
        try:
            return run_drill(self.drill.name, recording)  # the checks every drill's run has (a picture on its side)
        except MovementNotFound:
            return None

def _metric_text(metric: Metric) -> str:
    value = metric.value
    if value is None:
        return f"{metric.label}: not measured"
    if isinstance(value, bool):
        return f"{metric.label}: {'yes' if value else 'no'}"
    shown = str(value) if isinstance(value, int) else f"{value:.0f}" if abs(value) >= 10 else f"{value:.2f}"
    side = f" ({metric.side})" if metric.side and metric.side not in metric.label.lower() else ""
    return f"{metric.label}{side}: {shown} {metric.unit}".rstrip()


def _overlaps(rep: Rep, other: Rep) -> bool:
    return rep.start_frame <= other.end_frame and other.start_frame <= rep.end_frame


def _same_event(event: Event, other: Event, tolerance_frames: int = 2) -> bool:
    return event.kind == other.kind and event.side == other.side and abs(event.frame - other.frame) <= tolerance_frames
