"""The lifters' 2D input: pelvis-centred keypoints divided by the size of the person's 2D box.

Why not pixels divided by image width (VideoPose3D)? That keeps the person's apparent size in the image,
which depends on the unknown focal length and distance: a model trained on one camera learns its size/depth
relation and misreads another. Dividing by the person's own 2D size makes the input the same whatever the
focal length, distance and resolution; only the pose's shape (and perspective foreshortening) remains.
The metric size then comes from the learned body proportions, or from the child's stature when it is known.
"""

from __future__ import annotations

import warnings

import numpy as np

CONFIDENT = 0.2


def box_size_px(keypoints_px: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """max(width, height) of the box around each frame's confident joints: (..., 17, 2), (..., 17) -> (...)."""
    usable = confidence > CONFIDENT
    usable = np.where(usable.sum(axis=-1, keepdims=True) >= 2, usable, confidence > 0)
    big = np.where(usable[..., None], keypoints_px, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with no usable joint: all-NaN slices
        extent = np.nanmax(big, axis=-2) - np.nanmin(big, axis=-2)
    size = np.nanmax(extent, axis=-1)
    return np.where(np.isfinite(size) & (size > 1.0), size, 1.0)


def normalise_keypoints(keypoints_px: np.ndarray, confidence: np.ndarray) -> np.ndarray:
    """(..., 17, 2) pixels and (..., 17) confidences -> (..., 17, 3) features (x, y, confidence).

    x, y are relative to the pelvis (joint 0; the mid-hip point where it is unseen) in units of half the 2D
    box size. Joints with zero confidence or non-finite coordinates get position (0, 0) and confidence 0.
    """
    keypoints_px = np.asarray(keypoints_px, dtype=np.float64)
    confidence = np.asarray(confidence, dtype=np.float64)
    finite = np.isfinite(keypoints_px).all(axis=-1) & np.isfinite(confidence)
    confidence = np.where(finite, np.clip(confidence, 0.0, 1.0), 0.0)
    keypoints_px = np.where(finite[..., None], keypoints_px, 0.0)
    size = box_size_px(keypoints_px, confidence)
    # The pelvis, or the mid-hip point where the pelvis was not seen.
    hips_seen = (confidence[..., 1] > 0) & (confidence[..., 4] > 0)
    mid_hip = 0.5 * (keypoints_px[..., 1, :] + keypoints_px[..., 4, :])
    root = np.where((confidence[..., 0] > 0)[..., None], keypoints_px[..., 0, :],
                    np.where(hips_seen[..., None], mid_hip, keypoints_px[..., 0, :]))[..., None, :]
    xy = (keypoints_px - root) / (0.5 * size[..., None, None])
    xy = np.where(confidence[..., None] > 0, xy, 0.0)
    return np.concatenate([xy, confidence[..., None]], axis=-1).astype(np.float32)
