"""Soft-argmax decoding (Eq. 7) with and without motion weights, on built heatmaps."""

from __future__ import annotations

import numpy as np

from stsp_app.epe.heatmap_decoding import HEATMAP_SIZE, soft_argmax_decode


def _gaussian_logits(centre_cells, sigma=1.5):
    rows, cols = np.mgrid[0:HEATMAP_SIZE, 0:HEATMAP_SIZE]
    maps = [-((cols - cx) ** 2 + (rows - cy) ** 2) / (2 * sigma**2) * 4 + 4 for cx, cy in centre_cells]
    return np.stack(maps, axis=-1)


def test_recovers_a_subcell_peak():
    logits = _gaussian_logits([(20.3, 40.6)], sigma=1.2)
    # the regressed point is two cells off; the window still holds the peak
    decoded, peak = soft_argmax_decode(np.array([[22 * 4.0, 38 * 4.0]]), logits, crop_size=256)
    cell_to_px = lambda c: c * 4.0  # noqa: E731  (cell index -> crop px, see heatmap_decoding)
    assert np.allclose(decoded[0], [cell_to_px(20.3), cell_to_px(40.6)], atol=1.0)
    assert peak[0] > 0.9


def test_motion_weights_pull_towards_the_moving_part():
    two_blobs = np.maximum(_gaussian_logits([(30, 30)]), _gaussian_logits([(33, 30)]))
    still, _ = soft_argmax_decode(np.array([[31.5 * 4, 30 * 4]]), two_blobs, crop_size=256)
    weights = np.ones((HEATMAP_SIZE, HEATMAP_SIZE))
    weights[:, 32:] = 3.0  # the right blob moves
    moving, _ = soft_argmax_decode(np.array([[31.5 * 4, 30 * 4]]), two_blobs, crop_size=256, motion_weights=weights)
    assert moving[0, 0] > still[0, 0] + 2.0
