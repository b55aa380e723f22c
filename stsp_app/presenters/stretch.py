"""In and out points: the stretch of a long video to analyse (the 12 seconds of a match that matter).

The coach marks the in point and the out point on the timeline; the next analysis covers the frames from the in
point up to and including the out point (``stsp-coach analyze --start/--end`` does the same on the command line).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class AnalysisStretch:
    """The in and out frames the coach marked (None: from the start / to the end)."""

    in_frame: int | None = None
    out_frame: int | None = None

    def set_in(self, frame: int) -> None:
        """Mark the in point; an out point before it is dropped."""
        self.in_frame = frame
        if self.out_frame is not None and self.out_frame < frame:
            self.out_frame = None

    def set_out(self, frame: int) -> None:
        """Mark the out point (included); an in point after it is dropped."""
        self.out_frame = frame
        if self.in_frame is not None and self.in_frame > frame:
            self.in_frame = None

    def clear(self) -> None:
        self.in_frame = self.out_frame = None

    @property
    def is_set(self) -> bool:
        return self.in_frame is not None or self.out_frame is not None

    def frames(self, frame_count: int) -> tuple[int, int]:
        """(first frame, end frame excluded) of the stretch in a video of ``frame_count`` frames."""
        start = 0 if self.in_frame is None else min(self.in_frame, frame_count - 1)
        stop = frame_count if self.out_frame is None else min(self.out_frame + 1, frame_count)
        return start, max(stop, start + 1)

    def analysed_frames(self, frame_count: int) -> tuple[int, int] | None:
        """The stretch to analyse as ``AnalysisSettings.stretch``: None for the whole video."""
        start, stop = self.frames(frame_count)
        return None if (start, stop) == (0, frame_count) else (start, stop)

    def text(self, frame_count: int, fps: float) -> str:
        """``Analyse 0:12.4 to 0:24.0 (348 frames)``, or the whole video."""
        if not self.is_set:
            return "Analyse the whole video"
        start, stop = self.frames(frame_count)
        return f"Analyse {_clock(start / fps)} to {_clock((stop - 1) / fps)} ({stop - start} frames)"


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(seconds, 60.0)
    return f"{int(minutes)}:{seconds:04.1f}"
