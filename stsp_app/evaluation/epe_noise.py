"""Measure the EPE stage's 2D errors on its real output, as the profile the lifters train with
(``models/epe_noise_profile.json``; schema in stsp_app/lifting/noise.py and docs/lifting.md).

There are no 2D labels for these videos, so every figure is read from the keypoint trajectories themselves,
in units of the person's box size (max side of the box around the 17 joints, its median over each stretch):
- jitter: for white noise of sd s, the second difference has sd sqrt(6) s. On still stretches (smoothed
  joint speed below STILL_SPEED box/frame) motion adds almost nothing, so s = robust sd(d2) / sqrt(6);
- outliers: residuals from a local quadratic fit over 7 frames (Savitzky-Golay; it follows accelerating
  limbs, while a one-frame jump of size a leaves a residual of 2a/3) larger than OUTLIER_SIGMAS jitter sds
  and than OUTLIER_FLOOR box sizes;
- left/right swaps: frames where relabelling left as right brings the pose much closer to the previous one;
- occlusion: runs of frames with confidence below LOW_CONFIDENCE, per joint;
- confidences: Beta distributions fitted by moments to the seen (>= 0.5) and occluded (< 0.5) joints.
A per-sequence bias between detector and mocap joint definitions needs 2D ground truth: it is not measured
here, and the profile keeps the lifting module's default for it (said in the file's "notes").
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import MIRROR_PERMUTATION, NUM_JOINTS, box_size

STILL_SPEED = 0.01
OUTLIER_SIGMAS = 5.0
OUTLIER_FLOOR = 0.05
LOW_CONFIDENCE = 0.5
SWAP_GAIN = 0.5          # a swap: the mirrored pose is at most half as far from the previous frame
SWAP_MIN_CHANGE = 0.05   # ... and the unmirrored one moved at least this many box sizes
DEFAULT_BIAS_SD = 0.008
SAVITZKY_GOLAY_7_2 = np.array([-2, 3, 6, 7, 6, 3, -2]) / 21.0  # centre value of a quadratic fit to 7 points


def _robust_sd(values: np.ndarray) -> float:
    values = values[np.isfinite(values)]
    if values.size < 10:
        return float("nan")
    return float(1.4826 * np.median(np.abs(values - np.median(values))))


def _runs_mean_length(mask: np.ndarray) -> float:
    """Mean length of the runs of True in a 1-D boolean array."""
    padded = np.concatenate([[False], mask, [False]]).astype(int)
    starts, ends = np.flatnonzero(np.diff(padded) == 1), np.flatnonzero(np.diff(padded) == -1)
    return float(np.mean(ends - starts)) if starts.size else 0.0


def _beta_by_moments(values: np.ndarray, fallback: tuple[float, float]) -> tuple[float, float]:
    values = np.clip(values[np.isfinite(values)], 1e-3, 1 - 1e-3)
    if values.size < 20:
        return fallback
    mean, variance = values.mean(), values.var()
    common = mean * (1 - mean) / max(variance, 1e-6) - 1
    return (float(mean * common), float((1 - mean) * common)) if common > 0 else fallback


def segment_stats(kp2d: np.ndarray) -> dict[str, np.ndarray]:
    """Per-frame quantities of one contiguous (T, 17, 3) stretch of keypoints (no missing frames)."""
    xy, confidence = kp2d[..., :2], kp2d[..., 2]
    # One box size per stretch (its median): a per-frame size would carry its own noise into every joint.
    box = np.median(box_size(xy))
    xy_box = xy / box
    d2 = xy_box[2:] - 2 * xy_box[1:-1] + xy_box[:-2]           # (T-2, 17, 2), centred on frames 1..T-2
    kernel = np.ones(5) / 5
    smooth = np.apply_along_axis(lambda s: np.convolve(s, kernel, mode="same"), 0, xy_box)
    speed = np.linalg.norm(np.diff(smooth, axis=0), axis=-1)  # (T-1, 17)
    still = (speed[1:] < STILL_SPEED) & (speed[:-1] < STILL_SPEED)  # (T-2, 17)
    padded = np.concatenate([xy_box[:1]] * 3 + [xy_box] + [xy_box[-1:]] * 3)
    quadratic_fit = sum(w * padded[i : i + len(xy_box)] for i, w in enumerate(SAVITZKY_GOLAY_7_2))
    residual = xy_box - quadratic_fit                           # (T, 17, 2)
    step = np.abs(xy_box[1:] - xy_box[:-1]).sum(axis=(1, 2))
    mirrored_step = np.abs(xy_box[1:][:, MIRROR_PERMUTATION] - xy_box[:-1]).sum(axis=(1, 2))
    swap = (mirrored_step < SWAP_GAIN * step) & (step / NUM_JOINTS > SWAP_MIN_CHANGE)
    return {
        "d2": d2, "still": still, "residual": residual, "confidence": confidence, "swap_onsets": swap,
        "frames": len(kp2d),
    }


def contiguous_segments(kp2d_with_gaps: np.ndarray, min_frames: int = 10) -> list[np.ndarray]:
    """Split (T, 17, 3) with NaN rows (frames without the person) into stretches of at least min_frames."""
    present = np.isfinite(kp2d_with_gaps[:, 0, 0])
    segments, start = [], None
    for index, here in enumerate(np.append(present, False)):
        if here and start is None:
            start = index
        elif not here and start is not None:
            if index - start >= min_frames:
                segments.append(kp2d_with_gaps[start:index])
            start = None
    return segments


def measure_noise_profile(kp2d_sequences: list[np.ndarray], sources: list[str]) -> dict:
    """The noise profile (dict, JSON-ready) from (T, 17, 3) keypoint sequences with NaN rows for gaps."""
    stats = [segment_stats(s) for seq in kp2d_sequences for s in contiguous_segments(seq)]
    if not stats:
        raise ValueError("no stretch of at least 10 frames with a person: nothing to measure")
    d2 = np.concatenate([s["d2"] for s in stats])                 # (N, 17, 2)
    still = np.concatenate([s["still"] for s in stats])           # (N, 17)
    confidence = np.concatenate([s["confidence"] for s in stats])  # (F, 17)
    low = confidence < LOW_CONFIDENCE
    frames = sum(s["frames"] for s in stats)

    jitter_sd = np.array([_robust_sd(d2[still[:, j], j].reshape(-1)) / np.sqrt(6) for j in range(NUM_JOINTS)])
    overall_jitter = _robust_sd(d2[still].reshape(-1)) / np.sqrt(6)
    jitter_sd = np.where(np.isfinite(jitter_sd), jitter_sd, overall_jitter)
    residual = np.concatenate([s["residual"] for s in stats])     # (F, 17, 2)
    threshold = np.maximum(OUTLIER_SIGMAS * jitter_sd, OUTLIER_FLOOR)
    size = np.abs(residual).max(axis=-1)                            # (F, 17)
    # A jump leaves smaller residuals on its neighbours too: count only the peak within +-3 frames.
    padded = np.pad(size, ((3, 3), (0, 0)))
    local_peak = size >= np.max(np.stack([padded[i : i + len(size)] for i in range(7)]), axis=0)
    outliers = (size > threshold[None, :]) & local_peak
    # The fit's residual at a one-frame jump is 2/3 of the jump.
    outlier_sd = float(np.sqrt(np.mean((1.5 * residual[outliers]) ** 2))) if outliers.any() else 0.0

    low_conf_lengths = [_runs_mean_length(low[:, j]) for j in range(NUM_JOINTS) if low[:, j].any()]
    low_error_sd = _robust_sd(residual[low].reshape(-1)) if low.any() else float("nan")
    swaps = np.concatenate([s["swap_onsets"] for s in stats])
    return {
        "jitter_sd": np.round(jitter_sd, 5).tolist(),
        "bias_sd": DEFAULT_BIAS_SD,
        "outlier_rate": round(float(outliers.mean()), 5),
        "outlier_sd": round(outlier_sd, 5),
        "swap_rate": round(float(swaps.mean()), 5),
        "swap_mean_frames": 3.0,
        "low_conf_rate": np.round(low.mean(axis=0), 4).tolist(),
        "low_conf_mean_frames": round(float(np.mean(low_conf_lengths)) if low_conf_lengths else 8.0, 2),
        "low_conf_error_sd": round(float(low_error_sd) if np.isfinite(low_error_sd) else 0.04, 5),
        "conf_high_beta": [round(v, 3) for v in _beta_by_moments(confidence[~low], (8.0, 1.5))],
        "conf_low_beta": [round(v, 3) for v in _beta_by_moments(confidence[low], (2.0, 5.0))],
        "measured_on": {"sources": sources, "frames": int(frames), "still_joint_frames": int(still.sum())},
        "notes": (
            "Measured by `stsp-coach measure-noise` on the EPE stage's default output (stsp_app/evaluation/"
            "epe_noise.py). bias_sd needs 2D ground truth and is the lifting default, not a measurement; "
            "swap_mean_frames is the default: swap onsets are counted, their durations are not."
        ),
    }
