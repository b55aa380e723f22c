"""The joint angles as numbers: the table of the frame on screen, and the values under the mouse on the chart.

A coach reads "knee 87°", not a curve's height: the table beside the charts gives each joint's angle on the
left and the right at the frame shown, and hovering the angle chart names the values of the curves shown there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.kinematics.joint_angles import ANGLE_LABELS
from stsp_app.kinematics.motion_series import MotionSeries

# The table's rows: (row label, left angle, right angle); the trunk has one angle, shown under "left".
JOINT_ROWS: tuple[tuple[str, str, str | None], ...] = (
    ("Knee flexion", "left_knee_flexion", "right_knee_flexion"),
    ("Hip flexion", "left_hip_flexion", "right_hip_flexion"),
    ("Elbow flexion", "left_elbow_flexion", "right_elbow_flexion"),
    ("Shoulder elevation", "left_shoulder_elevation", "right_shoulder_elevation"),
    ("Trunk lean", "trunk_lean", None),
)
NOT_SEEN = "—"


@dataclass(frozen=True)
class AngleRow:
    label: str
    left: str   # "87°", or NOT_SEEN where the joint was not seen
    right: str  # "" for the trunk (one angle)


def degrees_text(value: float) -> str:
    return f"{value:.0f}°" if np.isfinite(value) else NOT_SEEN


def angle_table(series: MotionSeries | None, row: int | None) -> list[AngleRow]:
    """Each joint's angles at analysis row ``row`` (None: a frame without analysis, every value NOT_SEEN)."""
    def value(name: str | None) -> str:
        if name is None:
            return ""
        if series is None or row is None:
            return NOT_SEEN
        return degrees_text(float(series.angles.degrees[name][row]))

    return [AngleRow(label, value(left), value(right)) for label, left, right in JOINT_ROWS]


def hover_text(series: MotionSeries, time_s: float, shown: list[str]) -> str | None:
    """``1.23 s · Left knee flexion 45° · …`` for the analysed frame nearest ``time_s`` and the angles ``shown``
    on the chart; None away from the analysis."""
    if not len(series) or not series.time_s[0] - 0.5 <= time_s <= series.time_s[-1] + 0.5:
        return None
    row = int(np.argmin(np.abs(series.time_s - time_s)))
    values = [f"{ANGLE_LABELS[name]} {degrees_text(float(series.angles.degrees[name][row]))}" for name in shown]
    return " · ".join([f"{series.time_s[row]:.2f} s", *values])
