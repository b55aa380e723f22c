"""The kick drill: the real punt's contact frame and kicking leg against the hand label, a held-out mocap kick
filmed and lifted against the same drill on the mocap's own 3D, 2D-only recordings, metric units, and no kick
in real clips that hold none."""

import csv
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest
from test_kinematics_foot_events import synthetic_run

from stsp_app.core.paths import REPO_DIR, shared_data_dir
from stsp_app.drills import MovementNotFound, Recording, recording_from_analysis, run_drill
from stsp_app.drills.swings import STEP_LANDING_S, _SwingContext
from stsp_app.evaluation.filmed_mocap import filmed_recording, ground_truth_recording, phone_camera
from stsp_app.kinematics.motion_series import motion_series
from stsp_app.lifting.anthropometry import stature_mm
from stsp_app.lifting.dataset import resample
from stsp_app.lifting.lifter import Lifter
from stsp_app.mocap.loading import load_motion
from tests.conftest import VIDEO_DIR


def _contact(result):
    (event,) = [event for event in result.events if event.kind == "ball_contact"]
    return event


def _cmu_kick():
    motion = load_motion(shared_data_dir() / "mocap/eval/cmu-bvh/10_01.bvh")
    joints = resample(motion.joints_mm.astype(np.float64), motion.fps, 30.0)
    return joints, float(np.median(stature_mm(joints)))


def test_the_punt_is_found_on_the_right_leg_at_the_labelled_contact(analysed_clip):
    with open(REPO_DIR / "resources/hand_labels/rugby_kick_contact.csv", newline="") as handle:
        (label,) = list(csv.DictReader(handle))
    result = run_drill("kick", recording_from_analysis(analysed_clip("rugby_kick.mp4")))
    contact = _contact(result)
    assert contact.side == label["kicking_side"]
    assert abs(contact.frame - int(label["frame"])) <= 1
    assert result.metrics["peak_foot_speed_heights_s"].side == "right"
    assert "peak_foot_speed_m_s" not in result.metrics  # no height given: no metric speed
    assert any("ball itself is not seen" in note and f"frame {contact.frame}" in note for note in result.notes)


def test_two_punts_filmed_one_after_the_other_are_two_kicks(tmp_path, blazepose_models):
    """The real punt written twice into one video (half size, two thirds of a second of black between, as a coach
    films a child kicking again): two kicks on the right leg, each at the labelled contact of its own punt, each
    its own rep; the run-up's strides are no kicks."""
    import cv2

    from stsp_app.core.video_source import VideoSource
    from stsp_app.pipeline import analyse_video

    with open(REPO_DIR / "resources/hand_labels/rugby_kick_contact.csv", newline="") as handle:
        (label,) = list(csv.DictReader(handle))
    source = VideoSource(VIDEO_DIR / "rugby_kick.mp4")
    size = (source.width // 2, source.height // 2)
    pictures = [cv2.resize(picture, size, interpolation=cv2.INTER_AREA) for _, _, picture in source.frames()]
    clip = tmp_path / "two_punts.mp4"
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"mp4v"), source.fps, size)
    gap = 20
    for picture in pictures + [np.zeros_like(pictures[0])] * gap + pictures:
        writer.write(picture)
    writer.release()
    result = run_drill("kick", recording_from_analysis(analyse_video(VideoSource(clip))))
    contacts = [event for event in result.events if event.kind == "ball_contact"]
    assert result.metrics["kicks"].value == len(result.reps) == len(contacts) == 2
    assert [event.side for event in contacts] == [label["kicking_side"]] * 2
    labelled = int(label["frame"])
    assert abs(contacts[0].frame - labelled) <= 1
    assert abs(contacts[1].frame - (labelled + len(pictures) + gap)) <= 1
    assert [rep.deepest_frame for rep in result.reps] == [event.frame for event in contacts]


def test_a_recording_from_an_analysis_carries_each_frame_lifted_alone(analysed_clip):
    """The foot's peak speed is read from each frame lifted alone (Recording.frame_poses_mm): on the punt it
    is faster than the temporally smoothed 3D reads it."""
    recording = recording_from_analysis(analysed_clip("rugby_kick.mp4"))
    frames = recording.frame_poses_mm
    assert frames is not None and frames.shape == recording.motion.kp3d_mm.shape
    with_person = np.isfinite(recording.motion.kp3d_mm).all(axis=(1, 2))
    assert np.isfinite(frames[with_person]).all()
    frame = run_drill("kick", recording).metrics["peak_foot_speed_heights_s"].value
    smoothed = run_drill("kick", replace(recording, lift_frames_alone=None)).metrics["peak_foot_speed_heights_s"].value
    assert frame > smoothed


@pytest.mark.parametrize("view_deg", [0.0, 90.0])
def test_a_held_out_mocap_kick_filmed_and_lifted_matches_the_mocap_reference(view_deg):
    joints, stature = _cmu_kick()
    camera = phone_camera(joints, view_deg)
    reference = run_drill("kick", ground_truth_recording(joints, 30.0, camera, stature))
    measured = run_drill("kick", filmed_recording(joints, 30.0, camera, Lifter(), stature))
    assert _contact(measured).side == _contact(reference).side == "right"
    assert abs(_contact(measured).frame - _contact(reference).frame) <= 1
    # with the height known the foot speed is also in m/s: a kicking foot moves 5-25 m/s (a pass to a full shot)
    assert 5.0 <= reference.metrics["peak_foot_speed_m_s"].value <= 30.0
    assert measured.metrics["peak_foot_speed_m_s"].value == pytest.approx(
        measured.metrics["peak_foot_speed_heights_s"].value * stature / 1000.0)
    assert reference.metrics["peak_pelvis_rotation_deg_s"].value > 0


