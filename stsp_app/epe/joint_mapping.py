"""BlazePose's 33 landmarks -> the project's 17 Human3.6M joints (written down in docs/formats.md)."""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import BLAZEPOSE_INDEX
from stsp_app.core.trunk_joints import place_trunk_joints

_B = BLAZEPOSE_INDEX

# H36M joints taken directly from one BlazePose landmark.
_DIRECT: dict[int, int] = {
    1: _B["right_hip"], 2: _B["right_knee"], 3: _B["right_ankle"],
    4: _B["left_hip"], 5: _B["left_knee"], 6: _B["left_ankle"],
    9: _B["nose"],
    11: _B["left_shoulder"], 12: _B["left_elbow"], 13: _B["left_wrist"],
    14: _B["right_shoulder"], 15: _B["right_elbow"], 16: _B["right_wrist"],
}
# The head top lies above the ears along the face's upward direction (mouth -> eyes); BlazePose has no
# landmark there. HEAD_TOP_ABOVE_EARS is the distance in units of |eyes - mouth| (about 6 cm on an adult
# face, the head top is about 10-12 cm above the ear line): an anatomical approximation, not fitted to data.
HEAD_TOP_ABOVE_EARS = 1.8


def blazepose_to_h36m(points: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """Map (..., 33, D) BlazePose points with (..., 33) confidences to (..., 17, D+1): coordinates + confidence.

    A joint built from several landmarks takes the smallest of their confidences; the pelvis, spine and thorax
    are placed from the hips and shoulders (``stsp_app.core.trunk_joints``).
    """
    points = np.asarray(points, dtype=np.float64)
    confidence = np.asarray(confidence, dtype=np.float64)
    out = np.zeros(points.shape[:-2] + (17, points.shape[-1] + 1))

    def put(joint: int, xyz: np.ndarray, conf: np.ndarray) -> None:
        out[..., joint, :-1] = xyz
        out[..., joint, -1] = conf

    for joint, landmark in _DIRECT.items():
        put(joint, points[..., landmark, :], confidence[..., landmark])

    def mid(a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
        ia, ib = _B[a], _B[b]
        return (points[..., ia, :] + points[..., ib, :]) / 2, np.minimum(confidence[..., ia], confidence[..., ib])

    ears, ears_conf = mid("left_ear", "right_ear")
    eyes, eyes_conf = mid("left_eye", "right_eye")
    mouth, mouth_conf = mid("mouth_left", "mouth_right")
    head = ears + HEAD_TOP_ABOVE_EARS * (eyes - mouth)
    put(10, head, np.minimum(ears_conf, np.minimum(eyes_conf, mouth_conf)))
    out[..., :-1], out[..., -1] = place_trunk_joints(out[..., :-1], out[..., -1])
    return out
