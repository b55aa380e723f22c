"""Temporal filters against ground truth: real mocap trajectories seen by a virtual camera, plus 2D noise.

Video has no 2D ground truth, so the filters' lag and jitter are measured where the truth is known: motions
from shared/data/mocap/train (the training split, so choosing filter settings on them is allowed), projected
through a camera 4 m away at pelvis height, resampled to 30 frames/s, with white 2D noise of a set size
(in units of the person's box size, as docs/RESULTS.md reports the EPE stage's jitter). The motion-aware
filter gets W_t from the joints' true image speed, standing in for the optical flow at the joint.

Reported per filter: RMSE over all joints and frames, RMSE on fast joints (speed above FAST_SPEED box
sizes per frame — where a low-pass lags), and the acceleration error |a_out - a_true| (jitter).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from stsp_app.core.skeleton import box_size
from stsp_app.epe.motion_saliency import MotionWeighting
from stsp_app.epe.trajectory_filter import LocalTrajectoryFilter, NoFilter, OneEuroFilter
from stsp_app.kinematics.signals import butterworth_lowpass
from stsp_app.mocap import load_motion

TARGET_FPS = 30.0
CAMERA_DISTANCE_MM = 4000.0
FOCAL_PX = 1000.0
FAST_SPEED = 0.02
MAX_FRAMES_PER_MOTION = 600
MOTION_SUFFIXES = (".bvh", ".amc")  # one motion per file in mocap/train


def project_from_side(joints_mm: np.ndarray, azimuth_rad: float) -> np.ndarray:
    """(T, 17, 3) world mm (+Y up) -> (T, 17, 2) image px, camera at pelvis height looking at the mean pelvis."""
    target = joints_mm[:, 0].mean(axis=0)
    forward = np.array([np.sin(azimuth_rad), 0.0, np.cos(azimuth_rad)])
    centre = target - CAMERA_DISTANCE_MM * forward
    down = np.array([0.0, -1.0, 0.0])
    right = np.cross(down, forward)
    camera = (joints_mm - centre) @ np.stack([right, down, forward]).T
    return FOCAL_PX * camera[..., :2] / camera[..., 2:3]


@dataclass
class Trajectories:
    truth_px: list[np.ndarray]   # per motion (T, 17, 2)
    box_px: list[float]          # per motion: median person box size
    names: list[str]


def load_trajectories(train_dir: Path, max_motions: int, seed: int = 0) -> Trajectories:
    rng = np.random.default_rng(seed)
    files = sorted(p for p in train_dir.rglob("*") if p.suffix.lower() in MOTION_SUFFIXES)
    chosen = [files[i] for i in sorted(rng.choice(len(files), size=min(max_motions, len(files)), replace=False))]
    truth, boxes, names = [], [], []
    for path in chosen:
        motion = load_motion(path)
        stride = max(1, int(round(motion.fps / TARGET_FPS)))
        joints = motion.joints_mm[::stride][:MAX_FRAMES_PER_MOTION].astype(np.float64)
        projected = project_from_side(joints, float(rng.uniform(0, 2 * np.pi)))
        truth.append(projected)
        boxes.append(float(np.median(box_size(projected))))
        names.append(motion.name)
    return Trajectories(truth, boxes, names)


def make_filters(weighting: MotionWeighting) -> dict[str, object]:
    return {
        "none": lambda: NoFilter(),
        "One-Euro (min cut-off 1 Hz, beta 0.05)": lambda: OneEuroFilter(TARGET_FPS, 1.0, 0.05),
        "One-Euro (min cut-off 3 Hz, beta 0.01)": lambda: OneEuroFilter(TARGET_FPS, 3.0, 0.01),
        "LTC Eq. 8, alpha 1": lambda: LocalTrajectoryFilter(alpha_still=1.0),
        "LTC Eq. 8, alpha 1, motion-aware": lambda: ("motion", LocalTrajectoryFilter(alpha_still=1.0)),
        # offline (whole clip, zero lag): not possible live
        "Butterworth 4th order 6 Hz, zero-lag (offline)": lambda: ("offline", 6.0),
        "Butterworth 4th order 8 Hz, zero-lag (offline)": lambda: ("offline", 8.0),
    }


MAX_LAG_FRAMES = 6


def lag_frames(outputs: list[np.ndarray], truths: list[np.ndarray]) -> int:
    """The delay (frames) by which the filtered trajectories best match the truth: the shift s ≥ 0 that
    minimises the mean squared difference between output[t] and truth[t − s], pooled over trajectories."""
    errors = []
    for shift in range(MAX_LAG_FRAMES + 1):
        parts = [np.sum((out[shift:] - truth[:len(truth) - shift]) ** 2, axis=-1).ravel()
                 for out, truth in zip(outputs, truths) if len(truth) > shift]
        errors.append(np.mean(np.concatenate(parts)))
    return int(np.argmin(errors))


def compare_filters(trajectories: Trajectories, noise_sd_box: float, seed: int = 0) -> dict[str, dict[str, float]]:
    weighting = MotionWeighting()
    rng = np.random.default_rng(seed)
    noisy = [t + rng.normal(0, noise_sd_box * b, t.shape) for t, b in zip(trajectories.truth_px, trajectories.box_px)]
    results = {}
    for name, factory in make_filters(weighting).items():
        squared, fast_squared, accel = [], [], []
        outputs = []
        for truth, measured, box in zip(trajectories.truth_px, noisy, trajectories.box_px):
            made = factory()
            speed = np.linalg.norm(np.diff(truth, axis=0, prepend=truth[:1]), axis=-1) / box  # (T, 17)
            if isinstance(made, tuple) and made[0] == "offline":
                out = butterworth_lowpass(measured, TARGET_FPS, cutoff_hz=made[1])
            else:
                motion_aware = isinstance(made, tuple)
                filter_ = made[1] if motion_aware else made
                out = np.empty_like(truth)
                for t in range(len(truth)):
                    ratio = weighting.weights(speed[t] / 1.5) / weighting.still_weight if motion_aware else None
                    out[t] = filter_(measured[t], np.ones(len(measured[t])), motion_ratio=ratio,
                                     person_size_px=1.5 * box)
            outputs.append(out)
            error = np.linalg.norm(out - truth, axis=-1) / box
            squared.append(error[2:] ** 2)
            fast_squared.append(error[2:][speed[2:] > FAST_SPEED] ** 2)
            accel_out = out[2:] - 2 * out[1:-1] + out[:-2]
            accel_true = truth[2:] - 2 * truth[1:-1] + truth[:-2]
            accel.append(np.linalg.norm(accel_out - accel_true, axis=-1) / box)
        results[name] = {
            "rmse": 1000 * float(np.sqrt(np.mean(np.concatenate([s.ravel() for s in squared])))),
            "rmse_fast": 1000 * float(np.sqrt(np.mean(np.concatenate([s.ravel() for s in fast_squared])))),
            "accel_error": 1000 * float(np.mean(np.concatenate([a.ravel() for a in accel]))),
            "lag_frames": lag_frames(outputs, trajectories.truth_px),
        }
    return results
