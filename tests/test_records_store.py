"""The records' store on real SQLite files: children and sessions, search, validation, cascading deletes with
their files, orphan folders, migrations, and the session workflow's reuse of earlier analyses."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.core.content_hash import file_sha256
from stsp_app.errors import InputError
from stsp_app.records import Consent, RecordStore, SessionCancelled, SessionWorkflow
from stsp_app.records.data_folder import EXPORTS_FOLDER, REPORTS_FOLDER
from stsp_app.records.schema import SCHEMA_VERSION
from stsp_app.records.session_workflow import analysis_settings
from tests.conftest import BASKETBALL_CLIP, ffmpeg
from tests.records_data import standing_analysis


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    with RecordStore() as opened:
        yield opened


def test_database_in_the_per_user_data_folder_with_wal_and_foreign_keys(store, tmp_path):
    assert store.path == tmp_path / "data" / "stsp-coach" / "records.sqlite3"
    assert store.path.is_file()
    with sqlite3.connect(store.path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_children_added_found_edited_deleted(store):
    consent = Consent(date(2025, 9, 1), "  her   mother ")
    mia = store.add_child("  Mia   Kovač ", birth_year=2013, sex="F", height_cm=152, body_mass_kg=41.5,
                          dominant_side="right", notes="plays basketball", consent=consent)
    assert (mia.display_name, mia.birth_year, mia.sex, mia.height_cm, mia.body_mass_kg, mia.dominant_side) == \
        ("Mia Kovač", 2013, "F", 152.0, 41.5, "right")
    assert mia.consent == Consent(date(2025, 9, 1), "her mother") and mia.stature_mm == 1520.0
    tom = store.add_child("Tom_50%")
    assert tom.height_cm is None and tom.stature_mm is None and tom.consent is None
    assert store.get_child(mia.id) == mia
    assert store.child_named("MIA KOVAČ") == mia  # any case, accents kept
    assert [c.display_name for c in store.find_children()] == ["Mia Kovač", "Tom_50%"]
    assert [c.display_name for c in store.find_children("kov")] == ["Mia Kovač"]
    assert [c.display_name for c in store.find_children("_50%")] == ["Tom_50%"]  # LIKE's wildcards are literal
    assert store.find_children("m_a") == []

    taller = store.update_child(replace(mia, height_cm=154.5, display_name="Mia K", notes=""))
    assert (taller.id, taller.height_cm, taller.display_name, taller.notes) == (mia.id, 154.5, "Mia K", "")
    assert taller.created_at == mia.created_at and taller.updated_at >= mia.updated_at
    assert store.delete_child(tom.id) == 0
    assert [c.display_name for c in store.find_children()] == ["Mia K"]


def test_names_are_unique_whatever_their_case(store):
    store.add_child("Léa")
    noah = store.add_child("Noah")
    with pytest.raises(InputError, match="a child named 'LÉA' already exists"):
        store.add_child("LÉA")
    with pytest.raises(InputError, match="already exists"):
        store.update_child(replace(noah, display_name="léa"))
    assert store.child_named("noah") == noah


@pytest.mark.parametrize("field, value, message", [
    ("height_cm", 1.52, "height 1.52 cm: give the height in centimetres (50-250)"),
    ("height_cm", 300.0, "centimetres"),
    ("height_cm", float("nan"), "centimetres"),
    ("birth_year", 1850, "birth year 1850: give a year from"),
    ("birth_year", date.today().year + 1, "birth year"),
    ("sex", "x", "sex 'x': give F or M"),
    ("dominant_side", "both", "dominant side 'both': give left or right"),
    ("body_mass_kg", 0.4, "body mass 0.4 kg: give the body mass in kilograms"),
    ("consent", Consent(date.today() + timedelta(days=2), "mother"), "is in the future"),
    ("consent", Consent(date(2025, 1, 1), "  "), "say who gave it"),
])
def test_each_bad_value_is_one_clear_error_and_nothing_is_written(store, field, value, message):
    with pytest.raises(InputError) as raised:
        store.add_child("Ana", **{field: value})
    assert message in str(raised.value)
    assert store.find_children() == []
    ana = store.add_child("Ana")
    with pytest.raises(InputError, match=message.split(":")[0].split(" ")[0]):
        store.update_child(replace(ana, **{field: value}))
    assert store.get_child(ana.id) == ana


def test_bad_names_and_unknown_children_are_named(store):
    for name, message in (("   ", "the name is empty"), ("x" * 101, "at most 100"), ("a\x07b", "control")):
        with pytest.raises(InputError, match=message):
            store.add_child(name)
    store.add_child("Mia Kovač")
    with pytest.raises(InputError, match=r"no child named 'mia' \(did you mean 'Mia Kovač'\?\)"):
        store.child_named("mia")
    with pytest.raises(InputError, match="no child named 'Zoe'$"):
        store.child_named("Zoe")
    with pytest.raises(InputError, match="no child with id 99"):
        store.get_child(99)
    with pytest.raises(InputError, match="no child with id 99"):
        store.add_session(99)
    with pytest.raises(InputError, match="no session with id 5"):
        store.get_session(5)
    with pytest.raises(InputError, match="unknown drill 'jog'"):
        store.add_session(1, drill="jog")


def keypoints_json(analysis, folder) -> dict:
    """An analysis as keypoints.json holds it."""
    path = folder / f"{id(analysis)}.json"
    analysis.save_json(path)
    return json.loads(path.read_text())


def test_sessions_hold_their_analysis_result_and_notes(store, tmp_path):
    mia = store.add_child("Mia", height_cm=152)
    analysis = standing_analysis(stature_mm=1520.0)
    result = {"drill": "squat", "fps": 30.0, "frames": 90, "metrics": {}, "events": [], "reps": [], "notes": []}
    later = store.add_session(mia.id, recorded_at=datetime(2025, 10, 2, 17, 30).astimezone(), drill="squat",
                              video_path="/videos/squat.mp4", video_sha256="ab" * 32, analysis=analysis,
                              analysis_key="key-1", drill_result=result, coach_notes="good depth")
    earlier = store.add_session(mia.id, recorded_at=datetime(2025, 10, 1, 9, 0), coach_notes="no video")
    assert later.analysis_path == store.session_folder(later) / "keypoints.json"
    assert later.analysis_path.is_relative_to(store.child_folder(mia.id))
    assert keypoints_json(later.load_analysis(), tmp_path) == keypoints_json(analysis, tmp_path)
    assert (later.drill, later.drill_result, later.stature_mm, later.coach_notes) == ("squat", result, 1520.0,
                                                                                      "good depth")
    assert (later.video_path, later.video_sha256) == ("/videos/squat.mp4", "ab" * 32)
    assert earlier.analysis_path is None and earlier.recorded_at.tzinfo is not None
    with pytest.raises(InputError, match="has no analysis"):
        earlier.load_analysis()
    assert [s.id for s in store.sessions_of(mia.id)] == [earlier.id, later.id]  # oldest first
    assert store.count_sessions(mia.id) == 2
    assert store.set_session_notes(later.id, "depth improving").coach_notes == "depth improving"
    assert store.session_with_analysis("key-1").id == later.id
    assert store.session_with_analysis("key-2") is None

    store.delete_session(later.id)
    assert not store.session_folder(later).exists()
    assert store.session_with_analysis("key-1") is None
    assert [s.id for s in store.sessions_of(mia.id)] == [earlier.id]


def test_deleting_a_child_deletes_their_sessions_and_every_file(store):
    mia, noah = store.add_child("Mia"), store.add_child("Noah")
    sessions = [store.add_session(child.id, analysis=standing_analysis()) for child in (mia, noah, mia)]
    for session in sessions:
        (store.session_folder(session) / EXPORTS_FOLDER).mkdir()
        (store.session_folder(session) / EXPORTS_FOLDER / "angles.csv").write_text("t,knee\n")
    (store.child_folder(mia.id) / REPORTS_FOLDER).mkdir()
    (store.child_folder(mia.id) / REPORTS_FOLDER / "report.pdf").write_bytes(b"%PDF")

    assert store.delete_child(mia.id) == 2
    assert not store.child_folder(mia.id).exists()
    assert store.sessions_of(mia.id) == []
    for session in (sessions[0], sessions[2]):
        with pytest.raises(InputError):
            store.get_session(session.id)
    with sqlite3.connect(store.path) as db:  # no row of hers anywhere
        assert db.execute("SELECT count(*) FROM sessions WHERE child_id = ?", (mia.id,)).fetchone()[0] == 0
    assert store.get_session(sessions[1].id).load_analysis().frames  # Noah's untouched
    assert (store.session_folder(sessions[1]) / EXPORTS_FOLDER / "angles.csv").is_file()


def test_orphan_folders_are_removed_when_the_records_are_opened(store):
    mia = store.add_child("Mia")
    kept = store.add_session(mia.id, analysis=standing_analysis())
    orphan_child = store.child_folder(mia.id + 41)
    orphan_session = store.session_folder(replace(kept, id=kept.id + 7))
    for folder in (orphan_child, orphan_session):
        folder.mkdir(parents=True)
        (folder / "keypoints.json").write_text("{}")
    not_ours = store.child_folder(mia.id).parent / "notes-by-hand"
    not_ours.mkdir()
    store.close()

    with RecordStore(store.path) as reopened:
        assert not orphan_child.exists() and not orphan_session.exists()
        assert not_ours.is_dir()
        assert reopened.get_session(kept.id).load_analysis().frames


def test_a_failed_write_leaves_neither_row_nor_file(store):
    mia = store.add_child("Mia")
    unwritable = standing_analysis()
    unwritable.settings = {"stature_mm": 1520.0, "camera": object()}  # not JSON: the row is in, the file fails
    with pytest.raises(TypeError, match="not JSON serializable"):
        store.add_session(mia.id, analysis=unwritable, coach_notes="lost")
    assert store.sessions_of(mia.id) == []
    assert list((store.child_folder(mia.id) / "sessions").iterdir()) == []
    assert store.add_session(mia.id, analysis=standing_analysis()).load_analysis().frames


# The first schema as the first version of the app wrote it: a test of the migrations must not read it from
# the code it tests.
VERSION_1_DDL = """
CREATE TABLE children (id INTEGER PRIMARY KEY AUTOINCREMENT, display_name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE, birth_year INTEGER, sex TEXT CHECK (sex IN ('F', 'M')), height_cm REAL,
    body_mass_kg REAL, dominant_side TEXT CHECK (dominant_side IN ('left', 'right')),
    notes TEXT NOT NULL DEFAULT '', consent_date TEXT, consent_given_by TEXT, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, CHECK ((consent_date IS NULL) = (consent_given_by IS NULL)));
