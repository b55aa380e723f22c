"""The squat drill: reps of a synthetic side-view squatter, standing still, the labelled squat clip, and dips
with the feet moving (a step, a jump, real clips) that are no squats."""

import csv
from types import SimpleNamespace

import numpy as np
import pytest

from stsp_app.core.paths import REPO_DIR
from stsp_app.core.skeleton import JOINT_INDEX, NUM_BLAZEPOSE_LANDMARKS, NUM_JOINTS
from stsp_app.drills import (
    MovementNotFound,
    Recording,
    recording_from_analysis,
    run_drill,
)
from stsp_app.drills.base import FRONT_VIEW_NEEDED
from stsp_app.drills.uncertainty import ANGLE_ERROR_BY_VIEW_DEG, KNEE_VIEW_NOTE, SQUAT_DEPTH_MARGIN_ERROR_THIGH
from stsp_app.kinematics.motion_series import motion_series
from tests.conftest import VIDEO_DIR, ffmpeg

FPS = 30.0
SHANK_MM, THIGH_MM, TRUNK_MM = 420.0, 440.0, 520.0
PX_PER_MM = 0.3


def side_view_pose_mm(knee_deg: float, knees_in_mm: float = 0.0) -> np.ndarray:
    """17 joints (camera axes: x right, y down, z away) of a person squatting with knee flexion ``knee_deg``,
    seen from their right; ankles on the floor at the origin, the shank tilting forward by a quarter of the knee
    angle and the thigh back by the rest (a thigh is level at 120° of knee flexion). ``knees_in_mm``: how far
    the knees cave in towards each other at 130° of flexion (in proportion to the bend)."""
    shank_tilt, thigh_tilt = np.radians(0.25 * knee_deg), np.radians(0.75 * knee_deg)
    joints = np.zeros((NUM_JOINTS, 3))
    for side, z in (("left", 120.0), ("right", -120.0)):
        ankle = np.array([0.0, 0.0, z])
        knee = ankle + SHANK_MM * np.array([np.sin(shank_tilt), -np.cos(shank_tilt), 0.0])
        knee[2] -= np.sign(z) * knees_in_mm * knee_deg / 130.0
        hip = knee + THIGH_MM * np.array([-np.sin(thigh_tilt), -np.cos(thigh_tilt), 0.0])
        for name, point in (("ankle", ankle), ("knee", knee), ("hip", hip)):
            joints[JOINT_INDEX[f"{side}_{name}"]] = point
    pelvis = 0.5 * (joints[JOINT_INDEX["left_hip"]] + joints[JOINT_INDEX["right_hip"]])
    lean = 0.4 * shank_tilt * 2.0  # the trunk leans forward as the squat deepens
    up = np.array([np.sin(lean), -np.cos(lean), 0.0])
    joints[JOINT_INDEX["pelvis"]] = pelvis
    for name, share in (("spine", 0.5), ("thorax", 1.0), ("neck_nose", 1.2), ("head", 1.4)):
        joints[JOINT_INDEX[name]] = pelvis + share * TRUNK_MM * up
    for side, z in (("left", 180.0), ("right", -180.0)):
        shoulder = joints[JOINT_INDEX["thorax"]] + np.array([0.0, 0.0, z])
        joints[JOINT_INDEX[f"{side}_shoulder"]] = shoulder
        joints[JOINT_INDEX[f"{side}_elbow"]] = shoulder + np.array([250.0, 80.0, 0.0])
        joints[JOINT_INDEX[f"{side}_wrist"]] = shoulder + np.array([500.0, 0.0, 0.0])
    return joints


def squat_recording(knee_deg: np.ndarray, front_view: bool = False, knees_in_mm: float = 0.0) -> Recording:
    """The squatter filmed from their right, or (``front_view``) from the front: the pose turned a quarter turn
    about the vertical, the person's forward pointing at the camera."""
    frames = []
    for row, angle in enumerate(knee_deg):
        joints = side_view_pose_mm(angle, knees_in_mm)
        if front_view:
            joints = joints[:, [2, 1, 0]] * np.array([1.0, 1.0, -1.0])
        kp2d = np.ones((NUM_JOINTS, 3))
        kp2d[:, :2] = np.array([300.0, 900.0]) + PX_PER_MM * joints[:, :2]
        frames.append(SimpleNamespace(index=row, time_s=row / FPS, kp2d=kp2d,
                                      kp3d_mm=joints - joints[JOINT_INDEX["pelvis"]],
                                      kp2d_raw33=np.full((NUM_BLAZEPOSE_LANDMARKS, 3), np.nan)))
    return Recording(motion=motion_series(frames), fps=FPS, image_size_px=(608, 1080))


