"""The knee FPPA's sign convention on hand-built legs: a knee moved medially reads positive on both sides."""

import numpy as np
import pytest

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.kinematics.frontal_plane import (
    filmed_from_the_front,
    filmed_from_the_side,
    filmed_view,
    fppa_deg,
    frontal_view_share,
    knee_ankle_separation_ratio,
    knee_fppa_deg,
    view_of_share,
)


def _front_view_legs(knee_shift_px: float) -> np.ndarray:
    """One frame of 17 joints seen from the front: the child's right hip on the image's left (x 400), the left
    hip at x 500; both knees moved ``knee_shift_px`` towards the midline (x 450)."""
    kp2d = np.zeros((1, 17, 3))
    kp2d[..., 2] = 1.0
    for side, hip_x, medial in (("right", 400.0, 1.0), ("left", 500.0, -1.0)):
        kp2d[0, JOINT_INDEX[f"{side}_hip"], :2] = (hip_x, 1000.0)
        kp2d[0, JOINT_INDEX[f"{side}_knee"], :2] = (hip_x + medial * knee_shift_px, 1200.0)
        kp2d[0, JOINT_INDEX[f"{side}_ankle"], :2] = (hip_x, 1400.0)
    return kp2d


def test_a_knee_moved_medially_reads_valgus_positive_on_both_sides():
    fppa = knee_fppa_deg(_front_view_legs(20.0))
    expected = 2 * np.degrees(np.arctan(20.0 / 200.0))
    for side in ("left", "right"):
        assert np.isclose(fppa[side][0], expected, atol=1e-6), side


def test_a_knee_moved_laterally_reads_negative_and_a_straight_leg_zero():
    assert all(value[0] < -5.0 for value in knee_fppa_deg(_front_view_legs(-20.0)).values())
    assert all(abs(value[0]) < 1e-9 for value in knee_fppa_deg(_front_view_legs(0.0)).values())


def test_the_sign_does_not_depend_on_the_view_being_mirrored():
    mirrored = _front_view_legs(20.0)
    mirrored[..., 0] = 1000.0 - mirrored[..., 0]  # seen from behind: sides swap in the image
    assert all(value[0] > 5.0 for value in knee_fppa_deg(mirrored).values())


def test_fppa_of_single_points_and_the_view_share():
    hip, knee, ankle, other_hip = (np.array(p, float) for p in ((0, 0), (10, 100), (0, 200), (100, 0)))
    assert fppa_deg(hip, knee, ankle, other_hip) > 0
    assert 0.4 < frontal_view_share(_front_view_legs(0.0))[0] < 0.6


def test_the_view_read_from_the_hips_image_width():
    """Hips 100 px apart over ~200 px thighs: a front view; 70 px: between; 20 px: a side view; nothing seen: None."""
    legs = _front_view_legs(0.0)
    assert filmed_view(legs) == "front" and filmed_from_the_front(legs) and not filmed_from_the_side(legs)
    for hip_gap_px, view in ((70.0, "between"), (20.0, "side")):
        turned = legs.copy()
        for joint in ("hip", "knee", "ankle"):
            turned[0, JOINT_INDEX[f"left_{joint}"], 0] = 400.0 + hip_gap_px
        assert filmed_view(turned) == view
        assert filmed_from_the_side(turned) is (view == "side")
    unseen = legs.copy()
    unseen[..., :2] = np.nan
    assert filmed_view(unseen) is None and filmed_from_the_front(unseen) is None
    assert list(view_of_share(np.array([0.5, 0.35, 0.1, np.nan]))) == ["front", "between", "side", ""]


def test_the_knees_apart_over_the_ankles_apart():
    legs = _front_view_legs(20.0)  # knees 20 px in from over the hips and ankles, 100 px apart
    assert knee_ankle_separation_ratio(legs)[0] == pytest.approx(60.0 / 100.0)
    legs[0, JOINT_INDEX["left_ankle"], 2] = 0.1  # an ankle not seen
    assert np.isnan(knee_ankle_separation_ratio(legs)[0])
