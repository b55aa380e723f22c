"""Keypoint decoding from the landmark network's heatmaps (paper Eq. 7), optionally motion-weighted (Eq. 5).

The network regresses each landmark and also outputs a 64x64 heatmap per landmark. Eq. 7 takes the
soft-argmax p = sum (x, y) softmax(H)(x, y). Over the whole map a soft-argmax is pulled towards every other
blob (the other side's limb, background clutter), so it is taken over a window centred on the regressed
point, as MediaPipe's refinement is. With motion weights W (Eq. 4-5), the probabilities are multiplied by W
before normalising, so that when a fast limb's heatmap is smeared by motion blur the moving part wins.
"""

from __future__ import annotations

import numpy as np

HEATMAP_SIZE = 64
DEFAULT_WINDOW = 7


def soft_argmax_decode(
    crop_xy_px: np.ndarray,
    heatmap_logits: np.ndarray,
    crop_size: int,
    window: int = DEFAULT_WINDOW,
    motion_weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Soft-argmax of each landmark's heatmap in a window around its regressed position.

    crop_xy_px: (N, 2) regressed positions in crop pixels; heatmap_logits: (64, 64, >=N);
    motion_weights: optional (64, 64) W on the heatmap grid. Returns refined (N, 2) crop pixels and, per
    landmark, the window's peak probability (a confidence of the heatmap itself).
    """
    count = len(crop_xy_px)
    stride = crop_size / HEATMAP_SIZE
    half = window // 2
    offsets = np.arange(-half, half + 1)
    # Cell (row i, column j) stands for crop point (j, i) * stride: the convention of MediaPipe's heatmap
    # refinement, which the network's heatmaps agree with (docs/method.md gives the check).
    centre_cells = np.floor(np.asarray(crop_xy_px) / stride).astype(int)
    cols = np.clip(centre_cells[:, 0:1] + offsets, 0, HEATMAP_SIZE - 1)  # (N, w)
    rows = np.clip(centre_cells[:, 1:2] + offsets, 0, HEATMAP_SIZE - 1)
    landmark = np.arange(count)[:, None, None]
    window_logits = heatmap_logits[rows[:, :, None], cols[:, None, :], landmark]  # (N, w, w)
    window_max = window_logits.max(axis=(1, 2), keepdims=True)
    weights = np.exp(window_logits - window_max)
    if motion_weights is not None:
        weights = weights * motion_weights[rows[:, :, None], cols[:, None, :]]
    weights /= weights.sum(axis=(1, 2), keepdims=True)
    x = (weights * cols[:, None, :]).sum(axis=(1, 2)) * stride
    y = (weights * rows[:, :, None]).sum(axis=(1, 2)) * stride
    peak = 1.0 / (1.0 + np.exp(-window_max[:, 0, 0]))
    return np.stack([x, y], axis=1), peak