def squat_series(bottoms: list[int], depth_deg: float = 130.0, rows: int = 300) -> np.ndarray:
    """Knee flexion: standing at 5°, each squat a 2 s cosine dip (1 s down, 1 s up) centred on its bottom row."""
    knee = np.full(rows, 5.0)
    for bottom in bottoms:
        span = np.arange(bottom - 30, bottom + 31)
        knee[span] = 5.0 + (depth_deg - 5.0) * 0.5 * (1 + np.cos(np.pi * (span - bottom) / 30))
    return knee


def test_synthetic_squats_are_found_at_their_frames():
    bottoms = [60, 150, 240]
    result = run_drill("squat", squat_recording(squat_series(bottoms)))
    assert result.metrics["rep_count"].value == 3
    for rep, bottom in zip(result.reps, bottoms):
        assert abs(rep.deepest_frame - bottom) <= 1
        assert rep.to_json_dict()["deepest_time_s"] == pytest.approx(rep.deepest_frame / FPS)
        assert bottom - 31 <= rep.start_frame < bottom - 20
        assert bottom + 20 < rep.end_frame <= bottom + 31
        assert rep.metrics["knee_flexion_peak_deg"].value == pytest.approx(130.0, abs=1.0)
        assert rep.metrics["below_parallel"].value is True
        assert abs(rep.metrics["knee_flexion_asymmetry_deg"].value) < 1.0
        assert 0.6 < rep.metrics["descent_time_s"].value <= 31 / FPS
        assert 0.6 < rep.metrics["ascent_time_s"].value <= 31 / FPS
        # the shank tilts forward by a quarter of the knee angle: the knee moves sin(31°) shank lengths
        expected_travel = SHANK_MM * (np.sin(np.radians(0.25 * 130.0)) - np.sin(np.radians(0.25 * 5.0))) / THIGH_MM
        assert rep.metrics["knee_travel_thigh"].value == pytest.approx(expected_travel, rel=0.1)
    assert result.metrics["knee_flexion_peak_min_deg"].value == pytest.approx(130.0, abs=1.0)
    assert result.metrics["knee_flexion_peak_sd_deg"].value == pytest.approx(0.0, abs=0.5)
    assert result.metrics["descent_time_mean_s"].value == pytest.approx(
        np.mean([rep.metrics["descent_time_s"].value for rep in result.reps]))


def test_a_half_squat_is_not_below_parallel():
    result = run_drill("squat", squat_recording(squat_series([100], depth_deg=70.0, rows=200)))
    assert result.metrics["rep_count"].value == 1
    assert result.reps[0].metrics["below_parallel"].value is False


@pytest.mark.parametrize(("depth_deg", "borderline"), [(110.0, True), (130.0, False), (70.0, False)])
def test_a_squat_closer_to_parallel_than_the_keypoints_tell_is_marked_borderline(depth_deg, borderline):
    """At 110° of knee flexion the synthetic squatter's hip stands 0.01 thigh lengths above the top of the knee:
    "not below parallel", but within what copies of one real clip read differently (± 0.1 thigh lengths)."""
    rep = run_drill("squat", squat_recording(squat_series([100], depth_deg=depth_deg, rows=200))).reps[0]
    margin = rep.metrics["hip_below_knee_top_thigh"]
    assert margin.uncertainty == SQUAT_DEPTH_MARGIN_ERROR_THIGH
    assert (abs(margin.value) < margin.uncertainty) is borderline
    note = rep.metrics["below_parallel"].note
    assert (note is not None and note.startswith("Borderline")) is borderline


