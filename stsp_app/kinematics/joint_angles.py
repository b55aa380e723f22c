"""Joint angles for the coach's charts, from 17-joint 3D poses (mm) or, as a fallback, 2D image keypoints.

Definitions and conventions are in docs/metrics.md, "Joint angles". In short, all angles are in degrees and
unsigned:

- knee flexion: 180° minus the angle at the knee between thigh and shank (0° when the leg is straight);
- hip flexion: angle between the thigh (hip→knee) and the trunk's downward line (thorax→pelvis), 0° standing;
- elbow flexion: 180° minus the angle at the elbow between upper arm and forearm (0° when the arm is straight);
- shoulder elevation: angle between the upper arm (shoulder→elbow) and the trunk's downward line, 0° with the
  arm hanging, 90° horizontal, 180° straight up;
- trunk lean: angle between the trunk (pelvis→thorax) and straight up (the 3D's −y axis: gravity's where the
  analysis read the phone's pitch, ``lifting.upright``), 0° upright.

The 2D fallback applies the same formulas to image-plane positions: the results are *projected* angles that
depend on the camera's viewpoint and are labelled as such (``AngleSeries.is_3d`` is False).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX, NUM_JOINTS

# The chart series, in display order: (name, label).
ANGLE_LABELS: dict[str, str] = {
    "left_knee_flexion": "Left knee flexion",
    "right_knee_flexion": "Right knee flexion",
    "left_hip_flexion": "Left hip flexion",
    "right_hip_flexion": "Right hip flexion",
    "left_elbow_flexion": "Left elbow flexion",
    "right_elbow_flexion": "Right elbow flexion",
    "left_shoulder_elevation": "Left shoulder elevation",
    "right_shoulder_elevation": "Right shoulder elevation",
    "trunk_lean": "Trunk lean",
}
ANGLE_NAMES: tuple[str, ...] = tuple(ANGLE_LABELS)

# 2D keypoints below this confidence do not count: angles that need them are NaN.
MIN_CONFIDENCE_2D = 0.3

_J = JOINT_INDEX


@dataclass
class AngleSeries:
    """Joint angles over time: ``degrees[name]`` has one value per frame (NaN where the pose is missing)."""

    degrees: dict[str, np.ndarray]
    is_3d: bool

    @property
    def frame_count(self) -> int:
        return len(next(iter(self.degrees.values())))


def _angle_between_deg(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle in degrees between vectors a and b (..., D); NaN where either has zero length."""
    norms = np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cosine = np.sum(a * b, axis=-1) / norms
    cosine = np.where(norms > 1e-9, np.clip(cosine, -1.0, 1.0), np.nan)
    return np.degrees(np.arccos(cosine))


def _flexion_deg(joints: np.ndarray, proximal: str, middle: str, distal: str) -> np.ndarray:
    """180° minus the inner angle at ``middle``: 0° when the three joints lie on a straight line."""
    inner = _angle_between_deg(joints[..., _J[proximal], :] - joints[..., _J[middle], :],
                               joints[..., _J[distal], :] - joints[..., _J[middle], :])
    return 180.0 - inner


def _angles_from_positions(joints: np.ndarray) -> dict[str, np.ndarray]:
    """All angles for positions (T, 17, D), D = 2 or 3, with image/camera axes (y pointing down)."""
    trunk_down = joints[..., _J["pelvis"], :] - joints[..., _J["thorax"], :]
    up = np.zeros(joints.shape[-1])
    up[1] = -1.0
    degrees: dict[str, np.ndarray] = {}
    for side in ("left", "right"):
        degrees[f"{side}_knee_flexion"] = _flexion_deg(joints, f"{side}_hip", f"{side}_knee", f"{side}_ankle")
        degrees[f"{side}_hip_flexion"] = _angle_between_deg(
            joints[..., _J[f"{side}_knee"], :] - joints[..., _J[f"{side}_hip"], :], trunk_down)
        degrees[f"{side}_elbow_flexion"] = _flexion_deg(
            joints, f"{side}_shoulder", f"{side}_elbow", f"{side}_wrist")
        degrees[f"{side}_shoulder_elevation"] = _angle_between_deg(
            joints[..., _J[f"{side}_elbow"], :] - joints[..., _J[f"{side}_shoulder"], :], trunk_down)
    degrees["trunk_lean"] = _angle_between_deg(-trunk_down, np.broadcast_to(up, trunk_down.shape))
    return {name: degrees[name] for name in ANGLE_NAMES}


def joint_angles_3d(kp3d_mm: np.ndarray) -> AngleSeries:
    """Angles from 3D poses (T, 17, 3) in camera axes (x right, y down, z away); NaN rows for missing poses."""
    joints = np.asarray(kp3d_mm, dtype=np.float64)
    if joints.ndim != 3 or joints.shape[1:] != (NUM_JOINTS, 3):
        raise ValueError(f"expected 3D poses of shape (T, {NUM_JOINTS}, 3), got {joints.shape}")
    return AngleSeries(degrees=_angles_from_positions(joints), is_3d=True)


def joint_angles_2d(kp2d_px: np.ndarray, min_confidence: float = MIN_CONFIDENCE_2D) -> AngleSeries:
    """Projected (image-plane) angles from 2D keypoints (T, 17, 3): x_px, y_px, confidence.

    Keypoints with confidence below ``min_confidence`` are treated as missing, so angles using them are NaN.
    """
    keypoints = np.asarray(kp2d_px, dtype=np.float64)
    if keypoints.ndim != 3 or keypoints.shape[1:] != (NUM_JOINTS, 3):
        raise ValueError(f"expected 2D keypoints of shape (T, {NUM_JOINTS}, 3), got {keypoints.shape}")
    positions = keypoints[..., :2].copy()
    positions[keypoints[..., 2] < min_confidence] = np.nan
    return AngleSeries(degrees=_angles_from_positions(positions), is_3d=False)
