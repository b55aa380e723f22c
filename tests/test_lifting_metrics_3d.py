"""3D metrics of eval-3d on hand-computed cases."""

import numpy as np
import pytest

from stsp_app.core.pose_alignment import procrustes_align
from stsp_app.evaluation.metrics_3d import PooledErrors, evaluate
from stsp_app.kinematics.signals import consecutive_runs


def walking_target(frames: int = 5) -> np.ndarray:
    """Joints moving at constant velocity (zero acceleration), mm."""
    rng = np.random.default_rng(0)
    rest = rng.normal(0.0, 300.0, (17, 3))
    rest[0] = 0.0
    return rest[None] + np.arange(frames)[:, None, None] * np.array([10.0, 0.0, 0.0])


def test_constant_offset():
    target = walking_target()
    metrics = evaluate(target + np.array([6.0, 8.0, 0.0]), target)
    assert metrics["mpjpe_mm"] == pytest.approx(10.0)
    assert metrics["pmpjpe_mm"] == pytest.approx(0.0, abs=1e-6)
    assert metrics["pck3d_150"] == 100.0
    assert metrics["accel_err"] == pytest.approx(0.0, abs=1e-9)
    assert metrics["mpjve_mm"] == pytest.approx(0.0, abs=1e-9)
    assert metrics["ts_mm_per_frame2"] == pytest.approx(metrics["ts_gt_mm_per_frame2"])
    assert metrics["per_joint_mpjpe_mm"]["left_wrist"] == pytest.approx(10.0)


def test_pck_and_auc():
    target = walking_target()
    predicted = target.copy()
    predicted[:, 4, 1] += 200.0  # one joint of 17 beyond 150 mm
    assert evaluate(predicted, target)["pck3d_150"] == pytest.approx(100.0 * 16 / 17, abs=1e-3)
    # Every joint 52 mm off: inside the thresholds 55, 60, ..., 150 mm (20 of the 31) -> AUC 20/31.
    assert evaluate(target + np.array([0.0, 0.0, 52.0]), target)["auc"] == pytest.approx(100.0 * 20 / 31, abs=1e-3)


def test_smoothness_acceleration_and_velocity_errors_of_a_spike():
    target = walking_target(5)
    predicted = target.copy()
    predicted[2] += np.array([0.0, 30.0, 0.0])  # one frame jumps 30 mm
    metrics = evaluate(predicted, target)
    assert metrics["ts_gt_mm_per_frame2"] == pytest.approx(0.0, abs=1e-9)
    # second differences at frames 1, 2, 3: 30, -60, 30 mm -> mean norm 40
    assert metrics["ts_mm_per_frame2"] == pytest.approx(40.0)
    assert metrics["accel_err"] == pytest.approx(40.0)
    assert metrics["accel_err_xyz"] == pytest.approx([0.0, 40.0, 0.0])  # the jump was along y only
    # velocity errors 0, 30, -30, 0 -> 15
    assert metrics["mpjve_mm"] == pytest.approx(15.0)


def test_frames_without_prediction_are_left_out_and_break_the_runs():
    target = walking_target(7)
    predicted = target + np.array([0.0, 0.0, 5.0])
    predicted[3] = np.nan
    metrics = evaluate(predicted, target)
    assert metrics["frames"] == 7 and metrics["frames_without_prediction"] == 1
    assert metrics["mpjpe_mm"] == pytest.approx(5.0)
    assert [(run.start, run.stop) for run in consecutive_runs(np.isfinite(predicted).all(axis=(1, 2)))] == [(0, 3), (4, 7)]


def test_procrustes_undoes_rotation_scale_and_translation():
    rng = np.random.default_rng(3)
    target = rng.normal(0.0, 300.0, (4, 17, 3))
    angle = 0.9
    rotation = np.array([[np.cos(angle), 0, np.sin(angle)], [0, 1, 0], [-np.sin(angle), 0, np.cos(angle)]])
    predicted = 0.8 * target @ rotation.T + np.array([40.0, -10.0, 7.0])
    np.testing.assert_allclose(procrustes_align(predicted, target), target, atol=1e-8)


def test_pooling_weighs_frames():
    target = walking_target(4)
    pooled = PooledErrors()
    pooled.add(target + np.array([0.0, 10.0, 0.0]), target)  # 4 frames at 10 mm
    pooled.add(target[:2] + np.array([0.0, 40.0, 0.0]), target[:2])  # 2 frames at 40 mm
    assert pooled.metrics()["mpjpe_mm"] == pytest.approx((4 * 10.0 + 2 * 40.0) / 6)
