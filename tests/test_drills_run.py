"""The run drill: a synthetic runner's cadence and contact times, no strides when standing, the sprint clip's
hand-labelled foot events, no run in a run-up of two steps, and steps without flights said to look like walking."""

import csv
from types import SimpleNamespace

import numpy as np
import pytest
from test_kinematics_foot_events import CONTACT_FRAMES, FPS, STEP_FRAMES, synthetic_run

from stsp_app.core.paths import shared_data_dir
from stsp_app.drills import (
    MovementNotFound,
    Recording,
    recording_from_analysis,
    run_drill,
)
from stsp_app.drills.run import SIDE_VIEW_NOTE
from stsp_app.drills.uncertainty import KNEE_VIEW_NOTE
from stsp_app.evaluation.run_validation import label_errors_frames
from stsp_app.kinematics.motion_series import motion_series
from tests.conftest import VIDEO_DIR, ffmpeg

# Measured with `stsp-coach eval-drills --part run` (docs/RESULTS.md, "Drill metrics"): 12 of the 14 labels of
# the two sprint clips within one frame. Of the two others, one is a take-off the labeller puts a frame or two
# before the toe leaves the ground in the video, the other is on the frame where the runner leaves the picture.
SHARE_WITHIN_ONE_FRAME = 0.8
SPRINT_CLIPS = ("sprint_start_a1.mp4", "sprint_start_b1.mp4")


def recording_2d(kp2d: np.ndarray, raw33: np.ndarray) -> Recording:
    frames = [SimpleNamespace(index=row, time_s=row / FPS, kp2d=kp2d[row], kp3d_mm=None, kp2d_raw33=raw33[row])
              for row in range(len(kp2d))]
    return Recording(motion=motion_series(frames), fps=FPS, image_size_px=(1280, 720))


def test_synthetic_run_cadence_and_contact_time():
    kp2d, raw33, _ = synthetic_run()
    result = run_drill("run", recording_2d(kp2d, raw33))
    assert result.metrics["cadence_steps_per_min"].value == pytest.approx(60.0 * FPS / STEP_FRAMES)
    for side in ("left", "right"):
        assert result.metrics[f"{side}_contact_time_s"].value == pytest.approx(CONTACT_FRAMES / FPS)
    assert result.metrics["contact_time_asymmetry_s"].value == pytest.approx(0.0)
    assert {event.kind for event in result.events} == {"foot_strike", "toe_off"}
    assert SIDE_VIEW_NOTE in result.notes  # how to film for these figures, on every result


def test_standing_still_has_no_strides():
    kp2d, raw33, _ = synthetic_run()
    with pytest.raises(MovementNotFound, match="no running strides found"):
        run_drill("run", recording_2d(np.repeat(kp2d[:1], len(kp2d), axis=0), raw33))


def test_sprint_clips_foot_events_match_the_hand_labels(analysed_clip):
    with open(shared_data_dir() / "video/sprint_contacts.csv", newline="") as handle:
        labels = list(csv.DictReader(handle))
    errors = []
    for clip in SPRINT_CLIPS:
        result = run_drill("run", recording_from_analysis(analysed_clip(clip)))
        errors += label_errors_frames([int(row["frame_index"]) for row in labels if row["clip"] == clip],
                                      [event.frame for event in result.events])
        assert 150 <= result.metrics["cadence_steps_per_min"].value <= 300
        assert KNEE_VIEW_NOTE not in result.notes, clip  # side views, the runner's pelvis turning with each stride
    share = sum(error is not None and abs(error) <= 1 for error in errors) / len(errors)
    assert share >= SHARE_WITHIN_ONE_FRAME, errors


def test_both_feet_striking_on_one_frame_is_one_moment_not_a_step_of_no_duration():
    """A 2D flicker can put both feet down on the same frame: the cadence counts that moment once (it divided
    by a zero step time before)."""
    from stsp_app.core.skeleton import JOINT_INDEX

    kp2d, raw33, _ = synthetic_run()
    for joint in ("hip", "knee", "ankle"):
        kp2d[:, JOINT_INDEX[f"right_{joint}"]] = kp2d[:, JOINT_INDEX[f"left_{joint}"]]
    result = run_drill("run", recording_2d(kp2d, raw33))
    strikes = [event for event in result.events if event.kind == "foot_strike"]
    assert {event.side for event in strikes} == {"left", "right"}
    assert result.metrics["cadence_steps_per_min"].value == pytest.approx(60.0 * FPS / (2 * STEP_FRAMES))