@pytest.mark.parametrize(("depth_deg", "below"), [(130.0, True), (70.0, False)])
def test_below_parallel_in_a_front_view_comes_from_the_3d_pose(depth_deg, below):
    result = run_drill("squat", squat_recording(squat_series([100], depth_deg=depth_deg, rows=200), front_view=True))
    rep = result.reps[0]
    assert result.metrics["rep_count"].value == 1
    assert rep.metrics["below_parallel"].value is below
    assert "3D pose" in rep.metrics["below_parallel"].label
    assert rep.metrics["knee_travel_thigh"].value is None  # needs a side view
    assert KNEE_VIEW_NOTE in result.notes  # knee flexion from the front: the coach is told how far to trust it
    # ... and its ± is the front view's, twice the side view's (held-out children)
    assert rep.metrics["knee_flexion_peak_deg"].uncertainty == ANGLE_ERROR_BY_VIEW_DEG["knee_flexion"]["front"]
    assert result.metrics["knee_flexion_peak_mean_deg"].uncertainty == ANGLE_ERROR_BY_VIEW_DEG["knee_flexion"]["front"]


@pytest.mark.parametrize("knees_in_mm", [0.0, 60.0])
def test_knees_caving_in_at_the_bottom_from_the_front(knees_in_mm):
    """Knees 60 mm in from over the feet (120 mm apart from the midline) at the bottom of a squat filmed from the
    front read half as far apart as the ankles; knees over the feet read as far apart; from the side: not read."""
    result = run_drill("squat", squat_recording(squat_series([100], rows=200), front_view=True,
                                                knees_in_mm=knees_in_mm))
    ratio = result.reps[0].metrics["knee_ankle_separation_ratio"].value
    assert ratio == pytest.approx(0.5 if knees_in_mm else 1.0, abs=0.01)
    assert result.metrics["knee_ankle_separation_ratio_min"].value == ratio
    side = run_drill("squat", squat_recording(squat_series([100], rows=200), knees_in_mm=knees_in_mm))
    assert side.reps[0].metrics["knee_ankle_separation_ratio"].value is None
    assert side.reps[0].metrics["knee_ankle_separation_ratio"].note == FRONT_VIEW_NEEDED
    assert "knee_ankle_separation_ratio_min" not in side.metrics


def test_standing_still_is_no_squat():
    with pytest.raises(MovementNotFound, match="no squat found"):
        run_drill("squat", squat_recording(np.full(120, 5.0)))


def test_the_labelled_squat_clip(analysed_clip):
    with open(REPO_DIR / "resources/hand_labels/squat_side_reps.csv", newline="") as handle:
        labels = list(csv.DictReader(handle))
    result = run_drill("squat", recording_from_analysis(analysed_clip("squat_side.mp4")))
    assert KNEE_VIEW_NOTE not in result.notes  # filmed from the side
    assert "knee_ankle_separation_ratio_min" not in result.metrics  # the legs overlap in the picture
    side_error = ANGLE_ERROR_BY_VIEW_DEG["knee_flexion"]["side"]
    assert result.reps[0].metrics["knee_flexion_peak_deg"].uncertainty == side_error
    assert result.metrics["rep_count"].value == len(labels)
    for rep, label in zip(result.reps, labels):
        assert abs(rep.deepest_frame - int(label["deepest_frame"])) <= 6
        assert rep.metrics["below_parallel"].value == (label["below_parallel"] == "true")


@pytest.mark.parametrize("clip", ["cmj_teen_front.mp4", "rugby_kick.mp4", "basketball_youth_drill.mp4"])
def test_dips_with_the_feet_moving_are_no_squats(analysed_clip, clip):
    """The jump's countermovement and landing, the kicker bending for the ball, the player crouching as she
    dribbles: the hip drops and the knees bend, but a foot steps or leaves the floor."""
    with pytest.raises(MovementNotFound, match="of the dips of the hip, .*(with a foot moving|without the stand)"):
        run_drill("squat", recording_from_analysis(analysed_clip(clip)))


def test_a_dip_without_its_stand_in_the_recording_is_no_squat():
    """A recording that starts on the way down into a squat holds neither the stand it began from nor the start
    of its descent: no start frame, no descent time to give. The whole squat after it counts; a note says one dip
    was left out. Alone, it is no squat."""
    knee = squat_series([40, 150])[18:]  # starts 8 frames into the first descent
    result = run_drill("squat", squat_recording(knee))
    assert result.metrics["rep_count"].value == 1
    assert abs(result.reps[0].deepest_frame - 132) <= 1
    assert any("without the stand before or after it" in note for note in result.notes)
    with pytest.raises(MovementNotFound, match="without the stand before or after it"):
        run_drill("squat", squat_recording(squat_series([40])[18:120]))


