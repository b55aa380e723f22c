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


def test_stature_does_not_pass_through_the_nose(adult):
    """Joint 9 is a nose in front of the face (stsp_app.mocap.nose): where it sits must not change the stature."""
    moved = adult.copy()
    moved[:, 9] += np.array([0.0, -40.0, 90.0])
    np.testing.assert_allclose(stature_mm(moved), stature_mm(adult))
    torso_and_head = np.linalg.norm(adult[:, 10] - adult[:, 8], axis=-1)
    assert np.all(torso_and_head > 150.0)