def test_cadence_counts_steps_over_the_whole_run_not_the_median_frame_count():
    """At 22.5 frames/s a 0.233 s step is 5.25 frames: the strikes come 5 or 6 frames apart, and a median step
    would read 5 frames (270 steps/min) or 6 (225). Counted over the span, the cadence keeps sub-frame precision,
    and a strike the 2D missed (a gap of two steps) counts as two steps."""
    from stsp_app.drills.run import _steps_and_span_s

    fps = 22.5
    frames = [0, 5, 11, 16, 21, 26, 32, 37, 42]  # 8 steps of 5.25 frames, rounded to whole frames
    steps, span_s = _steps_and_span_s([frame / fps for frame in frames])
    assert steps == 8
    assert 60.0 * steps / span_s == pytest.approx(60.0 * fps / 5.25, rel=0.01)
    missed = [0, 7, 14, 28, 35]  # the strike at frame 21 not found
    steps, span_s = _steps_and_span_s([frame / 30.0 for frame in missed])
    assert steps == 5 and 60.0 * steps / span_s == pytest.approx(60.0 * 30.0 / 7)


@pytest.mark.parametrize("slower", [3, 4])
def test_a_run_slower_than_anyone_runs_asks_whether_the_video_is_slow_motion(slower):
    """The synthetic run (180 steps/min, both feet off the ground before every strike) played 3 and 4 times
    slower, as a slow-motion file timed as it plays: 60 and 45 steps/min with flight phases, which no run has."""
    from stsp_app.drills.run import SLOWEST_RUN_STEPS_PER_MIN

    kp2d, raw33, _ = synthetic_run()
    as_filmed = run_drill("run", recording_2d(kp2d, raw33))
    assert not any("slow-motion" in note for note in as_filmed.notes)
    frames = [SimpleNamespace(index=row, time_s=slower * row / FPS, kp2d=kp2d[row], kp3d_mm=None,
                              kp2d_raw33=raw33[row]) for row in range(len(kp2d))]
    slowed = run_drill("run", Recording(motion=motion_series(frames), fps=FPS / slower, image_size_px=(1280, 720)))
    assert slowed.metrics["cadence_steps_per_min"].value == pytest.approx(60.0 * FPS / STEP_FRAMES / slower)
    assert slowed.metrics["cadence_steps_per_min"].value < SLOWEST_RUN_STEPS_PER_MIN
    assert "slow-motion video" in slowed.notes[0] and "--capture-fps" in slowed.notes[0]


def test_a_walk_has_no_flight_before_its_strikes_and_a_run_has():
    from stsp_app.drills.run import _strikes_after_a_flight
    from stsp_app.kinematics.foot_events import FootEvent

    def events(*listed):
        return [FootEvent(kind, row, side) for kind, row, side in listed]

    walk = events(("foot_strike", 0, "left"), ("toe_off", 3, "right"), ("foot_strike", 15, "right"),
                  ("toe_off", 18, "left"), ("foot_strike", 30, "left"), ("toe_off", 33, "right"))
    run = events(("foot_strike", 0, "left"), ("toe_off", 4, "left"), ("foot_strike", 7, "right"),
                 ("toe_off", 11, "right"), ("foot_strike", 14, "left"), ("toe_off", 18, "left"))
    assert _strikes_after_a_flight(walk) == 0
    assert _strikes_after_a_flight(run) == 2  # the first strike has no earlier event of the other foot


def test_two_steps_of_a_run_up_are_no_run(analysed_clip):
    """The punt's run-up has two foot strikes: one step, no cadence to give."""
    with pytest.raises(MovementNotFound, match="fewer than 3 foot strikes"):
        run_drill("run", recording_from_analysis(analysed_clip("rugby_kick.mp4")))


def test_steps_without_flights_are_said_to_look_like_walking(analysed_clip):
    """The youth player steps and dribbles (both feet off the ground before 3 of her 12 strikes): her steps are
    given with a note that they look like walking; the sprinters, airborne before every strike, get no such
    note."""
    walking = run_drill("run", recording_from_analysis(analysed_clip("basketball_youth_drill.mp4")))
    assert "looks like walking" in walking.notes[0]
    sprint = run_drill("run", recording_from_analysis(analysed_clip("sprint_start_b1.mp4")))
    assert not any("walking" in note for note in sprint.notes)


def test_a_sprint_filmed_with_the_feet_out_of_the_picture_gives_no_cadence(tmp_path):
    """Sprint b1 with the bottom of the picture cut off at the runner's ankles (ffmpeg): the strikes happen below
    the picture, and the feet BlazePose places there are its guess (they read 181 steps/min for 243)."""
    from stsp_app.pipeline import analyse_video

    clip = tmp_path / "feet_cut.mp4"
    ffmpeg("-i", VIDEO_DIR / "sprint_start_b1.mp4", "-vf", "crop=iw:ih*0.78:0:0", "-c:v", "libx264",
           "-crf", "20", clip)
    with pytest.raises(MovementNotFound, match="feet are out of the picture"):
        run_drill("run", recording_from_analysis(analyse_video(clip)))
