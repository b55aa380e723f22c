"""Records for the report tests: children with sessions whose analyses are built in the test (synthetic jumps,
a child standing still) or come from a real clip, and whose drill results come from running the real drills."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from stsp_app.core.analysis import FrameResult, VideoAnalysis
from stsp_app.core.content_hash import file_sha256
from stsp_app.drills import recording_from_analysis, run_drill
from stsp_app.records import RecordStore, Session
from tests.synthetic_jumps import jump_recording


def jump_analysis(takeoff_s: float, flight_time_s: float, knee_valgus_px: float = 0.0) -> VideoAnalysis:
    """A 2D-only analysis of one synthetic countermovement jump, filmed from the front."""
    recording = jump_recording([takeoff_s], [flight_time_s], knee_valgus_px=knee_valgus_px)
    motion = recording.motion
    frames = [FrameResult(index=i, time_s=float(t), person_id=1, kp2d=motion.kp2d[i].copy())
              for i, t in enumerate(motion.time_s)]
    width, height = recording.image_size_px
    return VideoAnalysis(fps=recording.fps, width=width, height=height, frame_count=len(frames),
                         source="synthetic_jump.mp4", frames=frames, settings={"stature_mm": recording.stature_mm})


def add_drill_session(store: RecordStore, child_id: int, drill: str, analysis: VideoAnalysis, when: datetime,
                      video: Path | None = None, notes: str = "") -> Session:
    """A session whose drill result is the real drill run on ``analysis`` (``video``: the analysed file)."""
    result = run_drill(drill, recording_from_analysis(analysis)).to_json_dict()
    return store.add_session(child_id, recorded_at=when, drill=drill, analysis=analysis, drill_result=result,
                             video_path=None if video is None else str(video),
                             video_sha256=None if video is None else file_sha256(video), coach_notes=notes)
