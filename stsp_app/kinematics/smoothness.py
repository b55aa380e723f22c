"""The per-frame temporal-smoothness (TS) jitter trace shown under the joint-angle charts.

For frame t the trace is the mean over joints of ``|p[t+1] - 2 p[t] + p[t-1]|``, the length of each joint's
second difference (its acceleration in units per frame²). Units follow the input: mm/frame² for 3D poses,
px/frame² for 2D keypoints. Multiply by fps² for units per s². The first and last frames, and frames next to
a missing pose, have no value (NaN). A steady pose gives 0; jitter shows up as spikes.
"""

from __future__ import annotations

import numpy as np


def jitter_trace(positions: np.ndarray) -> np.ndarray:
    """Per-frame jitter of positions (T, J, D) with NaN for missing poses; returns (T,) with NaN at the ends."""
    positions = np.asarray(positions, dtype=np.float64)
    if positions.ndim != 3:
        raise ValueError(f"expected positions of shape (T, J, D), got {positions.shape}")
    trace = np.full(positions.shape[0], np.nan)
    if positions.shape[0] < 3:
        return trace
    second_difference = positions[2:] - 2.0 * positions[1:-1] + positions[:-2]
    per_joint = np.linalg.norm(second_difference, axis=-1)
    finite = np.isfinite(per_joint)
    counts = finite.sum(axis=-1)
    sums = np.where(finite, per_joint, 0.0).sum(axis=-1)
    trace[1:-1] = np.where(counts > 0, sums / np.maximum(counts, 1), np.nan)
    return trace
