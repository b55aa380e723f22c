"""Written joint maps from a source's named joints to the 17 Human3.6M joints (docs/formats.md).

A joint map gives, for each of the 17 joints in order, the source joints whose mean is that joint: one name
copies the joint, two names take their midpoint. Nothing else is ever inferred.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from stsp_app.core.skeleton import JOINT_NAMES

JointMap = Mapping[str, tuple[str, ...]]


def source_joints(joint_map: JointMap) -> set[str]:
    """Every source joint name the map reads."""
    return {name for names in joint_map.values() for name in names}


def apply_joint_map(joint_map: JointMap, position_of: Callable[[str], np.ndarray]) -> np.ndarray:
    """(T, 17, 3) joints from ``position_of(source name) -> (T, 3)`` through ``joint_map``."""
    missing = [name for name in JOINT_NAMES if name not in joint_map]
    if missing:
        raise ValueError(f"joint map lacks {missing}")
    columns = [np.mean([position_of(source) for source in joint_map[name]], axis=0) for name in JOINT_NAMES]
    return np.stack(columns, axis=1)
