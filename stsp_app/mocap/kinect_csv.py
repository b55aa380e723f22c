"""Kinder-Gator Kinect v1 skeleton CSVs (shared/data/eval/kinder-gator).

One file per trial: ``Timestamp`` (ms), then ``<Joint>X,<Joint>Y,<Joint>Z`` in metres for 20 Kinect joints in
the Kinect camera frame (right-handed, +Y up, +Z from the sensor towards the person, who faces -Z), then
``User-ID`` and ``Action``. The frame is kept as is (the sensor's tilt is not removed); metres become mm.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from stsp_app.errors import InputError
from stsp_app.mocap.joint_maps import JointMap, apply_joint_map, source_joints
from stsp_app.mocap.motion import Motion

KINECT_V1_JOINT_MAP: JointMap = {
    "pelvis": ("HipCenter",),
    "right_hip": ("HipRight",),
    "right_knee": ("KneeRight",),
    "right_ankle": ("AnkleRight",),
    "left_hip": ("HipLeft",),
    "left_knee": ("KneeLeft",),
    "left_ankle": ("AnkleLeft",),
    "spine": ("HipCenter", "ShoulderCenter"),
    "thorax": ("ShoulderCenter",),
    "head": ("Head",),
    "left_shoulder": ("ShoulderLeft",),
    "left_elbow": ("ElbowLeft",),
    "left_wrist": ("WristLeft",),
    "right_shoulder": ("ShoulderRight",),
    "right_elbow": ("ElbowRight",),
    "right_wrist": ("WristRight",),
}

FEET = ("FootLeft", "FootRight")  # mid-foot, about 70 mm from the ankle (Motion.toes_mm); read where present
MAX_POSITION_M = 1e3  # a Kinect sees a few metres; beyond this a file is damaged


def load_kinect_csv(path: str | Path) -> Motion:
    """A Kinder-Gator trial as a 17-joint Motion; ``subject`` is the User-ID column (the participant id)."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            rows = [row for row in csv.reader(handle) if row]
    except FileNotFoundError:
        raise InputError(f"Kinect CSV file not found: {path}") from None
    except OSError as error:
        raise InputError(f"cannot read Kinect CSV file {path}: {error.strerror}") from None
    if not rows:
        raise InputError(f"{path.name}: the file is empty")
    column = {name.strip(): i for i, name in enumerate(rows[0])}
    joints = sorted(source_joints(KINECT_V1_JOINT_MAP))
    needed = ["Timestamp"] + [f"{joint}{axis}" for joint in joints for axis in "XYZ"]
    missing = [name for name in needed if name not in column]
    feet = [f"{foot}{axis}" for foot in FEET for axis in "XYZ"]
    if all(name in column for name in feet):
        joints += list(FEET)
        needed += feet
    if missing:
        raise InputError(
            f"{path.name}: not a Kinect skeleton CSV, it lacks the column(s) {', '.join(missing)}"
        )
    if len(rows) < 3:
        raise InputError(f"{path.name}: the file holds {len(rows) - 1} frame(s), too few for a motion")
    wanted = [column[name] for name in needed]
    try:
        table = np.array([[float(row[i]) for i in wanted] for row in rows[1:]], dtype=np.float64)
    except (ValueError, IndexError):
        raise InputError(f"{path.name}: a row has missing or non-numeric values") from None
    if not np.isfinite(table).all() or np.abs(table[:, 1:]).max() > MAX_POSITION_M:
        raise InputError(f"{path.name}: a value is not a number or lies beyond {MAX_POSITION_M:g} m")
    timestamps_s = (table[:, 0] - table[0, 0]) / 1000.0
    # The logger's clock ticks in 15.6 ms steps and sometimes stamps two frames alike: equal stamps are kept.
    if np.any(np.diff(timestamps_s) < 0):
        raise InputError(f"{path.name}: timestamps go backwards")
    if timestamps_s[-1] <= 0:
        raise InputError(f"{path.name}: all frames carry the same timestamp")
    positions_m = {name: table[:, 1 + 3 * i : 4 + 3 * i] for i, name in enumerate(joints)}
    user_id = column.get("User-ID")
    return Motion(
        name=path.stem,
        fps=float((len(timestamps_s) - 1) / timestamps_s[-1]),
        joints_mm=apply_joint_map(KINECT_V1_JOINT_MAP, positions_m.__getitem__) * 1000.0,
        source_format="kinect-v1-csv",
        subject=rows[1][user_id].strip() if user_id is not None and user_id < len(rows[1]) else "",
        timestamps_s=timestamps_s,
        toes_mm=np.stack([positions_m[foot] for foot in FEET], axis=1) * 1000.0 if FEET[0] in positions_m else None,
    )
