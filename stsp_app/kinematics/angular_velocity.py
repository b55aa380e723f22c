"""Joint angular velocities (deg/s) and joint linear speeds (body heights per second).

Both differentiate a zero-lag Butterworth-filtered series (:func:`signals.butterworth_lowpass`, then
:func:`signals.per_second_derivative`), so peaks are not delayed by the filter.
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.kinematics.signals import DEFAULT_CUTOFF_HZ, butterworth_lowpass, per_second_derivative

# Head joint to ankle is about 0.94 of stature (the head joint sits below the vertex of the skull).
HEAD_TO_ANKLE_SHARE_OF_STATURE = 0.94


def angular_velocity_deg_s(angle_deg: np.ndarray, fps: float, cutoff_hz: float = DEFAULT_CUTOFF_HZ) -> np.ndarray:
    """d(angle)/dt in deg/s of a (T,) angle series, low-passed at ``cutoff_hz`` first; NaN where missing."""
    return per_second_derivative(butterworth_lowpass(angle_deg, fps, cutoff_hz), fps)


def body_height_from_pose(joints: np.ndarray) -> float:
    """Stature (in the poses' unit: mm or px) from the median lengths of the head-thorax-pelvis chain and the
    longer leg (hip-knee-ankle), over the frames of (T, 17, D) poses. Segment lengths do not depend on the
    posture, so this holds while the person bends or kicks (in 2D only for limbs seen side-on)."""
    def length(a: str, b: str) -> np.ndarray:
        return np.linalg.norm(joints[:, JOINT_INDEX[a]] - joints[:, JOINT_INDEX[b]], axis=-1)

    legs = [length(f"{side}_hip", f"{side}_knee") + length(f"{side}_knee", f"{side}_ankle")
            for side in ("left", "right")]
    chain = length("head", "thorax") + length("thorax", "pelvis") + np.fmax(*legs)
    return float(np.nanmedian(chain)) / HEAD_TO_ANKLE_SHARE_OF_STATURE


def relative_velocity_per_s(joints: np.ndarray, joint: str, reference: str, fps: float,
                            cutoff_hz: float = DEFAULT_CUTOFF_HZ) -> np.ndarray:
    """Velocity (T, D) of ``joint`` relative to ``reference``, in the (T, 17, D) poses' unit per second."""
    offset = joints[:, JOINT_INDEX[joint]] - joints[:, JOINT_INDEX[reference]]
    return per_second_derivative(butterworth_lowpass(offset, fps, cutoff_hz), fps)


def relative_speed_heights_s(joints: np.ndarray, joint: str, reference: str, fps: float, body_height: float,
                             cutoff_hz: float = DEFAULT_CUTOFF_HZ) -> np.ndarray:
    """Speed (T,) of ``joint`` relative to ``reference`` in body heights per second, from (T, 17, D) poses
    whose unit is that of ``body_height``."""
    return np.linalg.norm(relative_velocity_per_s(joints, joint, reference, fps, cutoff_hz), axis=-1) / body_height


def transverse_rotation_deg(joints: np.ndarray, left: str, right: str) -> np.ndarray:
    """Orientation (T,) in degrees, unwrapped, of the line ``right`` → ``left`` (the pelvis's hip line, the
    shoulders' line) seen from above: projected onto the camera's x-z plane, which is horizontal for a level
    camera (y points down). Its rate of change is the segment's rotation about the vertical (pelvis or trunk
    rotation in a throw or a kick). NaN where either joint is missing; needs 3D poses."""
    if joints.shape[-1] != 3:
        raise ValueError("transverse rotation needs 3D poses")
    line = joints[:, JOINT_INDEX[left]] - joints[:, JOINT_INDEX[right]]
    yaw = np.degrees(np.arctan2(line[:, 2], line[:, 0]))
    out = np.full(len(yaw), np.nan)
    finite = np.isfinite(yaw)
    if finite.any():
        out[finite] = np.degrees(np.unwrap(np.radians(yaw[finite])))
    return out
