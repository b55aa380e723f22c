"""Child proportions: the requested stature is reached, heads are relatively bigger and legs shorter."""

import numpy as np
import pytest

from stsp_app.core.paths import shared_data_dir
from stsp_app.core.skeleton import bone_lengths
from stsp_app.lifting.anthropometry import head_height_ratio, scale_to_stature, sitting_height_ratio, stature_mm
from stsp_app.mocap import load_motion

TRAIN_FILE = shared_data_dir() / "mocap" / "train" / "cmu-bvh" / "007" / "007_12.bvh"


@pytest.fixture(scope="module")
def adult():
    return load_motion(TRAIN_FILE).joints_mm.astype(np.float64)


@pytest.mark.parametrize("target_mm", [1000.0, 1250.0, 1800.0])
def test_scaling_reaches_the_requested_stature(adult, target_mm):
    scaled = scale_to_stature(adult, target_mm)
    assert abs(np.median(stature_mm(scaled)) - target_mm) < 0.5
    assert scaled.shape == adult.shape


def test_children_have_relatively_bigger_heads_and_shorter_legs(adult):
    child = scale_to_stature(adult, 1100.0)
    grown = scale_to_stature(adult, 1750.0)

    def shares(joints):
        lengths = bone_lengths(joints[0])  # BONES order: 0-1,1-2,2-3,0-4,4-5,5-6,0-7,7-8,8-9,9-10,...
        stature = stature_mm(joints[0])
        return (lengths[1] + lengths[2]) / stature, (lengths[8] + lengths[9]) / stature

    child_leg, child_head = shares(child)
    adult_leg, adult_head = shares(grown)
    assert child_head > 1.2 * adult_head
    assert child_leg < 0.97 * adult_leg


def test_scaling_keeps_bone_directions(adult):
    scaled = scale_to_stature(adult, 1200.0)
    for parent, child in ((2, 3), (8, 9), (12, 13)):
        a = adult[:, child] - adult[:, parent]
        b = scaled[:, child] - scaled[:, parent]
        cosine = (a * b).sum(-1) / np.linalg.norm(a, axis=-1) / np.linalg.norm(b, axis=-1)
        assert cosine.min() > 1 - 1e-9


def test_growth_curves_run_the_right_way():
    assert sitting_height_ratio(1000) > sitting_height_ratio(1400) > sitting_height_ratio(1700) - 1e-9
    assert head_height_ratio(1000) > head_height_ratio(1400) > head_height_ratio(1800)
    assert abs(head_height_ratio(1000) - 0.19) < 1e-9


def test_torso_shift_moves_the_torso_joints_front_to_back_only(adult):
    from stsp_app.lifting.dataset import shift_torso_joints

    shifted = shift_torso_joints(adult, np.random.default_rng(3), 40.0)
    moved = np.linalg.norm(shifted - adult, axis=-1)
    torso = [7, 8, 9, 10, 11, 14]
    assert np.all(moved[:, [j for j in range(17) if j not in torso]] == 0.0)
    assert np.all(moved[:, torso] > 0.0)
    # One offset per joint for the whole motion, the two shoulders alike.
    np.testing.assert_allclose(moved[:, torso], moved[:1, torso].repeat(len(adult), axis=0), rtol=1e-6)
    np.testing.assert_allclose(moved[:, 11], moved[:, 14])
    # Horizontal and square to the hip line: front-to-back in the body's own frame.
    delta = shifted[:, 8] - adult[:, 8]
    hips = adult[:, 1] - adult[:, 4]
    assert np.abs(delta[:, 1]).max() < 1e-9
    hips[:, 1] = 0.0
    assert np.abs((delta * hips).sum(-1) / np.linalg.norm(hips, axis=-1)).max() < 1e-6
