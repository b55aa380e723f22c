"""Small analyses for the records tests: a child standing still in front of the camera (no drill finds its
movement in it), built in a few milliseconds instead of analysing a video."""

from __future__ import annotations

import numpy as np

from stsp_app.core.analysis import FrameResult, VideoAnalysis
from stsp_app.core.skeleton import JOINT_INDEX

STANDING_PLACES_PX = {
    "pelvis": (320, 300), "right_hip": (300, 300), "right_knee": (300, 380), "right_ankle": (300, 460),
    "left_hip": (340, 300), "left_knee": (340, 380), "left_ankle": (340, 460), "spine": (320, 250),
    "thorax": (320, 200), "neck_nose": (320, 170), "head": (320, 140), "left_shoulder": (350, 205),
    "left_elbow": (355, 260), "left_wrist": (355, 310), "right_shoulder": (290, 205), "right_elbow": (285, 260),
    "right_wrist": (285, 310),
}


def standing_analysis(frames: int = 90, stature_mm: float | None = None) -> VideoAnalysis:
    """``frames`` frames at 30 frames/s of a person standing still, as if lifted with ``stature_mm``."""
    kp2d = np.zeros((17, 3))
    kp2d[:, 2] = 0.9
    for name, xy in STANDING_PLACES_PX.items():
        kp2d[JOINT_INDEX[name], :2] = xy
    kp3d = np.concatenate([(kp2d[:, :2] - kp2d[JOINT_INDEX["pelvis"], :2]) * 5.0, np.zeros((17, 1))], axis=1)
    return VideoAnalysis(
        fps=30.0, width=640, height=480, frame_count=frames, source="standing",
        settings={"stature_mm": stature_mm},
        frames=[FrameResult(index=i, time_s=i / 30.0, person_id=1, kp2d=kp2d.copy(), kp3d_mm=kp3d.copy())
                for i in range(frames)])
