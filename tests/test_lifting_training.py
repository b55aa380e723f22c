"""Training batches: drawing GSR's frames so that every band of knee flexion comes up equally often."""

from __future__ import annotations

import numpy as np
import torch

from stsp_app.lifting.dataset import limb_flexion_deg
from stsp_app.lifting.training import SequenceSet, knee_balance_weights


def legs_bent_by(flexion_deg: np.ndarray) -> np.ndarray:
    """(T, 17, 3) poses in metres whose two knees are flexed by ``flexion_deg`` (T,)."""
    joints = np.zeros((len(flexion_deg), 17, 3))
    angle = np.radians(flexion_deg)
    for hip, knee, ankle, x in ((1, 2, 3, -0.1), (4, 5, 6, 0.1)):
        joints[:, hip] = (x, 0.0, 0.0)
        joints[:, knee] = (x, -0.4, 0.0)
        joints[:, ankle, 0] = x
        joints[:, ankle, 1] = -0.4 - 0.4 * np.cos(angle)
        joints[:, ankle, 2] = -0.4 * np.sin(angle)
    return joints


def test_flexion_is_the_angle_between_the_segments():
    np.testing.assert_allclose(limb_flexion_deg(legs_bent_by(np.array([0.0, 35.0, 90.0])), 1, 2, 3),
                               [0.0, 35.0, 90.0], atol=1e-6)


def test_rare_straight_knees_are_drawn_as_often_as_the_common_bend():
    flexion = np.where(np.arange(1000) % 20 == 0, 4.0, 33.0)  # 5 % of the frames straight
    targets = legs_bent_by(flexion).astype(np.float32)
    weights = knee_balance_weights(targets)
    assert np.isclose(weights.sum(), 1.0)
    assert np.isclose(weights[flexion < 10].sum(), 0.5)  # two bands in use: half each
    data = SequenceSet.from_sequences([(np.zeros_like(targets), targets)])
    assert isinstance(data.targets_m, torch.Tensor)
    rng = np.random.default_rng(0)
    _, drawn = data.sample_windows(rng, 4000, np.array([0]), np.cumsum(weights), weighted_share=1.0)
    straight_share = float((limb_flexion_deg(drawn[:, 0].numpy(), 1, 2, 3) < 10).mean())
    assert 0.45 < straight_share < 0.55
    _, uniform = data.sample_windows(rng, 4000, np.array([0]))
    assert float((limb_flexion_deg(uniform[:, 0].numpy(), 1, 2, 3) < 10).mean()) < 0.08