def test_a_squat_with_a_step_in_it_is_left_out_and_the_others_kept():
    """Two synthetic squats; on the way down into the second the left foot steps forward a thigh length (over
    a fifth of a second): one rep counted, and a note says one dip was left out."""
    recording = squat_recording(squat_series([60, 200]))
    step_px = np.interp(np.arange(300), [180, 186], [0.0, PX_PER_MM * THIGH_MM])
    recording.motion.kp2d[:, JOINT_INDEX["left_ankle"], 0] += step_px
    result = run_drill("squat", recording)
    assert result.metrics["rep_count"].value == 1
    assert abs(result.reps[0].deepest_frame - 60) <= 2
    assert any("1 dip(s)" in note for note in result.notes)


def test_squats_with_the_feet_out_of_the_picture_are_still_counted():
    """Filmed too close, the feet are not seen: they cannot be checked, and the squats still count."""
    recording = squat_recording(squat_series([60, 200]))
    for side in ("left", "right"):
        recording.motion.kp2d[:, JOINT_INDEX[f"{side}_ankle"], 2] = 0.0
    assert run_drill("squat", recording).metrics["rep_count"].value == 2


def test_a_squat_whose_lower_legs_are_not_seen_has_no_depth():
    """Filmed too close, the knees and ankles below the picture: the reps count from the hips' descent, but their
    depth would be the lifter's guess of the shanks, so it is not given (nor any summary of it)."""
    recording = squat_recording(squat_series([60, 200]))
    for side in ("left", "right"):
        for joint in ("knee", "ankle"):
            recording.motion.kp2d[:, JOINT_INDEX[f"{side}_{joint}"], 2] = 0.0
    result = run_drill("squat", recording)
    assert result.metrics["rep_count"].value == 2
    for rep in result.reps:
        assert rep.metrics["knee_flexion_peak_deg"].value is None
        assert "not seen around the bottom" in rep.metrics["knee_flexion_peak_deg"].note
    assert result.metrics["knee_flexion_peak_mean_deg"].value is None
    assert result.metrics["knee_flexion_peak_min_deg"].value is None
    assert result.to_json_dict()["metrics"]["knee_flexion_peak_mean_deg"]["value"] is None


def test_a_hidden_far_leg_leaves_the_depth_to_the_near_one():
    recording = squat_recording(squat_series([60, 200]))
    recording.motion.kp2d[:, JOINT_INDEX["left_ankle"], 2] = 0.1  # behind the near leg
    rep = run_drill("squat", recording).reps[0]
    assert rep.metrics["knee_flexion_peak_deg"].label.endswith("right leg)")
    assert rep.metrics["knee_flexion_asymmetry_deg"].value is None


def test_a_phone_held_askew_is_levelled(tmp_path, analysed_clip):
    """The squat clip filmed with the phone turned 8 degrees (ffmpeg, cut to its middle so that no corner is
    black): the analysis reads the turn from the gym's upright lines, the lifter and the drill read the body
    level, and both reps are below parallel with the trunk lean at depth of the clip as filmed. Unlevelled, the
    squat's "below parallel" read the picture's tilted rows: both reps "not below" (docs/RESULTS.md)."""
    from stsp_app.pipeline import analyse_video

    clip = tmp_path / "turned.mp4"
    ffmpeg("-i", VIDEO_DIR / "squat_side.mp4", "-vf", "rotate=8*PI/180,crop=trunc(iw*0.39)*2:trunc(ih*0.39)*2",
           "-c:v", "libx264", "-crf", "18", clip)
    analysis = analyse_video(clip)
    assert abs(analysis.settings["camera_roll_deg"] - (-8.0)) < 1.0  # ffmpeg turns clockwise: the upright to -x
    turned = run_drill("squat", recording_from_analysis(analysis))
    as_filmed = run_drill("squat", recording_from_analysis(analysed_clip("squat_side.mp4")))
    assert turned.metrics["rep_count"].value == as_filmed.metrics["rep_count"].value == 2
    for rep, reference in zip(turned.reps, as_filmed.reps):
        assert rep.metrics["below_parallel"].value is True
        assert abs(rep.metrics["trunk_lean_at_depth_deg"].value
                   - reference.metrics["trunk_lean_at_depth_deg"].value) < 4.0