@pytest.mark.parametrize("fps, warned", [(15.0, True), (20.0, True), (23.976, False), (30.0, False)])
def test_a_kick_filmed_at_under_24_frames_a_second_says_its_swing_falls_between_frames(fps, warned):
    """Below film's 24 frames/s a kick's 0.1 s burst falls between frames (the punt at 20 and 15 frames/s read no
    kick): whether the kick is found or not, what the coach reads says so."""
    motion = load_motion(shared_data_dir() / "mocap/eval/cmu-bvh/10_01.bvh")
    joints = resample(motion.joints_mm.astype(np.float64), motion.fps, fps)
    recording = ground_truth_recording(joints, fps, phone_camera(joints, 90.0), float(np.median(stature_mm(joints))))
    try:
        said = " ".join(run_drill("kick", recording).notes)
    except MovementNotFound as not_found:
        said = str(not_found)
    assert ("falls between frames" in said and f"Filmed at {fps:.0f} frames/s" in said) == warned


def test_a_2d_only_recording_is_scored_without_rotations():
    joints, stature = _cmu_kick()
    camera = phone_camera(joints, 90.0)
    full = ground_truth_recording(joints, 30.0, camera, stature)
    frames = [SimpleNamespace(index=i, time_s=i / 30.0, kp2d=full.motion.kp2d[i], kp3d_mm=None, kp2d_raw33=None)
              for i in range(len(full.motion))]
    flat = Recording(motion=motion_series(frames), fps=30.0, image_size_px=camera.image_size_px)
    result = run_drill("kick", flat)
    assert abs(_contact(result).frame - _contact(run_drill("kick", full)).frame) <= 1
    assert "peak_pelvis_rotation_deg_s" not in result.metrics
    assert any("No 3D poses" in note for note in result.notes)


@pytest.mark.parametrize("clip, why", [
    ("sprint_start_b1.mp4", "swung as fast again and again"),  # a sprinter's strides
    ("squat_side.mp4", "no kick found"),
    # the dribbling player's crossover lunge: her foot is fastest 2 frames before it lands
    ("dribble_coach_and_player.mp4", "a foot struck the ground 0.07 s after it"),
])
def test_real_clips_without_a_kick_get_no_kick_and_say_why(analysed_clip, clip, why):
    with pytest.raises(MovementNotFound, match=why):
        run_drill("kick", recording_from_analysis(analysed_clip(clip)))


def test_a_kick_whose_kicker_then_leaves_the_picture_cannot_be_judged_but_a_clip_ending_after_it_can():
    """Whether a swing stands out from the strides around it needs the second after it. The held-out mocap kick
    with the kicker gone 0.3 s after the contact while the video goes on: no kick (a sprinter leaving the picture
    at half size had read as one); the same kick in a clip that ends 0.3 s after the contact: found."""
    joints, stature = _cmu_kick()
    camera = phone_camera(joints, 90.0)
    contact = _contact(run_drill("kick", ground_truth_recording(joints, 30.0, camera, stature))).frame
    gone = ground_truth_recording(joints, 30.0, camera, stature)
    gone.motion.kp2d[contact + 9:] = np.nan
    gone.motion.kp3d_mm[contact + 9:] = np.nan
    with pytest.raises(MovementNotFound, match="left the picture within 1 s after it"):
        run_drill("kick", gone)
    cut = ground_truth_recording(joints[:contact + 9], 30.0, camera, stature)
    assert _contact(run_drill("kick", cut)).frame == contact


def test_a_kick_whose_swing_the_clip_cut_off_at_its_start_is_not_scored():
    """The frames of the swing's window before the recording's start count as untracked: a clip starting 0.2 s
    before the contact has cut the swing off (the half-size dribble clip read an 11 body heights/s "throw" in its
    first frames); one starting 0.8 s before has it whole."""
    joints, stature = _cmu_kick()
    camera = phone_camera(joints, 90.0)
    contact = _contact(run_drill("kick", ground_truth_recording(joints, 30.0, camera, stature))).frame
    with pytest.raises(MovementNotFound, match="no kick found"):  # the contact's swing is not a candidate
        run_drill("kick", ground_truth_recording(joints[contact - 6:], 30.0, camera, stature))
    assert _contact(run_drill("kick", ground_truth_recording(joints[contact - 24:], 30.0, camera, stature))).frame == 24


@pytest.mark.parametrize("fps, counted", [(30.0, True), (30000 / 1001, True), (60.0, True), (25.0, False)])
def test_the_step_test_reads_its_reach_to_the_nearest_frame(fps, counted):
    """A foot striking 5 frames after the fastest swing is within STEP_LANDING_S (1/6 s) at 30 frames/s, and at
    29.97, most phones' rate, where 5 frames are 0.1668 s (read in frames as every event time is; the mirrored
    youth basketball clip read a running step as a kick there); at 60 frames/s it is 0.083 s after, at 25 0.2 s,
    past the reach of 4 frames."""
    kp2d, raw33, contacts = synthetic_run()
    strike = contacts["left"][2][0]
    frames = [SimpleNamespace(index=i, time_s=i / fps, kp2d=kp2d[i], kp3d_mm=None, kp2d_raw33=raw33[i])
              for i in range(len(kp2d))]
    recording = Recording(motion=motion_series(frames), fps=fps, image_size_px=(1280, 720))
    assert (strike in _SwingContext(recording, "ankle").strikes_after(strike - 5, STEP_LANDING_S)) == counted
