"""A drill's input from an analysis (``keypoints.json`` or the pipeline's result)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

import numpy as np

from stsp_app.core.analysis import FrameResult, VideoAnalysis
from stsp_app.drills.base import Recording
from stsp_app.epe.camera_motion import to_scene
from stsp_app.errors import InputError
from stsp_app.kinematics.motion_series import motion_series
from stsp_app.lifting.lifter import Lifter

FRAME_LIFTING_MODEL = "gsr"  # each frame alone: no temporal model to smooth the peaks


def recording_from_analysis(analysis: VideoAnalysis, stature_mm: float | None = None) -> Recording:
    """The recording of the analysed person. ``stature_mm`` defaults to the one the analysis was lifted with.

    Where the analysis followed the camera (a phone held by hand), the drills read the 2D on the first frame's
    picture (``FrameResult.scene_from_image``): a foot on the ground then stays still while the picture sways.
    Angles in the picture do not change with it; the lifter reads each frame's own 2D."""
    if analysis.frames_with_person == 0:
        raise InputError(f"{analysis.source or 'the analysis'}: nobody was found in any frame")
    if stature_mm is None:
        stature_mm = analysis.settings.get("stature_mm")
    motion = motion_series(frames_on_scene(analysis.frames))
    fps = float(analysis.fps)
    return Recording(
        motion=motion,
        fps=fps,
        image_size_px=(int(analysis.width), int(analysis.height)),
        stature_mm=None if stature_mm is None else float(stature_mm),
        lift_frames_alone=(functools.partial(frame_poses_mm, analysis.kp2d_array(), fps, stature_mm)
                           if motion.has_3d else None),
        camera_not_followed_share=analysis.settings.get("camera_frames_not_followed", 0) / len(analysis.frames),
    )


def frames_on_scene(frames: Iterable[FrameResult]) -> list[FrameResult]:
    """The frames with their keypoints and landmarks mapped onto the first frame's picture, where the analysis
    followed the camera (frames without ``scene_from_image`` as they are)."""
    return [frame if frame.scene_from_image is None else dataclasses.replace(
        frame,
        kp2d=None if frame.kp2d is None else to_scene(frame.kp2d, frame.scene_from_image),
        kp2d_raw33=None if frame.kp2d_raw33 is None else to_scene(frame.kp2d_raw33, frame.scene_from_image),
    ) for frame in frames]


def frame_poses_mm(kp2d: np.ndarray, fps: float, stature_mm: float | None) -> np.ndarray:
    """(T, 17, 3) mm: each frame of the (T, 17, 3) 2D keypoints lifted alone (Recording.lift_frames_alone)."""
    return _frame_lifter().lift_sequence(kp2d, fps, stature_mm)


@functools.cache
def _frame_lifter() -> Lifter:
    return Lifter(FRAME_LIFTING_MODEL)
