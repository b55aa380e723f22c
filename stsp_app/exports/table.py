"""An analysis as the arrays every export writes: one row per analysed frame, NaN where nobody was found.

The joint angles come from :func:`stsp_app.kinematics.motion_series.motion_series`, the one angle code of the
project (3D when the analysis has 3D poses, otherwise the 2D projected fallback), so an export shows the same
numbers as the app's charts.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.skeleton import JOINT_NAMES
from stsp_app.kinematics.joint_angles import ANGLE_NAMES
from stsp_app.kinematics.motion_series import motion_series

# Decimals written for each kind of number (CSV, JSON, TRC, MOT): far below the analysis's own precision
# (keypoints.json keeps 0.001 px and 0.1 mm) and its errors, so nothing measurable is lost.
DECIMALS_S = 6
DECIMALS_PX = 3
DECIMALS_CONFIDENCE = 3
DECIMALS_MM = 2
DECIMALS_DEG = 3


@dataclass
class ExportTable:
    """Per analysed frame, in analysis order. 2D in image pixels (origin top-left, x right, y down); 3D
    pelvis-relative in camera axes (x right, y down, z away from the camera), millimetres."""

    frame_indices: np.ndarray        # (T,) int: the video frame of each row
    time_s: np.ndarray               # (T,)
    person_found: np.ndarray         # (T,) bool
    kp2d: np.ndarray                 # (T, 17, 3) x_px, y_px, confidence; NaN where nobody was found
    kp3d_mm: np.ndarray              # (T, 17, 3); NaN where there is no 3D
    angles_deg: dict[str, np.ndarray]  # ANGLE_NAMES -> (T,); NaN where the angle has no value
    joint_names: tuple[str, ...] = JOINT_NAMES

    def __len__(self) -> int:
        return len(self.frame_indices)

    @property
    def angle_names(self) -> tuple[str, ...]:
        return tuple(self.angles_deg)

    @property
    def has_3d(self) -> bool:
        """False for a 2D-only analysis: the 3D columns are then empty and the angles are 2D projections."""
        return bool(np.isfinite(self.kp3d_mm).any())


def export_table(analysis: VideoAnalysis) -> ExportTable:
    series = motion_series(analysis.frames)
    return ExportTable(
        frame_indices=series.frame_indices,
        time_s=series.time_s,
        person_found=np.array([frame.kp2d is not None for frame in analysis.frames], dtype=bool),
        kp2d=series.kp2d,
        kp3d_mm=series.kp3d_mm,
        angles_deg={name: series.angles.degrees[name] for name in ANGLE_NAMES},
        joint_names=tuple(analysis.joint_names),
    )


def format_number(value: float, decimals: int) -> str:
    """Fixed-point text of a finite number; '' for NaN (a gap, never a made-up value)."""
    return f"{value:.{decimals}f}" if np.isfinite(value) else ""
