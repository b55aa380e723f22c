"""A drill's input from an analysis (``keypoints.json`` or the pipeline's result)."""

from __future__ import annotations

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.drills.base import Recording
from stsp_app.errors import InputError
from stsp_app.kinematics.motion_series import motion_series


def recording_from_analysis(analysis: VideoAnalysis, stature_mm: float | None = None) -> Recording:
    """The recording of the analysed person. ``stature_mm`` defaults to the one the analysis was lifted with."""
    if analysis.frames_with_person == 0:
        raise InputError(f"{analysis.source or 'the analysis'}: nobody was found in any frame")
    if stature_mm is None:
        stature_mm = analysis.settings.get("stature_mm")
    return Recording(
        motion=motion_series(analysis.frames),
        fps=float(analysis.fps),
        image_size_px=(int(analysis.width), int(analysis.height)),
        stature_mm=None if stature_mm is None else float(stature_mm),
    )
