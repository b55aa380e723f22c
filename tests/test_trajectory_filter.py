"""The local trajectory constraint (Eq. 8) filter, One-Euro, none: lag and jitter on known trajectories."""

from __future__ import annotations

import numpy as np
import pytest

from stsp_app.epe.trajectory_filter import LocalTrajectoryFilter, make_filter


def _run(filter_, trajectory, confidence=1.0, motion_ratio=None):
    out = []
    for point in trajectory:
        out.append(filter_(point[None, :], np.array([confidence]), motion_ratio=motion_ratio, person_size_px=200.0)[0])
    return np.array(out)


def test_ltc_has_no_lag_at_constant_velocity():
    t = np.arange(60, dtype=float)
    trajectory = np.column_stack([100 + 7.5 * t, 50 - 3.0 * t])
    filtered = _run(LocalTrajectoryFilter(alpha_still=4.0), trajectory)
    np.testing.assert_allclose(filtered, trajectory, atol=1e-9)


def test_one_euro_lags_where_ltc_does_not():
    t = np.arange(60, dtype=float)
    trajectory = np.column_stack([10 * t, np.zeros_like(t)])
    one_euro = _run(make_filter("one-euro", fps=30), trajectory)
    assert np.mean(trajectory[20:, 0] - one_euro[20:, 0]) > 1.0


def test_ltc_reduces_jitter_on_a_still_point():
    rng = np.random.default_rng(0)
    trajectory = np.array([200.0, 120.0]) + rng.normal(0, 2.0, size=(300, 2))
    filtered = _run(LocalTrajectoryFilter(alpha_still=4.0), trajectory)
    raw_accel = np.linalg.norm(np.diff(trajectory, 2, axis=0), axis=1).mean()
    filtered_accel = np.linalg.norm(np.diff(filtered, 2, axis=0), axis=1).mean()
    assert filtered_accel < 0.5 * raw_accel
    assert np.abs(filtered[50:].mean(axis=0) - [200.0, 120.0]).max() < 1.0


def test_motion_weighting_smooths_fast_joints_less():
    rng = np.random.default_rng(1)
    trajectory = np.array([200.0, 120.0]) + rng.normal(0, 2.0, size=(200, 2))
    still = _run(LocalTrajectoryFilter(alpha_still=4.0), trajectory, motion_ratio=np.array([1.0]))
    fast = _run(LocalTrajectoryFilter(alpha_still=4.0), trajectory, motion_ratio=np.array([8.0]))
    deviation = lambda x: np.abs(x - trajectory).mean()  # noqa: E731
    assert deviation(fast) < deviation(still)


def test_low_confidence_leans_on_the_prediction():
    trajectory = np.column_stack([np.arange(10.0) * 5, np.zeros(10)])
    trajectory[9] = [75.0, 20.0]  # an outlier at the last frame, within the reset distance
    sure = _run(LocalTrajectoryFilter(alpha_still=1.0), trajectory, confidence=1.0)
    unsure = _run(LocalTrajectoryFilter(alpha_still=1.0), trajectory, confidence=0.1)
    assert np.linalg.norm(unsure[9] - [45, 0]) < np.linalg.norm(sure[9] - [45, 0])


def test_a_large_jump_resets_instead_of_dragging():
    trajectory = np.vstack([np.tile([100.0, 100.0], (10, 1)), np.tile([400.0, 100.0], (10, 1))])
    filtered = _run(LocalTrajectoryFilter(alpha_still=4.0), trajectory)
    np.testing.assert_allclose(filtered[10:], trajectory[10:])


def test_unknown_filter_name():
    with pytest.raises(ValueError, match="unknown filter"):
        make_filter("kalman", fps=30)
