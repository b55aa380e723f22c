"""Reproducible degradations of real frames for the EPE robustness table (docs/RESULTS.md)."""

from __future__ import annotations

import cv2
import numpy as np

from stsp_app.core.skeleton import box_size

DEGRADATIONS = ("motion-blur", "dropped-frames", "occlusion", "low-resolution")
LIMB_JOINTS = (2, 3, 5, 6, 12, 13, 15, 16)  # knees, ankles, elbows, wrists (H36M order)


def motion_blur(frame: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Linear motion blur along a random direction, 1% of the image diagonal long (5 px on 426x240): the
    smear of a fast limb or a panning phone at 30 frames/s. (At 3% the detector found almost nobody.)"""
    length = max(3, int(round(0.01 * np.hypot(*frame.shape[:2]))))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rotation = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2), float(rng.uniform(0, 180)), 1.0)
    kernel = cv2.warpAffine(kernel, rotation, (length, length))
    return cv2.filter2D(frame, -1, kernel / kernel.sum())


def occlude_limbs(frame: np.ndarray, kp2d: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """Grey patches (15% of the person's size) over two random limb joints of the clean run's keypoints."""
    if kp2d is None:
        return frame
    out = frame.copy()
    size = 0.15 * box_size(kp2d)
    for joint in rng.choice(LIMB_JOINTS, size=2, replace=False):
        x, y = kp2d[joint, :2]
        cv2.rectangle(out, (int(x - size / 2), int(y - size / 2)), (int(x + size / 2), int(y + size / 2)),
                      (128, 128, 128), thickness=-1)
    return out


def lower_resolution(frame: np.ndarray) -> np.ndarray:
    """Half the resolution (then back to the original size, so coordinates stay comparable)."""
    height, width = frame.shape[:2]
    small = cv2.resize(frame, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)


def degrade(frames: list[np.ndarray], kind: str, reference_kp2d: list[np.ndarray | None], seed: int = 0
            ) -> tuple[list[np.ndarray], list[int]]:
    """The degraded stream and, for each of its frames, the index of the original frame it shows."""
    rng = np.random.default_rng(seed)
    indices = list(range(len(frames)))
    if kind == "motion-blur":
        return [motion_blur(f, rng) for f in frames], indices
    if kind == "dropped-frames":
        kept = [i for i in indices if i == 0 or rng.random() >= 1 / 3]
        return [frames[i] for i in kept], kept
    if kind == "occlusion":
        return [occlude_limbs(f, k, rng) for f, k in zip(frames, reference_kp2d)], indices
    if kind == "low-resolution":
        return [lower_resolution(f) for f in frames], indices
    raise ValueError(f"unknown degradation {kind!r}; choose from {', '.join(DEGRADATIONS)}")
