"""The three trunk joints a picture does not show, placed from the hips and the shoulders it does.

The 17-joint skeleton has a pelvis, a spine and a thorax joint; BlazePose has no landmark there, so the 2D
stage places them on the trunk line (the hips' midpoint to the shoulders' midpoint) where the lifter's training
rigs put them, as fractions of that line's length: the pelvis above the hips' midpoint, the spine above it, the
thorax above the shoulders' midpoint. Medians over every frame of shared/data/mocap/train (97,000 frames;
tests/test_trunk_joints.py measures them again). Placed at the hips' and shoulders' midpoints, as before
session 17, they gave the lifter a trunk unlike any it learnt from, and real straight knees read twice as bent
(docs/RESULTS.md, "Why knees are pulled toward the mean").
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX

TRUNK_FRACTIONS: dict[str, float] = {"pelvis_above_hips": 0.185, "spine_above_hips": 0.632,
                                     "thorax_above_shoulders": 0.045}


def place_trunk_joints(points: np.ndarray, confidence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(..., 17, D) points and (..., 17) confidences with the pelvis, spine and thorax placed anew from the
    hips and shoulders (copies). The pelvis takes the hips' smaller confidence, the thorax the shoulders', the
    spine, between them, the smaller of the two (an upper-body close-up keeps its thorax)."""
    points = np.array(points, dtype=np.float64)
    confidence = np.array(confidence, dtype=np.float64)

    def midpoint(name: str) -> tuple[np.ndarray, np.ndarray]:
        left, right = JOINT_INDEX[f"left_{name}"], JOINT_INDEX[f"right_{name}"]
        return ((points[..., left, :] + points[..., right, :]) / 2,
                np.minimum(confidence[..., left], confidence[..., right]))

    hips, hips_confidence = midpoint("hip")
    shoulders, shoulders_confidence = midpoint("shoulder")
    trunk = shoulders - hips
    trunk = np.where(np.isfinite(trunk), trunk, 0.0)  # shoulders unseen: the pelvis at the hips' midpoint
    placed = {
        "pelvis": (hips + TRUNK_FRACTIONS["pelvis_above_hips"] * trunk, hips_confidence),
        "spine": (hips + TRUNK_FRACTIONS["spine_above_hips"] * trunk,
                  np.minimum(hips_confidence, shoulders_confidence)),
        "thorax": (shoulders + TRUNK_FRACTIONS["thorax_above_shoulders"] * trunk, shoulders_confidence),
    }
    for joint, (position, joint_confidence) in placed.items():
        points[..., JOINT_INDEX[joint], :] = position
        confidence[..., JOINT_INDEX[joint]] = joint_confidence
    return points, confidence
