"""``stsp-coach eval-drills --part live``: the drills run live against the same drills on the video file.

Each clip of CASES is played as a live camera (the live pipeline frame by frame into ``LiveDrill``, as the app's
live view runs it, ``stsp_app.live_job``) and analysed as a video file (``stsp-coach analyze``, then the drill).
Reported per clip: the events each gives, whether every event of the file is found live within a frame with its
kind and side (and which live ones the file has not), the largest difference between the two readings over the
angles, and the drill's headline figure both ways; for the sprints, the hand labels within a frame both ways
(``run_validation``).
"""

from __future__ import annotations

from pathlib import Path

from stsp_app.drills import DrillResult, MovementNotFound, run_drill
from stsp_app.drills.live import LiveDrill
from stsp_app.drills.result import Event
from stsp_app.evaluation.run_validation import label_errors_frames, labelled_frames
from stsp_app.evaluation.squat_validation import video_recording

CASES = (("sprint_start_a1.mp4", "run"), ("sprint_start_b1.mp4", "run"), ("cmj_teen_front.mp4", "vertical-jump"),
         ("cmj_teen_front.mp4", "drop-jump"), ("squat_side.mp4", "squat"), ("dribble_coach_and_player.mp4", "throw"),
         ("rugby_kick.mp4", "kick"))
HEADLINE = {"run": "cadence_steps_per_min", "vertical-jump": "jump_height_cm",
            "drop-jump": "left_knee_fppa_at_peak_flexion_deg",
            "squat": "knee_flexion_peak_mean_deg", "throw": "peak_hand_speed_heights_s",
            "kick": "peak_foot_speed_heights_s"}


def played_live(video_path: Path, drill: str) -> LiveDrill:
    """The drill as the live view runs it on ``video_path`` played as its camera, every frame analysed."""
    from stsp_app.core.video_source import VideoSource
    from stsp_app.pipeline import Pipeline

    video = VideoSource(video_path)
    pipeline = Pipeline(live=True, fps=video.fps)
    live = LiveDrill(drill, video.fps, (video.width, video.height))
    for index, time_s, picture in video.frames():
        live.push(pipeline.process_frame(picture, index, time_s), (video.width, video.height),
                  pipeline.live_roll_deg, pipeline.live_pitch_deg)
    live.finish()
    return live


def validate(shared_data_dir: Path, cases: tuple[tuple[str, str], ...] = CASES) -> str:
    labels = labelled_frames(shared_data_dir)
    lines = ["Each clip played as a live camera (the live pipeline frame by frame, as the live view runs it) against "
             "the same drill on the video file.", "",
             "| clip | drill | events (reps) live | events (reps) from the file "
             "| the file's found live (±1 frame, kind, side) | largest angle difference deg | headline live / file "
             "| hand labels within a frame live / file |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for clip, drill in cases:
        path = Path(shared_data_dir) / "video" / clip
        live = played_live(path, drill)
        try:
            file: DrillResult | None = run_drill(drill, video_recording(path))
        except MovementNotFound:
            file = None
        file_events = [] if file is None else file.events
        found = sum(any(_same(event, other) for other in live.state.events) for event in file_events)
        extra = [event for event in live.state.events if not any(_same(event, other) for other in file_events)]
        file_metrics = {} if file is None else file.metrics
        angle_gaps = [abs(live.state.metrics[name].value - metric.value) for name, metric in file_metrics.items()
                      if metric.unit == "deg" and name in live.state.metrics
                      and isinstance(metric.value, float) and isinstance(live.state.metrics[name].value, float)]
        headline = HEADLINE.get(drill, "")
        found_text = f"{found} of {len(file_events)}" + (
            f"; live only: {', '.join(_name(event) for event in extra)}" if extra else "")
        angle_text = f"{max(angle_gaps):.1f}" if angle_gaps else "—"
        file_reps = [] if file is None else file.reps
        lines.append(f"| {clip} | {drill} | {_count(live.state.events, live.state.reps)} | "
                     f"{_count(file_events, file_reps)} | {found_text} | "
                     f"{angle_text} | {_value(live.state.metrics.get(headline))} / "
                     f"{_value(file_metrics.get(headline))} | "
                     f"{_labels_text(labels.get(clip), live.state.events, file_events)} |")
    return "\n".join(lines)


def _count(events: list, reps: list) -> str:
    return f"{len(events)}" + (f" ({len(reps)})" if reps else "")


def _same(event: Event, other: Event) -> bool:
    return abs(event.frame - other.frame) <= 1 and (event.kind, event.side) == (other.kind, other.side)


def _name(event: Event) -> str:
    return f"{event.frame} {event.kind}" + (f" {event.side}" if event.side else "")


def _value(metric) -> str:
    if metric is None or metric.value is None:
        return "—"
    return f"{metric.value:.2f}" if isinstance(metric.value, float) else str(metric.value)


def _labels_text(labels: list[int] | None, live_events: list[Event], file_events: list[Event]) -> str:
    if not labels:
        return "—"
    counts = [sum(error is not None and abs(error) <= 1
                  for error in label_errors_frames(labels, [event.frame for event in events]))
              for events in (live_events, file_events)]
    return f"{counts[0]} / {counts[1]} of {len(labels)}"
