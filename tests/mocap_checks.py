"""Measurements shared by the motion-capture importer tests (real data, no fixtures of our own)."""

from __future__ import annotations

import numpy as np

from stsp_app.core.paths import shared_data_dir
from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.mocap import Motion

DATA = shared_data_dir()
# Bones that are one rigid segment in every marker-based source: femur, tibia, upper arm, forearm.
LIMB_BONES = [
    (f"{side}_{a}", f"{side}_{b}")
    for side in ("left", "right")
    for a, b in (("hip", "knee"), ("knee", "ankle"), ("shoulder", "elbow"), ("elbow", "wrist"))
]


def joint(motion: Motion, name: str) -> np.ndarray:
    return motion.joints_mm[:, JOINT_INDEX[name]].astype(np.float64)


def bone_length_mm(motion: Motion, a: str, b: str) -> np.ndarray:
    return np.linalg.norm(joint(motion, a) - joint(motion, b), axis=-1)


def head_to_ankles_mm(motion: Motion) -> np.ndarray:
    """Per frame, the distance from the head joint to the midpoint of the ankles (tilt-free height proxy)."""
    ankles = (joint(motion, "left_ankle") + joint(motion, "right_ankle")) / 2
    return np.linalg.norm(joint(motion, "head") - ankles, axis=-1)


def fraction_moving_forward(motion: Motion, min_speed_mm_s: float = 300.0) -> tuple[float, int]:
    """Among frames where the pelvis moves horizontally faster than ``min_speed_mm_s``, the fraction whose
    velocity points along the subject's forward, (left hip - right hip) x up. Near 1 when left is the
    subject's own left (and +Y is up); near 0 when left and right are swapped."""
    step = max(1, int(round(motion.fps / 4)))
    pelvis = joint(motion, "pelvis")
    velocity = pelvis[2 * step:] - pelvis[: -2 * step]
    velocity[:, 1] = 0.0
    left = (joint(motion, "left_hip") - joint(motion, "right_hip"))[step:-step]
    forward = np.cross(left, [0.0, 1.0, 0.0])
    speed = np.linalg.norm(velocity, axis=1) * motion.fps / (2 * step)
    moving = speed > min_speed_mm_s
    if not moving.any():
        return 0.0, 0
    return float((np.einsum("ij,ij->i", velocity[moving], forward[moving]) > 0).mean()), int(moving.sum())


def assert_sane(motion: Motion) -> None:
    assert motion.num_frames > 0
    assert motion.joints_mm.dtype == np.float32 and motion.joints_mm.shape[1:] == (17, 3)
    assert np.isfinite(motion.joints_mm).all()
    # +Y up: the head is above both ankles in most frames.
    head_y = joint(motion, "head")[:, 1]
    assert (head_y > joint(motion, "left_ankle")[:, 1]).mean() > 0.9
    assert (head_y > joint(motion, "right_ankle")[:, 1]).mean() > 0.9
    # Left shoulder and left hip are on the same side of the body.
    shoulders = joint(motion, "left_shoulder") - joint(motion, "right_shoulder")
    hips = joint(motion, "left_hip") - joint(motion, "right_hip")
    assert (np.einsum("ij,ij->i", shoulders, hips) > 0).mean() > 0.9


def foot_length_mm(motion: Motion) -> np.ndarray:
    """(T, 2) left, right: from each ankle joint to the foot's front-most point the source tracks (toes_mm)."""
    ankles = motion.joints_mm[:, [JOINT_INDEX["left_ankle"], JOINT_INDEX["right_ankle"]]]
    return np.linalg.norm(motion.toes_mm - ankles, axis=-1)
