"""EPE-like 2D noise: profile files, the error kinds and their sizes."""

import json

import numpy as np
import pytest

from stsp_app.errors import InputError
from stsp_app.lifting.noise import DEFAULT_PROFILE, NoiseProfile, add_epe_noise, load_profile


def still_person(frames: int) -> np.ndarray:
    """A person 400 px tall standing still (box size 400 px)."""
    rng = np.random.default_rng(5)
    pose = np.stack([rng.uniform(500, 700, 17), rng.uniform(200, 600, 17)], axis=-1)
    pose[0] = [500, 200]
    pose[1] = [700, 600]
    return np.repeat(pose[None], frames, axis=0)


def profile(**changes) -> NoiseProfile:
    values = {"jitter_sd": 0.0, "bias_sd": 0.0, "outlier_rate": 0.0, "outlier_sd": 0.0, "swap_rate": 0.0,
              "low_conf_rate": 0.0, "low_conf_error_sd": 0.0, "conf_high_beta": [8, 2], "conf_low_beta": [2, 8]}
    values.update(changes)
    return NoiseProfile.from_dict(values, "test")


def test_jitter_has_the_profile_size_in_box_units():
    clean = still_person(4000)
    noisy, confidence = add_epe_noise(clean, np.random.default_rng(0), profile(jitter_sd=0.01))
    assert np.std(noisy - clean) == pytest.approx(4.0, rel=0.05)  # 1 % of a 400 px box
    assert confidence.mean() == pytest.approx(0.8, abs=0.02)  # Beta(8, 2)


def test_swaps_exchange_left_and_right_for_about_the_given_share_of_frames():
    clean = still_person(6000)
    noisy, _ = add_epe_noise(clean, np.random.default_rng(1), profile(swap_rate=0.1))
    swapped = np.abs(noisy - clean).max(axis=(1, 2)) > 1.0
    assert 0.06 < swapped.mean() < 0.14
    frame = np.flatnonzero(swapped)[0]
    assert np.allclose(noisy[frame, 0], clean[frame, 0])  # the pelvis never swaps


def test_occluded_joints_get_low_confidence_and_larger_errors():
    clean = still_person(3000)
    noisy, confidence = add_epe_noise(clean, np.random.default_rng(2), profile(low_conf_rate=0.2, low_conf_error_sd=0.05))
    low = confidence < 0.5
    assert 0.12 < low.mean() < 0.3
    error = np.linalg.norm(noisy - clean, axis=-1)
    assert error[low].mean() > 5.0 and error[confidence > 0.7].mean() < 1.0


def test_profile_file_round_trip_and_fallback(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"jitter_sd": [0.01] * 17, "bias_sd": 0.0, "outlier_rate": 0.05, "outlier_sd": 0.1,
                                "swap_rate": 0.01, "low_conf_rate": 0.1, "low_conf_error_sd": 0.03,
                                "conf_high_beta": [9, 1], "conf_low_beta": [1, 4]}))
    loaded = load_profile(path)
    assert loaded.outlier_rate == 0.05 and loaded.low_conf_rate.shape == (17,) and loaded.source == str(path)
    assert load_profile(tmp_path / "absent.json") is DEFAULT_PROFILE


def test_bad_profile_is_an_input_error(tmp_path):
    path = tmp_path / "profile.json"
    path.write_text(json.dumps({"jitter_sd": 0.01}))
    with pytest.raises(InputError):
        load_profile(path)
    path.write_text("{not json")
    with pytest.raises(InputError):
        load_profile(path)
