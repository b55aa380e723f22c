"""The BVH rigs the importer knows: their joint maps to the 17 joints, their length unit, their quirks.

``detect_rig`` picks the rig whose mapped joints all occur in a file's hierarchy. The unit of each rig was
found by reading bone lengths off its OFFSETs and checking the resulting femur, tibia and stature against
human ranges (docs/formats.md, "Motion-capture importers", gives the figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.errors import InputError
from stsp_app.mocap.bvh import read_bvh
from stsp_app.mocap.joint_maps import JointMap, apply_joint_map, source_joints
from stsp_app.mocap.motion import Motion

MM_PER_CMU_ASF_UNIT = 25.4 / 0.45  # CMU's ASF 'length 0.45': a length of v is v / 0.45 inches


@dataclass(frozen=True)
class BvhRig:
    name: str
    mm_per_unit: float
    joint_map: JointMap
    # The iClone converter put a T-pose at the origin in front of some takes; see drop_converter_tpose.
    may_start_with_converter_tpose: bool = False
    toe_joints: tuple[str, str] = ()  # (left, right) the foot's front-most joint (Motion.toes_mm)


CC_BASE = BvhRig(
    name="iclone-cc-base",
    mm_per_unit=10.0,  # centimetres
    joint_map={
        "pelvis": ("CC_Base_Hip",),
        "right_hip": ("CC_Base_R_Thigh",),
        "right_knee": ("CC_Base_R_Calf",),
        "right_ankle": ("CC_Base_R_Foot",),
        "left_hip": ("CC_Base_L_Thigh",),
        "left_knee": ("CC_Base_L_Calf",),
        "left_ankle": ("CC_Base_L_Foot",),
        "spine": ("CC_Base_Spine02",),
        "thorax": ("CC_Base_NeckTwist01",),
        "head": ("CC_Base_L_Eye", "CC_Base_R_Eye"),
        "left_shoulder": ("CC_Base_L_Upperarm",),
        "left_elbow": ("CC_Base_L_Forearm",),
        "left_wrist": ("CC_Base_L_Hand",),
        "right_shoulder": ("CC_Base_R_Upperarm",),
        "right_elbow": ("CC_Base_R_Forearm",),
        "right_wrist": ("CC_Base_R_Hand",),
    },
    may_start_with_converter_tpose=True,
    toe_joints=("CC_Base_L_IndexToe1", "CC_Base_R_IndexToe1"),  # the index toe's base: its End Site adds nothing
)

CMU_HIPS = BvhRig(
    name="cmu-hips",
    mm_per_unit=MM_PER_CMU_ASF_UNIT,
    joint_map={
        "pelvis": ("Hips",),
        "right_hip": ("RightHip",),
        "right_knee": ("RightKnee",),
        "right_ankle": ("RightAnkle",),
        "left_hip": ("LeftHip",),
        "left_knee": ("LeftKnee",),
        "left_ankle": ("LeftAnkle",),
        "spine": ("Chest2",),
        "thorax": ("Neck",),
        "head": ("Head_End",),
        "left_shoulder": ("LeftShoulder",),
        "left_elbow": ("LeftElbow",),
        "left_wrist": ("LeftWrist",),
        "right_shoulder": ("RightShoulder",),
        "right_elbow": ("RightElbow",),
        "right_wrist": ("RightWrist",),
    },
    toe_joints=("LeftToe_End", "RightToe_End"),
)

POSER_HIP = BvhRig(
    name="poser-hip",
    mm_per_unit=10.0,  # centimetres
    joint_map={
        "pelvis": ("hip",),
        "right_hip": ("rThigh",),
        "right_knee": ("rShin",),
        "right_ankle": ("rFoot",),
        "left_hip": ("lThigh",),
        "left_knee": ("lShin",),
        "left_ankle": ("lFoot",),
        "spine": ("abdomen",),
        "thorax": ("neck",),
        "head": ("leftEye", "rightEye"),
        "left_shoulder": ("lShldr",),
        "left_elbow": ("lForeArm",),
        "left_wrist": ("lHand",),
        "right_shoulder": ("rShldr",),
        "right_elbow": ("rForeArm",),
        "right_wrist": ("rHand",),
    },
    toe_joints=("lFoot_End", "rFoot_End"),
)

KNOWN_RIGS: tuple[BvhRig, ...] = (CC_BASE, CMU_HIPS, POSER_HIP)


def detect_rig(joint_names: list[str], file_name: str) -> BvhRig:
    """The known rig whose mapped joints all occur in ``joint_names``; InputError naming what is missing."""
    present = set(joint_names)
    for rig in KNOWN_RIGS:
        if source_joints(rig.joint_map) <= present:
            return rig
    closest = max(KNOWN_RIGS, key=lambda rig: len(source_joints(rig.joint_map) & present))
    missing = sorted(source_joints(closest.joint_map) - present)
    raise InputError(
        f"{file_name}: unknown BVH rig (known: {', '.join(rig.name for rig in KNOWN_RIGS)}). The closest, "
        f"{closest.name!r}, needs joints this file lacks: {', '.join(missing)}"
    )


def load_bvh_motion(path: str | Path) -> Motion:
    """A BVH file of a known rig as a 17-joint Motion in millimetres (all known rigs are +Y up, right-handed)."""
    bvh = read_bvh(path)
    rig = detect_rig(bvh.joint_names, bvh.path.name)
    positions = bvh.joint_positions() * rig.mm_per_unit
    index = {name: i for i, name in enumerate(bvh.joint_names)}
    joints_mm = apply_joint_map(rig.joint_map, lambda name: positions[:, index[name]])
    toes_mm = (positions[:, [index[name] for name in rig.toe_joints]]
               if rig.toe_joints and set(rig.toe_joints) <= set(index) else None)
    if rig.may_start_with_converter_tpose and starts_with_converter_tpose(joints_mm):
        joints_mm = joints_mm[1:]
        toes_mm = None if toes_mm is None else toes_mm[1:]
    return Motion(
        name=bvh.path.stem,
        fps=1.0 / bvh.frame_time_s,
        joints_mm=joints_mm,
        source_format=f"bvh/{rig.name}",
        subject=bvh.path.stem.split("_")[0],
        toes_mm=toes_mm,
    )


# A converter T-pose: both wrists level with their shoulders, and frame 0 far from frame 1 (it stands at the
# origin, the take itself elsewhere). The README of the shared data says every iClone take starts with one;
# in fact only some do (cmu-bvh/007_03 to 007_12), so it is detected, not assumed.
_TPOSE_WRIST_HEIGHT_TOLERANCE_MM = 100.0
_TPOSE_MIN_JUMP_MM = 150.0


def starts_with_converter_tpose(joints_mm: np.ndarray) -> bool:
    if joints_mm.shape[0] < 2:
        return False
    first = joints_mm[0]
    arms_level = all(
        abs(first[JOINT_INDEX[f"{side}_wrist"], 1] - first[JOINT_INDEX[f"{side}_shoulder"], 1])
        < _TPOSE_WRIST_HEIGHT_TOLERANCE_MM
        for side in ("left", "right")
    )
    jump_mm = np.linalg.norm(joints_mm[1] - joints_mm[0], axis=-1).max()
    return bool(arms_level and jump_mm > _TPOSE_MIN_JUMP_MM)
