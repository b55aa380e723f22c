"""An analysis's per-frame results as arrays, with the joint angles and the jitter trace the charts show.

Built from the pipeline's frame results (anything with ``index``, ``time_s``, ``kp2d`` and ``kp3d_mm``), in
analysis order; frames where nobody was found hold NaN. Uses 3D poses when the analysis has them and falls
back to 2D image keypoints otherwise (``has_3d`` says which, so the interface can label the units).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol

import numpy as np

from stsp_app.core.skeleton import NUM_BLAZEPOSE_LANDMARKS, NUM_JOINTS
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D, AngleSeries, joint_angles_2d, joint_angles_3d
from stsp_app.kinematics.smoothness import jitter_trace


class FrameLike(Protocol):
    index: int
    time_s: float
    kp2d: np.ndarray | None
    kp3d_mm: np.ndarray | None
    kp2d_raw33: np.ndarray | None


@dataclass
class MotionSeries:
    frame_indices: np.ndarray  # (T,) int: the video frame of each analysed frame
    time_s: np.ndarray         # (T,)
    kp2d: np.ndarray           # (T, 17, 3) x_px, y_px, confidence; NaN where nobody was found
    kp2d_raw33: np.ndarray     # (T, 33, 3) BlazePose landmarks x_px, y_px, visibility (heels, toes, face); NaN
    kp3d_mm: np.ndarray        # (T, 17, 3) camera axes; all NaN when 3D is unavailable
    has_3d: bool
    angles: AngleSeries
    jitter: np.ndarray         # (T,) mm/frame² when has_3d, else px/frame²

    @property
    def jitter_unit(self) -> str:
        return "mm/frame²" if self.has_3d else "px/frame²"

    def __len__(self) -> int:
        return len(self.frame_indices)

    def row_of_frame(self, frame_index: int) -> int | None:
        """Row holding video frame ``frame_index``, or None when that frame was not analysed."""
        row = int(np.searchsorted(self.frame_indices, frame_index))
        if row < len(self.frame_indices) and self.frame_indices[row] == frame_index:
            return row
        return None


def tracked_rows(kp2d: np.ndarray) -> np.ndarray:
    """(T,) bool: the rows of (T, 17, 3) 2D keypoints on which the person was found (any joint placed)."""
    return np.isfinite(kp2d[..., :2]).all(axis=-1).any(axis=-1)


def inside_picture(points_xy: np.ndarray, image_size_px: tuple[int, int]) -> np.ndarray:
    """(...) bool: the (..., 2) image points that lie inside a picture of ``image_size_px`` (width, height)
    (False for NaN points)."""
    width, height = image_size_px
    x, y = points_xy[..., 0], points_xy[..., 1]
    return (x >= 0) & (x < width) & (y >= 0) & (y < height)


def motion_series(frames: Iterable[FrameLike]) -> MotionSeries:
    frames = list(frames)
    count = len(frames)
    kp2d = np.full((count, NUM_JOINTS, 3), np.nan)
    kp2d_raw33 = np.full((count, NUM_BLAZEPOSE_LANDMARKS, 3), np.nan)
    kp3d = np.full((count, NUM_JOINTS, 3), np.nan)
    for row, frame in enumerate(frames):
        if frame.kp2d is not None:
            kp2d[row] = frame.kp2d
        if frame.kp3d_mm is not None:
            kp3d[row] = frame.kp3d_mm
        if frame.kp2d_raw33 is not None:
            kp2d_raw33[row] = frame.kp2d_raw33
    return motion_series_of_arrays(np.array([frame.index for frame in frames], dtype=np.int64),
                                   np.array([frame.time_s for frame in frames], dtype=np.float64),
                                   kp2d, kp2d_raw33, kp3d)


def motion_series_of_arrays(frame_indices: np.ndarray, time_s: np.ndarray, kp2d: np.ndarray,
                            kp2d_raw33: np.ndarray, kp3d_mm: np.ndarray) -> MotionSeries:
    """The series of frames already in arrays (NaN rows where nobody was found; ``kp3d_mm`` all NaN without
    3D), with the angles and the jitter trace."""
    has_3d = bool(np.isfinite(kp3d_mm).any())
    if has_3d:
        angles = joint_angles_3d(kp3d_mm)
        jitter = jitter_trace(kp3d_mm)
    else:
        angles = joint_angles_2d(kp2d)
        positions = kp2d[..., :2].copy()
        positions[~(kp2d[..., 2] >= MIN_CONFIDENCE_2D)] = np.nan
        jitter = jitter_trace(positions)
    return MotionSeries(frame_indices=frame_indices, time_s=time_s, kp2d=kp2d, kp2d_raw33=kp2d_raw33,
                        kp3d_mm=kp3d_mm, has_3d=has_3d, angles=angles, jitter=jitter)
