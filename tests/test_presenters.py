"""The app's Qt-free presenters on real records (SQLite in a temporary folder) and small built analyses: what
the panels list and say, and what the comparison overlays."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from types import SimpleNamespace

import numpy as np
import pytest

from stsp_app.errors import InputError
from stsp_app.kinematics.motion_series import motion_series
from stsp_app.presenters.angle_readout import angle_table, hover_text
from stsp_app.presenters.children import ChildFields, age_this_year, child_rows, delete_question, save_child
from stsp_app.presenters.comparison import ALIGN_AT_START, DEEPEST_POINT, alignments, overlay, rep_spans, session_span
from stsp_app.presenters.drill_view import drill_view, run_drill_on
from stsp_app.presenters.exporting import ExportRequest, export_shown_analysis
from stsp_app.presenters.new_session import height_sentence, recording_path
from stsp_app.presenters.people import AnalysesByPerson, followed_text, people_choices, people_shown, same_place
from stsp_app.presenters.sessions import key_metric_text, session_rows
from stsp_app.presenters.stretch import AnalysisStretch
from stsp_app.records import Consent, RecordStore
from tests.records_data import standing_analysis

JUMPS = {
    "drill": "vertical-jump", "fps": 30.0, "frames": 90,
    "metrics": {
        "jumps": {"value": 2, "unit": "count", "label": "Jumps found"},
        "jump_height_cm": {"value": 31.24, "unit": "cm", "label": "Jump height (flight time)", "uncertainty": 4.8},
        "countermovement_depth_cm": {"value": None, "unit": "cm", "label": "Countermovement depth (pelvis drop)",
                                     "note": "needs the child's height"},
    },
    "events": [{"kind": "takeoff", "frame": 40, "time_s": 1.3333}, {"kind": "landing", "frame": 48, "time_s": 1.6},
               {"kind": "foot_strike", "frame": 60, "time_s": 2.0, "side": "left"}],
    "reps": [{"start_frame": 10, "deepest_frame": 30, "end_frame": 50, "metrics": {
                 "jump_height_cm": {"value": 31.24, "unit": "cm", "label": "Jump height (flight time)"}}},
             {"start_frame": 55, "deepest_frame": 70, "end_frame": 85, "metrics": {}}],
    "notes": ["2 jump(s) found."],
}


@pytest.fixture
def store(tmp_path):
    with RecordStore(tmp_path / "records.sqlite3") as store:
        yield store


def test_the_children_list_ages_and_the_delete_question(store):
    mia = save_child(store, None, ChildFields("Mia", birth_year=date.today().year - 11, height_cm=152.0))
    save_child(store, None, ChildFields("Noah"))
    store.add_session(mia.id)
    rows = child_rows(store)
    assert [(row.name, row.age, row.sessions) for row in rows] == [("Mia", "11", 1), ("Noah", "", 0)]
    assert [row.name for row in child_rows(store, "OA")] == ["Noah"]
    assert age_this_year(2014, date(2025, 1, 1)) == "11"
    assert delete_question(mia, 2) == ("Delete Mia and all 2 sessions, with their analyses, exports and reports? "
                                       "This cannot be undone.")
    assert "their 1 session, with its analysis" in delete_question(mia, 1)
    assert "no sessions" in delete_question(mia, 0)


def test_saving_a_profile_edits_it_and_refusals_change_nothing(store):
    mia = save_child(store, None, ChildFields("Mia", height_cm=150.0))
    edited = save_child(store, mia.id, replace(ChildFields.of(mia), height_cm=152.5, dominant_side="left",
                                               consent=Consent(date(2025, 9, 1), "her mother")))
    assert (edited.height_cm, edited.dominant_side, edited.consent.given_by) == (152.5, "left", "her mother")
    with pytest.raises(InputError, match="already exists"):
        save_child(store, None, ChildFields("MIA"))
    with pytest.raises(InputError, match="say who gave it"):
        save_child(store, mia.id, replace(ChildFields.of(edited), consent=Consent(date(2025, 9, 1), " ")))
    assert store.get_child(mia.id) == edited
    assert "152.5 cm: it sets the size of the 3D skeleton, not the angles" in height_sentence(edited)
    assert "not recorded" in height_sentence(save_child(store, None, ChildFields("Noah")))
    path = recording_path(store, mia.id, datetime(2025, 3, 1, 14, 5, 9))
    assert path == store.child_folder(mia.id) / "recordings" / "camera-20250301-140509.mp4"


def test_sessions_read_newest_first_with_their_key_number(store):
    mia = store.add_child("Mia")
    store.add_session(mia.id, recorded_at=datetime(2025, 3, 1, 9, 0), drill="vertical-jump", drill_result=JUMPS,
                      coach_notes="first try")
    store.add_session(mia.id, recorded_at=datetime(2025, 4, 1, 9, 0), drill="squat",
                      drill_note="no squat found in the recording (45 frames)")
    rows = session_rows(store.sessions_of(mia.id))
    assert [(row.date, row.drill) for row in rows] == [("2025-04-01 09:00", "Squat"),
                                                       ("2025-03-01 09:00", "Vertical jump (countermovement jump)")]
    assert rows[0].result == "no squat found in the recording (45 frames)"
    assert rows[1].result == "Jump height (flight time): 31.2 ± 4.8 cm" and rows[1].notes == "first try"
    assert key_metric_text("squat", {"metrics": {"rep_count": {"value": 3, "unit": "count",
                                                               "label": "Squats found"}}}, None) == "Squats found: 3"


def test_a_drill_view_in_words_and_its_moments():
    view = drill_view("vertical-jump", JUMPS, None)
    assert view.found and view.title == "Vertical jump (countermovement jump)" and view.summary == "2 reps found."
    assert view.metric_lines == ["Jumps found: 2", "Jump height (flight time): 31.2 ± 4.8 cm",
                                 "Countermovement depth (pelvis drop): not measured [needs the child's height]"]
    assert [rep.title for rep in view.reps] == ["Rep 1: 0.33–1.67 s", "Rep 2: 1.83–2.83 s"]
    assert [(moment.frame, moment.label) for moment in view.moments] == [
        (30, "deepest point, rep 1"), (40, "take-off"), (48, "landing"), (60, "left foot strike"),
        (70, "deepest point, rep 2")]
    assert view.notes == ["2 jump(s) found."]
    missing = drill_view("squat", None, "no squat found in the recording (90 frames): the hip never drops",
                         kept_as_session=True)
    assert not missing.found and not missing.moments
    assert missing.summary.startswith("No squat found in the recording (90 frames): the hip never drops. "
                                      "The session is kept with its analysis.")


def test_running_a_drill_that_finds_nothing_says_why():
    result, note = run_drill_on(standing_analysis(), "vertical-jump", None)
    assert result is None and note.startswith("no jump found")


def _with_knee_wave(analysis):
    """The standing analysis with the left knee bending and straightening once a second (a real curve)."""
    from stsp_app.core.skeleton import JOINT_INDEX

    for frame in analysis.frames:
        bend = 60.0 * (1 - np.cos(2 * np.pi * frame.time_s)) / 2
        shank = np.array([np.sin(np.radians(bend)), np.cos(np.radians(bend)), 0.0]) * 400.0
        frame.kp3d_mm = frame.kp3d_mm.copy()
        frame.kp3d_mm[JOINT_INDEX["left_ankle"]] = frame.kp3d_mm[JOINT_INDEX["left_knee"]] + shank
    return analysis


def test_two_reps_overlay_aligned_at_a_moment_both_have():
    analysis = _with_knee_wave(standing_analysis(frames=90))
    first, second = rep_spans(analysis, JUMPS)
    assert (first.label, second.label) == ("Rep 1 (0.33–1.67 s)", "Rep 2 (1.83–2.83 s)")
    # The take-off and the landing are inside rep 1 only; both reps have a deepest point.
    assert alignments(first, second) == [ALIGN_AT_START, DEEPEST_POINT]
    curves = overlay(first, second, "left_knee_flexion", DEEPEST_POINT)
    assert [curve.label for curve in curves] == [first.label, second.label]
    assert curves[0].time_s[0] == pytest.approx(-20 / 30) and curves[0].time_s[-1] == pytest.approx(20 / 30)
    assert curves[1].time_s[0] == pytest.approx(-15 / 30) and len(curves[1].time_s) == 31
    assert np.nanmax(curves[0].degrees) == pytest.approx(60.0, abs=1.0)
    at_start = overlay(first, second, "left_knee_flexion", ALIGN_AT_START)
    assert at_start[0].time_s[0] == at_start[1].time_s[0] == 0.0
    with pytest.raises(ValueError, match="not a moment of both"):
        overlay(first, second, "left_knee_flexion", "take-off")


def test_two_sessions_overlay_whole_and_at_their_first_take_off():
    a = session_span("2025-03-01", _with_knee_wave(standing_analysis(frames=90)), JUMPS)
    b = session_span("2025-04-01", standing_analysis(frames=60), None)
    assert alignments(a, b) == [ALIGN_AT_START]
    c = session_span("2025-05-01", standing_analysis(frames=60), {**JUMPS, "events": JUMPS["events"][:1],
                                                                    "reps": []})
    assert alignments(a, c) == [ALIGN_AT_START, "take-off"]
    curves = overlay(a, c, "left_knee_flexion", "take-off")
    assert curves[0].time_s[40] == curves[1].time_s[40] == 0.0
    assert len(curves[0].time_s) == 90 and len(curves[1].time_s) == 60


def test_an_export_that_cannot_be_made_writes_nothing(tmp_path):
    analysis = standing_analysis()
    with pytest.raises(InputError, match="choose at least one format"):
        export_shown_analysis(analysis, None, None, ExportRequest(tmp_path / "a", [], False, True))
    with pytest.raises(InputError, match="need a drill's result"):
        export_shown_analysis(analysis, None, None, ExportRequest(tmp_path / "b", ["csv"], True, True))
    with pytest.raises(InputError, match="is not there"):
        export_shown_analysis(analysis, tmp_path / "gone.mp4", JUMPS, ExportRequest(tmp_path / "c", ["csv"], True,
                                                                                     True))
    assert not any(tmp_path.iterdir())
    written = export_shown_analysis(analysis, None, None, ExportRequest(tmp_path / "d", ["csv", "json"], False, True))
    assert [path.name for path in written] == ["standing.csv", "standing.json"]
    assert all(path.is_file() for path in written)


def test_in_and_out_points():
    stretch = AnalysisStretch()
    assert stretch.frames(900) == (0, 900) and stretch.analysed_frames(900) is None
    assert stretch.text(900, 30.0) == "Analyse the whole video"
    stretch.set_in(372)
    stretch.set_out(720)
    assert stretch.frames(900) == (372, 721) and stretch.analysed_frames(900) == (372, 721)
    assert stretch.text(900, 30.0) == "Analyse 0:12.4 to 0:24.0 (349 frames)"
    stretch.set_in(800)  # after the out point: the out point goes
    assert (stretch.in_frame, stretch.out_frame) == (800, None) and stretch.frames(900) == (800, 900)
    stretch.set_out(100)  # before the in point: the in point goes
    assert stretch.frames(900) == (0, 101)
    stretch.clear()
    assert not stretch.is_set


def test_the_angle_table_and_the_values_under_the_mouse():
    frames = [SimpleNamespace(index=10 + i, time_s=i / 30.0, kp2d=None, kp2d_raw33=None, kp3d_mm=None)
              for i in range(3)]
    series = motion_series(frames)
    series.angles.degrees["left_knee_flexion"][1] = 87.4
    table = angle_table(series, 1)
    assert [row.label for row in table] == ["Knee flexion", "Hip flexion", "Elbow flexion", "Shoulder elevation",
                                            "Trunk lean"]
    assert (table[0].left, table[0].right) == ("87°", "—") and table[-1].right == ""
    assert all(row.left == "—" for row in angle_table(series, None))
    assert hover_text(series, 0.034, ["left_knee_flexion"]) == "0.03 s · Left knee flexion 87°"
    assert hover_text(series, 5.0, ["left_knee_flexion"]) is None


def test_the_people_tracked_who_is_followed_and_their_boxes_while_paused():
    from stsp_app.core.analysis import FrameResult, TrackedPerson, VideoAnalysis

    def frame(index, people, followed=1):
        return FrameResult(index, index / 10.0, person_id=followed, kp2d=np.zeros((17, 3)),
                           people=[TrackedPerson(pid, np.array(box, dtype=float)) for pid, box in people])

    box_1, box_2 = (0, 0, 10, 20), (50, 0, 60, 20)
    analysis = VideoAnalysis(fps=10.0, width=100, height=50, frame_count=30,
                             frames=[frame(0, [(1, box_1)]), *[frame(i, []) for i in range(1, 25)],
                                     frame(25, [(1, box_1), (2, box_2)])])
    entries = people_choices(analysis)
    assert [(entry.label, entry.followed) for entry in entries] == [("Person 1, from 0.0 s", True),
                                                                     ("Person 2, from 2.5 s", False)]
    assert entries[1].place[0] == 25 and list(entries[1].place[1]) == list(box_2)
    assert followed_text(analysis, others=True) == \
        "Following person 1: click another person in the video, or choose them here, to follow them"
    assert followed_text(analysis, others=False) == "Following person 1" and followed_text(None, False) == ""
    assert [p.person_id for p in people_shown(analysis, 5)] == [1]            # seen 0.5 s before
    assert sorted(p.person_id for p in people_shown(analysis, 20)) == [1, 2]  # both seen 0.5 s later
    assert people_shown(analysis, 12) == []                                   # nobody within a second
    memory = AnalysesByPerson()
    memory.remember(analysis)
    assert memory.find((0, (1.0, 0.0, 11.0, 20.0))) is analysis  # the same person, seen a pixel apart
    assert memory.find((0, (50.0, 0.0, 60.0, 20.0))) is None and memory.find((9, (0, 0, 10, 20))) is None
    assert same_place(None, None) and not same_place(None, (0, box_1))
    # A person an earlier analysis followed stays on the list when this one did not see them.
    other = VideoAnalysis(fps=10.0, width=100, height=50, frame_count=30, frames=[frame(25, [(4, box_2)], 4)])
    assert [entry.label for entry in people_choices(other, memory)] == ["Person 4, from 2.5 s",
                                                                        "Followed before, from 0.0 s"]


def test_the_about_text_names_the_version_the_licences_and_where_the_data_lives(tmp_path, monkeypatch):
    from stsp_app import __version__
    from stsp_app.presenters.about import about_text, licence_of

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    text = about_text("/home/coach/.config/STSP/STSP Coach.conf")
    assert text.startswith(f"STSP Coach {__version__}")
    assert "MediaPipe Pose, Google): Apache-2.0" in text
    assert "opencv-python-headless " in text and licence_of("opencv-python-headless") in text
    assert licence_of("not-a-package-here") is None
    assert str(tmp_path / "data" / "stsp-coach") in text and "STSP Coach.conf" in text
