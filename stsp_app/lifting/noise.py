"""2D keypoint noise shaped like the EPE stage's real errors, for training and evaluating the lifters.

The shape of the noise comes from a profile file, ``models/epe_noise_profile.json``, measured on the EPE
stage's real output (schema in docs/lifting.md). All lengths are in units of the person's 2D box size
(max(width, height) of the box around the 17 joints), so one profile serves every resolution and distance.
Where the file is absent, ``DEFAULT_PROFILE`` is used: hand-set values of the right order for a BlazePose-class
detector, documented as a fallback, not as measurements.

Error kinds, each applied to a (T, 17) sequence:
- jitter: independent per frame and joint (what a still person shows);
- bias: one constant offset per joint and sequence (joint definitions differ between detector and mocap);
- outliers: single-frame jumps of one joint;
- left/right swaps: runs of frames in which the two legs, the two arms or the whole body swap sides;
- occlusion: runs of frames in which a joint's confidence is low and its position error large.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stsp_app.core.paths import REPO_MODELS_DIR
from stsp_app.core.skeleton import MIRROR_PERMUTATION, NUM_JOINTS
from stsp_app.errors import InputError
from stsp_app.lifting.normalisation import box_size_px

PROFILE_PATH = REPO_MODELS_DIR / "epe_noise_profile.json"

_LEGS = (1, 2, 3, 4, 5, 6)
_ARMS = (11, 12, 13, 14, 15, 16)


@dataclass(frozen=True)
class NoiseProfile:
    jitter_sd: np.ndarray  # (17,) per-frame sd per coordinate, box units
    bias_sd: float  # per-sequence constant offset sd per joint and coordinate, box units
    outlier_rate: float  # probability that a joint is an outlier in a frame
    outlier_sd: float  # sd of an outlier's displacement per coordinate, box units
    swap_rate: float  # share of frames with a left/right swap
    swap_mean_frames: float  # mean length of a swap run
    low_conf_rate: np.ndarray  # (17,) share of frames in which the joint has low confidence (occluded)
    low_conf_mean_frames: float  # mean length of an occlusion run
    low_conf_error_sd: float  # position error sd per coordinate of a low-confidence joint, box units
    conf_high_beta: tuple[float, float]  # Beta(a, b) of confidences of seen joints
    conf_low_beta: tuple[float, float]  # Beta(a, b) of confidences of occluded joints
    source: str = field(default="default")

    @staticmethod
    def from_dict(data: dict, source: str) -> "NoiseProfile":
        def per_joint(value) -> np.ndarray:
            return np.broadcast_to(np.asarray(value, dtype=np.float64), (NUM_JOINTS,)).copy()

        try:
            return NoiseProfile(
                jitter_sd=per_joint(data["jitter_sd"]),
                bias_sd=float(data["bias_sd"]),
                outlier_rate=float(data["outlier_rate"]),
                outlier_sd=float(data["outlier_sd"]),
                swap_rate=float(data["swap_rate"]),
                swap_mean_frames=float(data.get("swap_mean_frames", 3.0)),
                low_conf_rate=per_joint(data["low_conf_rate"]),
                low_conf_mean_frames=float(data.get("low_conf_mean_frames", 8.0)),
                low_conf_error_sd=float(data["low_conf_error_sd"]),
                conf_high_beta=tuple(float(v) for v in data["conf_high_beta"]),
                conf_low_beta=tuple(float(v) for v in data["conf_low_beta"]),
                source=source,
            )
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"{source}: not a valid EPE noise profile ({error!r}); see docs/lifting.md") from error


DEFAULT_PROFILE = NoiseProfile.from_dict(
    {
        "jitter_sd": [0.004] * 7 + [0.005, 0.005, 0.006, 0.006] + [0.005, 0.007, 0.009] * 2,
        "bias_sd": 0.008,
        "outlier_rate": 0.01,
        "outlier_sd": 0.08,
        "swap_rate": 0.02,
        "swap_mean_frames": 3.0,
        "low_conf_rate": [0.0, 0.03, 0.05, 0.08, 0.03, 0.05, 0.08, 0.0, 0.02, 0.03, 0.03,
                          0.03, 0.07, 0.10, 0.03, 0.07, 0.10],
        "low_conf_mean_frames": 8.0,
        "low_conf_error_sd": 0.04,
        "conf_high_beta": [8.0, 1.5],
        "conf_low_beta": [2.0, 5.0],
    },
    source="built-in default (no models/epe_noise_profile.json)",
)


def load_profile(path: Path | None = None) -> NoiseProfile:
    """The measured profile at ``path`` (default models/epe_noise_profile.json), else ``DEFAULT_PROFILE``."""
    path = PROFILE_PATH if path is None else Path(path)
    if not path.is_file():
        return DEFAULT_PROFILE
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: cannot read the EPE noise profile ({error})") from error
    return NoiseProfile.from_dict(data, source=str(path))


def _runs(rng: np.random.Generator, frames: int, rate, mean_frames: float, shape: tuple = ()) -> np.ndarray:
    """Boolean (frames, *shape): runs of mean length ``mean_frames`` covering about ``rate`` of the frames.

    ``rate`` is a scalar or an array of ``shape`` (one rate per element).
    """
    rate = np.clip(np.broadcast_to(np.asarray(rate, dtype=np.float64), shape), 0.0, 0.95)
    stop = 1.0 / max(mean_frames, 1.0)
    start = stop * rate / (1.0 - rate)
    state = rng.random(shape) < rate
    out = np.empty((frames, *shape), dtype=bool)
    draws = rng.random((frames, *shape))
    for t in range(frames):
        state = np.where(state, draws[t] >= stop, draws[t] < start)
        out[t] = state
    return out


def add_epe_noise(
    keypoints_px: np.ndarray, rng: np.random.Generator, profile: NoiseProfile = DEFAULT_PROFILE, strength: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy copy of clean 2D keypoints (T, 17, 2) and the confidences (T, 17) an EPE stage would report.

    ``strength`` scales every displacement and rate (1 = the profile as measured).
    """
    frames = keypoints_px.shape[0]
    size = box_size_px(keypoints_px, np.ones(keypoints_px.shape[:2]))[:, None, None]
    noisy = keypoints_px.astype(np.float64).copy()

    swapped = _runs(rng, frames, profile.swap_rate * strength, profile.swap_mean_frames)  # one kind per sequence
    if swapped.any():
        kind = rng.integers(3)
        permutation = np.arange(NUM_JOINTS)
        group = {0: _LEGS, 1: _ARMS, 2: _LEGS + _ARMS}[int(kind)]
        for joint in group:
            permutation[joint] = MIRROR_PERMUTATION[joint]
        noisy[swapped] = noisy[swapped][:, permutation]

    noisy += rng.normal(0.0, profile.bias_sd * strength, size=(1, NUM_JOINTS, 2)) * size
    noisy += rng.normal(size=noisy.shape) * (profile.jitter_sd[None, :, None] * strength) * size
    outliers = rng.random((frames, NUM_JOINTS)) < profile.outlier_rate * strength
    noisy += np.where(outliers[..., None], rng.normal(0.0, profile.outlier_sd, size=noisy.shape) * size, 0.0)

    occluded = _runs(rng, frames, profile.low_conf_rate * strength, profile.low_conf_mean_frames, (NUM_JOINTS,))
    occlusion_error = rng.normal(0.0, profile.low_conf_error_sd, size=(1, NUM_JOINTS, 2)) * size
    noisy += np.where(occluded[..., None], occlusion_error + rng.normal(size=noisy.shape) * 0.3 * occlusion_error, 0.0)

    confidence = rng.beta(*profile.conf_high_beta, size=(frames, NUM_JOINTS))
    confidence = np.where(occluded, rng.beta(*profile.conf_low_beta, size=(frames, NUM_JOINTS)), confidence)
    return noisy.astype(np.float32), confidence.astype(np.float32)
