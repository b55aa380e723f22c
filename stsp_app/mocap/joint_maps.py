"""Written joint maps from a source's named joints to the 17 Human3.6M joints (docs/formats.md).

A joint map gives, for each of the 17 joints but joint 9, the source joints whose mean is that joint: one name
copies the joint, two names take their midpoint. Joint 9 (``neck_nose``) is the one joint no source has: it is
placed as a nose from the others (``stsp_app.mocap.nose``), where the app's 2D stage has BlazePose's nose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX, JOINT_NAMES
from stsp_app.mocap.nose import place_nose

JointMap = Mapping[str, tuple[str, ...]]


def source_joints(joint_map: JointMap) -> set[str]:
    """Every source joint name the map reads."""
    return {name for names in joint_map.values() for name in names}


def apply_joint_map(joint_map: JointMap, position_of: Callable[[str], np.ndarray]) -> np.ndarray:
    """(T, 17, 3) joints from ``position_of(source name) -> (T, 3)`` through ``joint_map``, joint 9 a nose."""
    mapped = [name for name in JOINT_NAMES if name != "neck_nose"]
    missing = [name for name in mapped if name not in joint_map]
    if missing:
        raise ValueError(f"joint map lacks {missing}")
    if "neck_nose" in joint_map:
        raise ValueError("joint 9 (neck_nose) is placed as a nose, not mapped from a source joint")
    columns = {name: np.mean([position_of(source) for source in joint_map[name]], axis=0) for name in mapped}
    # joint 9 holds the thorax until place_nose, which reads every joint but joint 9, has put the nose there
    joints = np.stack([columns.get(name, columns["thorax"]) for name in JOINT_NAMES], axis=-2).astype(np.float64)
    joints[..., JOINT_INDEX["neck_nose"], :] = place_nose(joints)
    return joints
