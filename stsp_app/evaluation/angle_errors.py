"""Joint-angle errors of the 3D stage against ground truth (``stsp-coach eval-3d``; docs/metrics.md).

Both the prediction and the ground truth go through the same angle code (``stsp_app.kinematics.joint_angles``),
so the figures measure the 3D stage, not the definitions. Per angle family (left and right pooled): the mean
absolute error, the mean signed error (bias) on standing frames and, for the knee, on straight legs and deep
bends, and the error of the angular velocity. Errors of many clips pool frame by frame.

Beside the angles, how well the lifter reads which way the person faces (``facing``): per band of the true view
(the angle between the camera's axis and the facing direction), the median predicted view and the median ratio
of the predicted hip width to the true one (each in thigh lengths). A lifter unsure which hip is the nearer
averages the two and turns the pelvis towards the picture's plane, narrower: the view reads more frontal, the
ratio under 1, and a bend hidden in depth is read from the wrong direction (docs/RESULTS.md, "Why knees are
pulled toward the mean").
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from stsp_app.core.skeleton import trunk_forward
from stsp_app.kinematics.frontal_plane import IMAGE_VIEWS, frontal_view_share, hip_width_in_thighs, view_of_share
from stsp_app.kinematics.joint_angles import ANGLE_NAMES, joint_angles_3d
from stsp_app.kinematics.signals import per_second_derivative

ANGLE_FAMILIES: tuple[str, ...] = (
    "knee_flexion", "hip_flexion", "elbow_flexion", "shoulder_elevation", "trunk_lean",
)
# A frame is "standing" when the true knees and hips of both legs are all within this of straight.
STANDING_MAX_DEG = 15.0
# The knee's bias is also reported where the true knee is straight or deeply bent (issue's bands).
STRAIGHT_KNEE_MAX_DEG = 10.0
DEEP_KNEE_MIN_DEG = 70.0
# ... and on straight legs by the view: the angle between the camera's axis and the person's facing direction
# (0: filmed from the front or the back, 90: from the side), where a front view hides the knee's bend in depth.
VIEW_BANDS_DEG: tuple[tuple[float, float], ...] = ((0.0, 30.0), (30.0, 60.0), (60.0, 90.0))


def facing_view_deg(joints_mm: np.ndarray) -> np.ndarray:
    """(T,) angle in degrees between the camera's z axis and the trunk's facing direction
    (:func:`~stsp_app.core.skeleton.trunk_forward`) of (T, 17, 3) camera-axes joints: 0 front or back, 90 side
    (NaN where the trunk is degenerate)."""
    forward = trunk_forward(joints_mm)
    cosine = np.where(np.linalg.norm(forward, axis=1) > 0, np.abs(forward[:, 2]), np.nan)
    return np.degrees(np.arccos(np.clip(cosine, 0.0, 1.0)))


def _family_names(family: str) -> list[str]:
    return [name for name in ANGLE_NAMES if name.endswith(family)]


@dataclass
class PooledAngleErrors:
    """Signed angle errors (prediction − truth), true angles and angular-velocity errors of many clips."""

    signed_deg: dict[str, list[np.ndarray]] = field(default_factory=lambda: {n: [] for n in ANGLE_NAMES})
    true_deg: dict[str, list[np.ndarray]] = field(default_factory=lambda: {n: [] for n in ANGLE_NAMES})
    standing: list[np.ndarray] = field(default_factory=list)
    view_deg: list[np.ndarray] = field(default_factory=list)
    image_view: list[np.ndarray] = field(default_factory=list)
    predicted_view_deg: list[np.ndarray] = field(default_factory=list)
    hip_width_ratio: list[np.ndarray] = field(default_factory=list)
    velocity_error_deg_s: dict[str, list[np.ndarray]] = field(default_factory=lambda: {n: [] for n in ANGLE_NAMES})

    def add(self, predicted_mm: np.ndarray, target_mm: np.ndarray, fps: float, kp2d: np.ndarray) -> None:
        """One clip: (T, 17, 3) prediction (NaN rows where there is none) and ground truth, camera axes, and the
        (T, 17, 3) 2D the prediction was lifted from."""
        predicted = joint_angles_3d(predicted_mm).degrees
        truth = joint_angles_3d(target_mm).degrees
        valid = np.isfinite(np.stack([predicted[n] for n in ANGLE_NAMES], axis=1)).all(axis=1)
        valid &= np.isfinite(np.stack([truth[n] for n in ANGLE_NAMES], axis=1)).all(axis=1)
        standing = np.ones(len(valid), dtype=bool)
        for name in ("left_knee_flexion", "right_knee_flexion", "left_hip_flexion", "right_hip_flexion"):
            standing &= np.nan_to_num(truth[name], nan=np.inf) < STANDING_MAX_DEG
        self.standing.append(standing[valid])
        self.view_deg.append(facing_view_deg(target_mm)[valid])
        self.image_view.append(view_of_share(frontal_view_share(kp2d))[valid])
        self.predicted_view_deg.append(facing_view_deg(predicted_mm)[valid])
        self.hip_width_ratio.append((hip_width_in_thighs(predicted_mm) / hip_width_in_thighs(target_mm))[valid])
        for name in ANGLE_NAMES:
            self.signed_deg[name].append((predicted[name] - truth[name])[valid])
            self.true_deg[name].append(truth[name][valid])
            kept_predicted = np.where(valid, predicted[name], np.nan)
            kept_truth = np.where(valid, truth[name], np.nan)
            error = per_second_derivative(kept_predicted, fps) - per_second_derivative(kept_truth, fps)
            self.velocity_error_deg_s[name].append(error[np.isfinite(error)])

    def metrics(self) -> dict:
        """``{"angles": {family: {mae_deg, standing_bias_deg, velocity_mae_deg_s, …}}}`` (None where no frame)."""
        standing = np.concatenate(self.standing) if self.standing else np.zeros(0, dtype=bool)
        views = np.concatenate(self.image_view) if self.image_view else np.zeros(0, dtype=str)

        def pooled(parts: dict[str, list[np.ndarray]], family: str) -> np.ndarray:
            arrays = [a for name in _family_names(family) for a in parts[name]]
            return np.concatenate(arrays) if arrays else np.zeros(0)

        def mean(values: np.ndarray) -> float | None:
            return round(float(values.mean()), 2) if values.size else None

        out: dict[str, dict] = {}
        for family in ANGLE_FAMILIES:
            names = _family_names(family)
            signed = pooled(self.signed_deg, family)
            standing_mask = np.concatenate([standing] * len(names)) if signed.size else standing
            entry = {
                "mae_deg": mean(np.abs(signed)),
                "bias_deg": mean(signed),
                "standing_bias_deg": mean(signed[standing_mask]),
                "standing_frames": int(standing.sum()),
                "velocity_mae_deg_s": mean(np.abs(pooled(self.velocity_error_deg_s, family))),
                # by the view as the drills read it from the picture (frontal_plane.IMAGE_VIEWS, from the 2D the
                # lifter was given): what the app can know of a real video, whose true facing is unknown
                "mae_by_image_view_deg": {
                    view: mean(np.abs(signed[np.concatenate([views] * len(names)) == view]))
                    if signed.size else None for view in IMAGE_VIEWS},
                "frames_by_image_view": {view: int((views == view).sum()) for view in IMAGE_VIEWS},
            }
            if family == "knee_flexion":
                truth = pooled(self.true_deg, family)
                entry["straight_bias_deg"] = mean(signed[truth < STRAIGHT_KNEE_MAX_DEG])
                entry["straight_leg_frames"] = int((truth < STRAIGHT_KNEE_MAX_DEG).sum())
                view = np.concatenate(self.view_deg * len(names)) if signed.size else np.zeros(0)
                straight = truth < STRAIGHT_KNEE_MAX_DEG
                entry["straight_bias_by_view_deg"] = {
                    f"{low:g}-{high:g}": mean(signed[straight & (view >= low) & (view < high + (high == 90))])
                    for low, high in VIEW_BANDS_DEG}
                entry["deep_bias_deg"] = mean(signed[truth > DEEP_KNEE_MIN_DEG])
                entry["deep_leg_frames"] = int((truth > DEEP_KNEE_MIN_DEG).sum())
            out[family] = entry
        return {"angles": out, "facing": self._facing_metrics()}

    def _facing_metrics(self) -> dict:
        """``{"view_by_band": {band: {frames, true_median_deg, predicted_median_deg, hip_width_ratio}}}``."""
        true_view = np.concatenate(self.view_deg) if self.view_deg else np.zeros(0)
        predicted_view = np.concatenate(self.predicted_view_deg) if self.predicted_view_deg else np.zeros(0)
        ratio = np.concatenate(self.hip_width_ratio) if self.hip_width_ratio else np.zeros(0)

        def median(values: np.ndarray) -> float | None:
            values = values[np.isfinite(values)]
            return round(float(np.median(values)), 2) if values.size else None

        bands = {}
        for low, high in VIEW_BANDS_DEG:
            band = (true_view >= low) & (true_view < high + (high == 90))
            bands[f"{low:g}-{high:g}"] = {"frames": int(band.sum()), "true_median_deg": median(true_view[band]),
                                          "predicted_median_deg": median(predicted_view[band]),
                                          "hip_width_ratio": median(ratio[band])}
        return {"view_by_band": bands}
