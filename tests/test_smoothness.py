"""The per-frame temporal-smoothness (jitter) trace."""

import numpy as np
import pytest

from stsp_app.kinematics.smoothness import jitter_trace


def test_constant_velocity_has_no_jitter():
    t = np.arange(10, dtype=float)
    positions = np.stack([np.stack([t * 3.0, t * -2.0, np.zeros(10)], axis=-1)] * 17, axis=1)
    trace = jitter_trace(positions)
    assert trace.shape == (10,)
    assert np.isnan(trace[0]) and np.isnan(trace[-1])
    assert np.allclose(trace[1:-1], 0.0)


def test_one_displaced_joint_shows_as_a_spike():
    positions = np.zeros((7, 17, 3))
    positions[3, 5, 0] = 17.0  # one joint jumps 17 mm in one frame and comes back
    trace = jitter_trace(positions)
    # Frame 3: |0 - 2*17 + 0| = 34 for that joint, averaged over 17 joints; frames 2 and 4: 17 / 17.
    assert trace[3] == pytest.approx(2.0)
    assert trace[2] == pytest.approx(1.0) and trace[4] == pytest.approx(1.0)
    assert trace[1] == 0.0 and trace[5] == 0.0


def test_missing_poses_leave_gaps_not_zeros():
    positions = np.zeros((6, 17, 2))
    positions[2] = np.nan
    trace = jitter_trace(positions)
    assert np.isnan(trace[1:4]).all()
    assert trace[4] == 0.0
    assert len(jitter_trace(np.zeros((2, 17, 3)))) == 2
