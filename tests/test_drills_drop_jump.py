"""The drop-jump drill: initial contact and knee valgus on a synthetic landing, no landing, the real clip."""

import math

import pytest
from synthetic_jumps import jump_recording

from stsp_app.drills import MovementNotFound, recording_from_analysis, run_drill


def test_initial_contact_and_valgus_of_a_synthetic_landing():
    result = run_drill("drop-jump", jump_recording([1.51], [0.5], knee_valgus_px=15.0))
    (contact,) = [event.frame for event in result.events if event.kind == "initial_contact"]
    assert contact == math.ceil(2.01 * 30)
    for side in ("left", "right"):
        assert result.metrics[f"{side}_knee_fppa_at_peak_flexion_deg"].value > 5.0
    assert result.metrics["less_knee_inside_foot"].value is True
    assert result.metrics["less_asymmetric_landing"].value is False
    assert result.metrics["less_knee_flexion_at_contact"].value is True  # the synthetic legs stay straight
    assert result.metrics["time_to_stabilise_s"].value is not None


def test_a_recording_without_a_landing_raises_movement_not_found():
    with pytest.raises(MovementNotFound, match="no jump found"):
        run_drill("drop-jump", jump_recording([], []))


def test_the_front_view_jump_clip_lands_near_frame_280(analysed_clip):
    result = run_drill("drop-jump", recording_from_analysis(analysed_clip("cmj_teen_front.mp4")))
    (contact,) = [event.frame for event in result.events if event.kind == "initial_contact"]
    assert 272 <= contact <= 285
    # Seen from the front, valgus is scored on both sides and stays within anatomical limits.
    for side in ("left", "right"):
        assert -30.0 < result.metrics[f"{side}_knee_fppa_at_peak_flexion_deg"].value < 40.0
    assert result.metrics["stance_width_ratio"].value is not None
