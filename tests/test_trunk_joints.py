"""The trunk joints a picture does not show, placed from the hips and shoulders where the training rigs put
them."""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX, NUM_JOINTS
from stsp_app.core.trunk_joints import TRUNK_FRACTIONS, place_trunk_joints
from stsp_app.mocap.loading import iter_motions


def _standing_2d() -> tuple[np.ndarray, np.ndarray]:
    """(17, 2) points of an upright body (hips at y 300, shoulders at y 150) and their confidences."""
    points = np.full((NUM_JOINTS, 2), 50.0)
    placed_by_hand = {"left_hip": (120, 300), "right_hip": (80, 300), "left_shoulder": (130, 150),
                      "right_shoulder": (70, 150), "pelvis": (100, 330), "spine": (100, 250), "thorax": (100, 170)}
    for name, xy in placed_by_hand.items():
        points[JOINT_INDEX[name]] = xy
    confidence = np.full(NUM_JOINTS, 0.9)
    confidence[JOINT_INDEX["right_hip"]] = 0.3
    confidence[JOINT_INDEX["left_shoulder"]] = 0.6
    return points, confidence


def test_the_trunk_joints_are_placed_from_the_hips_and_shoulders():
    points, confidence = _standing_2d()
    placed, placed_confidence = place_trunk_joints(points, confidence)
    # the trunk line runs from (100, 300) up to (100, 150); whatever the rig's own trunk joints were, they go
    for joint, y, expected_confidence in (
            ("pelvis", 300 - 150 * TRUNK_FRACTIONS["pelvis_above_hips"], 0.3),
            ("spine", 300 - 150 * TRUNK_FRACTIONS["spine_above_hips"], 0.3),
            ("thorax", 150 - 150 * TRUNK_FRACTIONS["thorax_above_shoulders"], 0.6)):
        np.testing.assert_allclose(placed[JOINT_INDEX[joint]], [100, y])
        assert placed_confidence[JOINT_INDEX[joint]] == expected_confidence
    trunk = [JOINT_INDEX[name] for name in ("pelvis", "spine", "thorax")]
    others = [i for i in range(NUM_JOINTS) if i not in trunk]
    np.testing.assert_array_equal(placed[others], points[others])
    assert points[JOINT_INDEX["pelvis"], 1] == 330  # the input is left as it was
    again, _ = place_trunk_joints(placed, placed_confidence)
    np.testing.assert_allclose(again, placed)  # placing twice changes nothing


def test_unseen_shoulders_leave_the_pelvis_at_the_hips():
    points, confidence = _standing_2d()
    points[JOINT_INDEX["left_shoulder"]] = np.nan
    placed, _ = place_trunk_joints(points, confidence)
    np.testing.assert_allclose(placed[JOINT_INDEX["pelvis"]], [100, 300])


def _along_trunk(joints_mm: np.ndarray, joint: str, origin: str) -> np.ndarray:
    """(T,) how far a joint lies from the hips' or the shoulders' midpoint (``origin``) along the trunk line,
    in lengths of that line."""
    def midpoint(name: str) -> np.ndarray:
        return (joints_mm[:, JOINT_INDEX[f"left_{name}"]] + joints_mm[:, JOINT_INDEX[f"right_{name}"]]) / 2

    trunk = midpoint("shoulder") - midpoint("hip")
    offset = joints_mm[:, JOINT_INDEX[joint]] - midpoint(origin)
    return np.sum(offset * trunk, axis=-1) / np.sum(trunk * trunk, axis=-1)


def test_trunk_joints_sit_where_the_training_rigs_put_them(shared_data):
    """The lifter learnt its 2D from the rigs of mocap/train: the mapping's pelvis, spine and thorax are the
    medians, over every training frame, of where those rigs place them along the trunk line."""
    placements = {"pelvis_above_hips": ("pelvis", "hip"), "spine_above_hips": ("spine", "hip"),
                  "thorax_above_shoulders": ("thorax", "shoulder")}
    fractions: dict[str, list[np.ndarray]] = {name: [] for name in placements}
    for motion in iter_motions(shared_data / "mocap" / "train"):
        for name, (joint, origin) in placements.items():
            fractions[name].append(_along_trunk(motion.joints_mm, joint, origin))
    assert sum(len(part) for part in fractions["pelvis_above_hips"]) > 90_000  # every training frame
    assert set(placements) == set(TRUNK_FRACTIONS)
    for name, parts in fractions.items():
        assert abs(np.median(np.concatenate(parts)) - TRUNK_FRACTIONS[name]) < 0.01, name
