"""3D pose metrics of ``stsp-coach eval-3d`` (formulas in docs/metrics.md, "3D metrics").

Poses are (T, 17, 3) millimetres, root-relative (pelvis at the origin). Frames where the prediction is NaN
(no person) are left out; temporal metrics use only runs of consecutive predicted frames. Errors of several
clips are pooled frame by frame (``pool``), so long clips weigh more.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stsp_app.core.pose_alignment import joint_errors_mm, procrustes_align
from stsp_app.core.skeleton import JOINT_NAMES
from stsp_app.kinematics.signals import consecutive_runs

PCK_THRESHOLD_MM = 150.0
AUC_THRESHOLDS_MM = np.linspace(0.0, 150.0, 31)  # 0, 5, ..., 150 mm as in MPI-INF-3DHP


def pck_percent(errors_mm: np.ndarray, threshold_mm: float = PCK_THRESHOLD_MM) -> float:
    return 100.0 * float((errors_mm < threshold_mm).mean())


def auc_percent(errors_mm: np.ndarray) -> float:
    """Mean PCK (%) over the thresholds 0, 5, ..., 150 mm."""
    return float(np.mean([pck_percent(errors_mm, threshold) for threshold in AUC_THRESHOLDS_MM]))


def frame_differences(poses: np.ndarray, order: int, valid: np.ndarray) -> np.ndarray:
    """The ``order``-th frame differences (N, 17, 3) within runs of valid frames."""
    parts = [np.diff(poses[run], n=order, axis=0) for run in consecutive_runs(valid) if run.stop - run.start > order]
    return np.concatenate(parts) if parts else np.zeros((0, *poses.shape[1:]))


def difference_norms(poses: np.ndarray, order: int, valid: np.ndarray) -> np.ndarray:
    """Norms (N, 17) of the ``order``-th frame difference within runs of valid frames."""
    return np.linalg.norm(frame_differences(poses, order, valid), axis=-1)


@dataclass
class PooledErrors:
    """Per-joint errors of many clips, kept so that metrics pool over frames."""

    position: list[np.ndarray] = field(default_factory=list)  # (N, 17) mm
    aligned: list[np.ndarray] = field(default_factory=list)  # (N, 17) mm after Procrustes
    smoothness: list[np.ndarray] = field(default_factory=list)  # (N, 17) |second difference of prediction|
    smoothness_target: list[np.ndarray] = field(default_factory=list)
    acceleration: list[np.ndarray] = field(default_factory=list)  # (N, 17, 3) second-difference error
    velocity: list[np.ndarray] = field(default_factory=list)  # (N, 17) |first-difference error|
    frames: int = 0
    frames_without_prediction: int = 0

    def add(self, predicted_mm: np.ndarray, target_mm: np.ndarray) -> None:
        """One clip: (T, 17, 3) root-relative prediction (NaN rows = none) and ground truth."""
        valid = np.isfinite(predicted_mm).all(axis=(1, 2))
        self.frames += len(valid)
        self.frames_without_prediction += int((~valid).sum())
        if not valid.any():
            return
        predicted, target = predicted_mm[valid], target_mm[valid]
        self.position.append(joint_errors_mm(predicted, target))
        self.aligned.append(joint_errors_mm(procrustes_align(predicted, target), target))
        error = np.where(valid[:, None, None], np.nan_to_num(predicted_mm) - target_mm, 0.0)
        self.smoothness.append(difference_norms(predicted_mm, 2, valid))
        self.smoothness_target.append(difference_norms(target_mm, 2, valid))
        self.acceleration.append(frame_differences(error, 2, valid))
        self.velocity.append(difference_norms(error, 1, valid))

    def metrics(self) -> dict:
        def pooled(parts: list[np.ndarray]) -> np.ndarray:
            return np.concatenate(parts) if parts else np.zeros((0, len(JOINT_NAMES)))

        position = pooled(self.position)
        acceleration = np.concatenate(self.acceleration) if self.acceleration else np.zeros((0, len(JOINT_NAMES), 3))

        def mean(parts):
            values = pooled(parts)
            return round(float(values.mean()), 3) if values.size else None

        return {
            "mpjpe_mm": mean(self.position),
            "pmpjpe_mm": mean(self.aligned),
            "pck3d_150": round(pck_percent(position), 3) if position.size else None,
            "auc": round(auc_percent(position), 3) if position.size else None,
            "ts_mm_per_frame2": mean(self.smoothness),
            "ts_gt_mm_per_frame2": mean(self.smoothness_target),
            "accel_err": mean([np.linalg.norm(acceleration, axis=-1)]),
            "accel_err_xyz": (np.round(np.abs(acceleration).mean(axis=(0, 1)), 3).tolist()
                              if acceleration.size else None),
            "mpjve_mm": mean(self.velocity),
            "per_joint_mpjpe_mm": (
                {name: round(float(value), 3) for name, value in zip(JOINT_NAMES, position.mean(axis=0))}
                if position.size else {}
            ),
            "frames": self.frames,
            "frames_without_prediction": self.frames_without_prediction,
        }


def evaluate(predicted_mm: np.ndarray, target_mm: np.ndarray) -> dict:
    """All metrics of one clip."""
    errors = PooledErrors()
    errors.add(predicted_mm, target_mm)
    return errors.metrics()