CREATE TABLE sessions (id INTEGER PRIMARY KEY AUTOINCREMENT,
    child_id INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE, recorded_at TEXT NOT NULL, drill TEXT,
    video_path TEXT, video_sha256 TEXT, analysis_file TEXT, stature_mm REAL, drill_result TEXT,
    drill_note TEXT, coach_notes TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX sessions_of_child ON sessions (child_id, recorded_at);
INSERT INTO children (display_name, name_key, height_cm, consent_date, consent_given_by, created_at, updated_at)
    VALUES ('Mia', 'mia', 150.0, '2024-05-01', 'father', '2024-05-01T10:00:00+02:00', '2024-05-01T10:00:00+02:00');
INSERT INTO sessions (child_id, recorded_at, drill, drill_note, coach_notes, created_at, updated_at)
    VALUES (1, '2024-05-02T17:00:00+02:00', 'squat', 'no squat found', 'first visit',
            '2024-05-02T17:05:00+02:00', '2024-05-02T17:05:00+02:00');
PRAGMA user_version = 1;
"""


def test_a_version_1_database_is_migrated_keeping_its_records(tmp_path):
    path = tmp_path / "records.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(VERSION_1_DDL)
    db.close()
    with RecordStore(path) as store:
        mia = store.child_named("mia")
        assert (mia.height_cm, mia.consent) == (150.0, Consent(date(2024, 5, 1), "father"))
        [session] = store.sessions_of(mia.id)
        assert (session.drill, session.drill_note, session.coach_notes) == ("squat", "no squat found", "first visit")
        assert session.analysis_key is None  # v1 sessions are never reused
        store.add_session(mia.id, analysis=standing_analysis(), analysis_key="k")
        assert store.session_with_analysis("k") is not None
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_a_newer_database_or_another_file_is_refused(tmp_path):
    newer = tmp_path / "newer.sqlite3"
    with sqlite3.connect(newer) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(InputError, match="written by a newer STSP Coach .*update the app"):
        RecordStore(newer)
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database, just a long enough line of text to look like a header " * 4)
    with pytest.raises(InputError, match="not a records database"):
        RecordStore(text)


def test_workflow_reuses_the_cache_then_the_session_and_keeps_a_session_without_movement(store, tmp_path):
    """The app's cache holds an analysis of this video with Mia's height: nothing is analysed; the drill finds
    no jump in it, and the session is kept with its analysis and the reason."""
    mia = store.add_child("Mia", height_cm=152)
    cache = AnalysisCache(tmp_path / "cache")
    key = analysis_settings(1520.0).cache_key(file_sha256(BASKETBALL_CLIP))
    cache.store(key, standing_analysis(stature_mm=1520.0).save_json)
    workflow = SessionWorkflow(store, cache)

    added = workflow.add_session(mia, BASKETBALL_CLIP, "vertical-jump", coach_notes="first")
    assert added.reused_from == "the app's analysis cache"
    session = added.session
    assert session.drill_result is None and "no jump" in session.drill_note
    assert session.analysis_key == key and session.stature_mm == 1520.0
    assert session.video_sha256 == file_sha256(BASKETBALL_CLIP) and session.video_path == str(BASKETBALL_CLIP.resolve())
    assert session.load_analysis().frames_with_person == 90

    cache.clear()
    again = workflow.add_session(mia, BASKETBALL_CLIP, "squat")
    assert again.reused_from == f"session {session.id}"
    assert again.session.analysis_path != session.analysis_path  # a copy: deleting one keeps the other
    assert "no squat" in again.session.drill_note
    store.delete_session(session.id)
    assert again.session.load_analysis().frames_with_person == 90


def test_workflow_refuses_bad_input_before_analysing_and_stores_nothing_when_cancelled(store, tmp_path,
                                                                                        blazepose_models):
    mia = store.add_child("Mia", height_cm=152)
    workflow = SessionWorkflow(store)
    with pytest.raises(InputError, match="unknown drill"):
        workflow.add_session(mia, BASKETBALL_CLIP, "hopscotch")
    with pytest.raises(InputError, match="no such video file"):
        workflow.add_session(mia, tmp_path / "missing.mp4", "squat")
    with pytest.raises(SessionCancelled, match="cancelled"):
        workflow.add_session(mia, BASKETBALL_CLIP, "squat", should_cancel=lambda: True)
    assert store.sessions_of(mia.id) == []
    assert not store.child_folder(mia.id).exists()


def test_workflow_analyses_a_slow_motion_video_in_real_time(store, tmp_path, blazepose_models):
    """A session of a slow-motion video, with the rate it was filmed at: its analysis has real times and a key
    of its own (the same video timed as it plays is another analysis)."""
    clip = tmp_path / "slow4.mp4"
    ffmpeg("-i", BASKETBALL_CLIP, "-vf", "trim=end_frame=20,setpts=4*PTS", "-fps_mode", "passthrough", "-an",
           "-c:v", "libx264", "-preset", "ultrafast", clip)
    mia = store.add_child("Mia", height_cm=152)
    workflow = SessionWorkflow(store)
    added = workflow.add_session(mia, clip, None, capture_fps=29.97)
    analysis = added.session.load_analysis()
    assert added.reused_from is None and analysis.fps == pytest.approx(29.97)
    assert analysis.settings["file_fps"] == pytest.approx(29.97 / 4, rel=0.06)
    assert analysis.capture_fps == pytest.approx(29.97)  # what reopens the session's video timed as analysed
    # real time (as it plays: 2.5 s); within the container's estimate of its own rate over 20 frames
    assert analysis.frames[-1].time_s == pytest.approx(19 / 29.97, rel=0.05)
    assert added.session.analysis_key == analysis_settings(1520.0, 29.97).cache_key(file_sha256(clip))
    assert added.session.analysis_key != analysis_settings(1520.0).cache_key(file_sha256(clip))
    with pytest.raises(InputError, match="filmed faster than it plays"):
        workflow.add_session(mia, clip, None, capture_fps=2.0)
    assert len(store.sessions_of(mia.id)) == 1
