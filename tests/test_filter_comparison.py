"""The temporal filters on real mocap trajectories with known 2D truth (mocap/train)."""

from __future__ import annotations

import numpy as np

from stsp_app.evaluation.filter_comparison import compare_filters, load_trajectories, project_from_side
from tests.conftest import SHARED_DATA


def test_projection_puts_the_person_upright_in_front_of_the_camera():
    joints = np.zeros((1, 17, 3))
    joints[0, 10] = [0, 1700, 0]  # head above the pelvis (+Y up)
    image = project_from_side(joints, azimuth_rad=0.3)
    assert image[0, 10, 1] < image[0, 0, 1]  # image y points down: head above pelvis


def test_motion_aware_ltc_lags_less_than_plain_ltc_and_damps_jitter():
    trajectories = load_trajectories(SHARED_DATA / "mocap" / "train", max_motions=4, seed=1)
    results = compare_filters(trajectories, noise_sd_box=0.005)
    assert results["LTC Eq. 8, alpha 1, motion-aware"]["rmse_fast"] < results["LTC Eq. 8, alpha 1"]["rmse_fast"]
    assert results["LTC Eq. 8, alpha 1, motion-aware"]["accel_error"] < 0.6 * results["none"]["accel_error"]
