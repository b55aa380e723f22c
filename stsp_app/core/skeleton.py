"""The 17-joint Human3.6M skeleton used everywhere in the project (docs/formats.md).

Every stage, importer and metric speaks this joint order; nothing else in the project hard-codes joint
indices.
"""

from __future__ import annotations

import numpy as np

JOINT_NAMES: tuple[str, ...] = (
    "pelvis",          # 0
    "right_hip",       # 1
    "right_knee",      # 2
    "right_ankle",     # 3
    "left_hip",        # 4
    "left_knee",       # 5
    "left_ankle",      # 6
    "spine",           # 7
    "thorax",          # 8
    "neck_nose",       # 9
    "head",            # 10
    "left_shoulder",   # 11
    "left_elbow",      # 12
    "left_wrist",      # 13
    "right_shoulder",  # 14
    "right_elbow",     # 15
    "right_wrist",     # 16
)
NUM_JOINTS = len(JOINT_NAMES)
JOINT_INDEX: dict[str, int] = {name: i for i, name in enumerate(JOINT_NAMES)}

# BlazePose's 33 landmarks, in its output order ("left"/"right" are the person's own sides). The 2D stage maps
# them onto the 17 joints above (stsp_app.epe.joint_mapping) and keeps them beside them (heels, toes, face).
BLAZEPOSE_LANDMARK_NAMES: tuple[str, ...] = (
    "nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
    "right_elbow", "left_wrist", "right_wrist", "left_pinky", "right_pinky", "left_index", "right_index",
    "left_thumb", "right_thumb", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    "left_heel", "right_heel", "left_foot_index", "right_foot_index",
)
NUM_BLAZEPOSE_LANDMARKS = len(BLAZEPOSE_LANDMARK_NAMES)
BLAZEPOSE_INDEX: dict[str, int] = {name: i for i, name in enumerate(BLAZEPOSE_LANDMARK_NAMES)}

# Kinematic tree: parent of each joint (-1 for the root, the pelvis).
PARENTS: tuple[int, ...] = (-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 9, 8, 11, 12, 8, 14, 15)

# Bones as (parent, child) pairs, in joint order.
BONES: tuple[tuple[int, int], ...] = tuple((p, c) for c, p in enumerate(PARENTS) if p >= 0)

LEFT_JOINTS: tuple[int, ...] = (4, 5, 6, 11, 12, 13)
RIGHT_JOINTS: tuple[int, ...] = (1, 2, 3, 14, 15, 16)
CENTRE_JOINTS: tuple[int, ...] = (0, 7, 8, 9, 10)

# Index permutation that swaps left and right (used for flip augmentation and left/right-swap noise).
MIRROR_PERMUTATION: tuple[int, ...] = tuple(
    {**dict(zip(LEFT_JOINTS, RIGHT_JOINTS)), **dict(zip(RIGHT_JOINTS, LEFT_JOINTS))}.get(j, j)
    for j in range(NUM_JOINTS)
)


def bone_side(parent: int, child: int) -> str:
    """'left', 'right' or 'centre' for a bone, for drawing the two sides in different colours."""
    if child in LEFT_JOINTS:
        return "left"
    if child in RIGHT_JOINTS:
        return "right"
    return "centre"


def box_size(points: np.ndarray) -> np.ndarray:
    """The person's size as the evaluation reports it: max(width, height) of the box around all the joints.

    (..., J, 2) -> (...). The lifters' input normalisation uses a confidence-aware variant
    (stsp_app.lifting.normalisation.box_size_px).
    """
    points = np.asarray(points)[..., :2]
    return np.max(points.max(axis=-2) - points.min(axis=-2), axis=-1)


def bone_lengths(joints: np.ndarray) -> np.ndarray:
    """Lengths of the 16 bones for joints of shape (..., 17, D); returns (..., 16)."""
    parents = np.array([p for p, _ in BONES])
    children = np.array([c for _, c in BONES])
    return np.linalg.norm(joints[..., children, :] - joints[..., parents, :], axis=-1)


def trunk_forward(joints: np.ndarray) -> np.ndarray:
    """(..., 3) unit vectors the trunk faces, from (..., 17, 3) joints: (shoulders' midpoint - hips' midpoint) x
    (right hip - left hip), which points where the knees bend on every rig of ``mocap/train`` (right-handed, +Y
    up); zero where the trunk is degenerate."""
    left_hip, right_hip = joints[..., JOINT_INDEX["left_hip"], :], joints[..., JOINT_INDEX["right_hip"], :]
    shoulders = (joints[..., JOINT_INDEX["left_shoulder"], :] + joints[..., JOINT_INDEX["right_shoulder"], :]) / 2
    forward = np.cross(shoulders - (left_hip + right_hip) / 2, right_hip - left_hip)
    length = np.linalg.norm(forward, axis=-1, keepdims=True)
    return np.divide(forward, length, out=np.zeros_like(forward), where=length > 1e-9)
