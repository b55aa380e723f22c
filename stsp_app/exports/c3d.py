"""C3D export through ezc3d, for Visual3D, Mokka, Vicon Nexus, OpenSim (docs/formats.md, "Exports").

POINT data, one frame per analysed frame at POINT:RATE = the video's frame rate (C3D has no per-frame times:
the exact times are in the CSV, JSON, TRC and MOT exports):

- the 17 joints, labels = joint names, millimetres (POINT:UNITS "mm"), pelvis-relative, in a Z-up lab frame
  (:mod:`stsp_app.exports.axes`; POINT:X_SCREEN "+X", POINT:Y_SCREEN "+Z" tell viewers which way is up);
- the joint angles as angle points the way Vicon's Plug-in Gait stores them (labels listed in POINT:ANGLES,
  POINT:ANGLE_UNITS "deg"): each of ours is one unsigned angle, so it is the point's X and Y = Z = 0.

A point without a value (nobody found, no 3D, an angle without a value) is invalid as C3D marks it: residual
-1, which readers such as ezc3d return as NaN.
"""

from __future__ import annotations

import os
from pathlib import Path

import ezc3d
import numpy as np

from stsp_app import __version__
from stsp_app.core.atomic_write import atomic_path
from stsp_app.exports.axes import CAMERA_TO_C3D_LAB, rotate
from stsp_app.exports.table import ExportTable

JOINT_DESCRIPTION = "joint centre, mm, pelvis-relative, Z up"
ANGLE_DESCRIPTION = "joint angle, deg, in X (Y, Z unused)"


def _c3d_points(table: ExportTable) -> tuple[np.ndarray, np.ndarray]:
    """(4, joints + angles, T) homogeneous points and (1, joints + angles, T) residuals (-1: invalid)."""
    joints_xyz = rotate(table.kp3d_mm, CAMERA_TO_C3D_LAB)                   # (T, J, 3)
    angles = np.stack([table.angles_deg[name] for name in table.angle_names], axis=1)  # (T, A)
    angles_xyz = np.zeros(angles.shape + (3,))
    angles_xyz[..., 0] = angles
    angles_xyz[~np.isfinite(angles)] = np.nan
    xyz = np.concatenate([joints_xyz, angles_xyz], axis=1).transpose(2, 1, 0)  # (3, J + A, T)
    valid = np.isfinite(xyz).all(axis=0)
    points = np.ones((4,) + valid.shape)
    points[:3] = np.where(valid, xyz, np.nan)
    residuals = np.where(valid, 0.0, -1.0)[None]
    return points, residuals


def write_c3d(table: ExportTable, path: str | Path, *, fps: float) -> None:
    labels = list(table.joint_names) + list(table.angle_names)
    points, residuals = _c3d_points(table)
    c3d = ezc3d.c3d()
    c3d["parameters"]["POINT"]["RATE"]["value"] = [float(fps)]
    c3d["parameters"]["POINT"]["LABELS"]["value"] = labels
    c3d["parameters"]["POINT"]["DESCRIPTIONS"]["value"] = (
        [JOINT_DESCRIPTION] * len(table.joint_names) + [ANGLE_DESCRIPTION] * len(table.angle_names))
    c3d["parameters"]["POINT"]["UNITS"]["value"] = ["mm"]
    c3d.add_parameter("POINT", "ANGLES", list(table.angle_names))
    c3d.add_parameter("POINT", "ANGLE_UNITS", ["deg"])
    c3d.add_parameter("POINT", "X_SCREEN", ["+X"])
    c3d.add_parameter("POINT", "Y_SCREEN", ["+Z"])
    c3d.add_parameter("MANUFACTURER", "SOFTWARE", [f"STSP Coach {__version__}"])
    c3d["data"]["points"] = points
    c3d["data"]["meta_points"] = {"residuals": residuals,
                                  "camera_masks": np.zeros((7,) + residuals.shape[1:], dtype=bool)}
    with atomic_path(path) as temporary:
        named = temporary.with_name(temporary.name + ".c3d")  # ezc3d appends ".c3d" to any other name
        try:
            c3d.write(str(named))
            os.replace(named, temporary)
        finally:
            named.unlink(missing_ok=True)
