"""``stsp-coach child …`` and ``stsp-coach session …`` end to end through ``python -m stsp_app``: the records
in the data folder that ``XDG_DATA_HOME`` names, one real video analysed once for the whole module."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.core.content_hash import file_sha256
from stsp_app.core.paths import REPO_DIR, model_cache_dir
from stsp_app.records.session_workflow import analysis_settings
from tests.conftest import BASKETBALL_CLIP, VIDEO_DIR
from tests.records_data import standing_analysis
from tests.test_analyze_cli import assert_one_clear_error

HEIGHT_CM = 152


def coach(env: dict, *args) -> subprocess.CompletedProcess:
    """Run a command without a terminal (stdin is not one, as in a script)."""
    return subprocess.run([sys.executable, "-m", "stsp_app", *map(str, args)], cwd=REPO_DIR, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)


def coach_on_terminal(env: dict, answer: str, *args) -> subprocess.CompletedProcess:
    """Run a command whose stdin is a terminal on which ``answer`` is typed."""
    terminal, command_side = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "stsp_app", *map(str, args)], cwd=REPO_DIR, env=env,
                                   stdin=command_side, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        os.write(terminal, f"{answer}\n".encode())
        stdout, stderr = process.communicate(timeout=120)
    finally:
        os.close(terminal)
        os.close(command_side)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def last_json_line(result: subprocess.CompletedProcess):
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def env(tmp_path):
    """Empty records of one's own."""
    return dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))


@pytest.fixture(scope="module")
def video_env(tmp_path_factory, blazepose_models):
    """Records shared by the module, and an analysis cache of their own (the models stay where they are)."""
    root = tmp_path_factory.mktemp("records")
    (root / "cache").mkdir()
    (root / "cache" / "models").symlink_to(model_cache_dir())
    return dict(os.environ, XDG_DATA_HOME=str(root / "data"), STSP_COACH_CACHE=str(root / "cache"))


@pytest.fixture(scope="module")
def first_session(video_env):
    """Mia, 152 cm, and her first session: the basketball clip analysed for the run drill."""
    assert coach(video_env, "child", "add", "Mia", "--height-cm", HEIGHT_CM).returncode == 0
    result = coach(video_env, "session", "add", "mia", BASKETBALL_CLIP, "--drill", "run", "--notes", "warm-up",
                   "--json")
    return last_json_line(result), result.stdout


def test_children_added_listed_searched_shown_edited(env):
    added = coach(env, "child", "add", "Léa Martin", "--birth-year", "2014", "--height-cm", "141.5", "--sex", "f",
                  "--dominant", "left", "--body-mass-kg", "35", "--notes", "asthma: inhaler in her bag",
                  "--consent-date", "2025-09-01", "--consent-by", "her father")
    assert added.returncode == 0, added.stderr
    assert "Added Léa Martin" in added.stdout
    assert "No height recorded" in coach(env, "child", "add", "Noah").stdout

    listing = coach(env, "child", "list").stdout
    assert "Léa Martin" in listing and "born 2014" in listing and "141.5 cm" in listing and "Noah" in listing
    assert "records.sqlite3" in listing
    found = coach(env, "child", "list", "--search", "MART").stdout
    assert "Léa Martin" in found and "Noah" not in found

    shown = coach(env, "child", "show", "léa martin").stdout
    for fact in ("birth year:     2014", "sex:            F", "height:         141.5 cm", "body mass:      35 kg",
                 "dominant side:  left", "consent:        2025-09-01, given by her father", "asthma",
                 "No sessions yet."):
        assert fact in shown, fact

    edited = coach(env, "child", "edit", "Léa Martin", "--rename", "Léa M.", "--height-cm", "143", "--consent-by",
                   "her mother")
    assert edited.returncode == 0, edited.stderr
    profile = last_json_line(coach(env, "child", "show", "LÉA M.", "--json"))
    assert (profile["display_name"], profile["height_cm"], profile["birth_year"]) == ("Léa M.", 143.0, 2014)
    assert profile["consent"] == {"date": "2025-09-01", "given_by": "her mother"}
    assert profile["sessions"] == [] and profile["folder"].startswith(env["XDG_DATA_HOME"])
    children = last_json_line(coach(env, "child", "list", "--json"))
    assert [(c["display_name"], c["sessions"]) for c in children] == [("Léa M.", 0), ("Noah", 0)]


def test_bad_input_is_one_clear_error(env):
    coach(env, "child", "add", "Mia")
    assert_one_clear_error(coach(env, "child", "add", "MIA"), "a child named 'MIA' already exists")
    assert_one_clear_error(coach(env, "child", "add", "Zoe", "--height-cm", "1.45"), "give the height in centimetres")
    assert_one_clear_error(coach(env, "child", "add", "Zoe", "--birth-year", "1870"), "birth year 1870")
    assert_one_clear_error(coach(env, "child", "add", "Zoe", "--body-mass-kg", "900"), "body mass 900")
    assert_one_clear_error(coach(env, "child", "add", "Zoe", "--consent-by", "mother"), "give both --consent-date")
    assert_one_clear_error(coach(env, "child", "add", "Zoe", "--consent-date", "1/9/25", "--consent-by", "mother"),
                           "write the date as YYYY-MM-DD")
    assert_one_clear_error(coach(env, "child", "edit", "Mia", "--rename", " "), "the name is empty")
    for command in (("child", "show", "Zoe"), ("child", "edit", "Zoe", "--height-cm", "150"),
                    ("child", "delete", "Zoe", "--yes"), ("session", "list", "Zoe"),
                    ("session", "add", "Zoe", BASKETBALL_CLIP, "--drill", "squat")):
        assert_one_clear_error(coach(env, *command), "no child named 'Zoe'")
    assert_one_clear_error(coach(env, "session", "add", "Mia", VIDEO_DIR / "no_such_clip.mp4", "--drill", "squat"),
                           "no such video file")
    assert_one_clear_error(coach(env, "session", "add", "Mia", BASKETBALL_CLIP, "--drill", "squat", "--date",
                                 "yesterday"), "--date 'yesterday'")
    assert_one_clear_error(coach(env, "session", "show", "99"), "no session with id 99")
    assert "Zoe" not in coach(env, "child", "list").stdout


def test_delete_asks_on_a_terminal_and_scripts_must_say_yes(env):
    coach(env, "child", "add", "Mia")
    kept = coach_on_terminal(env, "n", "child", "delete", "Mia")
    assert "Delete Mia and all 0 sessions? [y/N]" in kept.stdout and "Nothing was deleted" in kept.stdout
    assert kept.returncode == 1
    assert_one_clear_error(coach(env, "child", "delete", "Mia"), "no terminal to ask")
    assert "Mia" in coach(env, "child", "list").stdout
    deleted = coach_on_terminal(env, "y", "child", "delete", "mia")
    assert deleted.returncode == 0 and "Deleted Mia" in deleted.stdout
    coach(env, "child", "add", "Noah")
    assert coach(env, "child", "delete", "Noah", "--yes").returncode == 0
    assert "No child in the records" in coach(env, "child", "list").stdout


def test_session_add_gives_the_childs_height_to_the_3d_stage(first_session, video_env):
    session, stdout = first_session
    assert f"Analysed 300 frames of {BASKETBALL_CLIP.name}" in stdout
    assert f"3D scaled to Mia's height, {HEIGHT_CM} cm" in stdout
    assert "run: 300 frames" in stdout and "Cadence" in stdout and f"Saved session {session['id']} for Mia" in stdout
    assert session["stature_mm"] == 10.0 * HEIGHT_CM
    analysis_path = session["analysis_path"]
    assert analysis_path.startswith(video_env["XDG_DATA_HOME"])
    with open(analysis_path) as handle:
        assert json.load(handle)["settings"]["stature_mm"] == 10.0 * HEIGHT_CM
    assert session["video_sha256"] == file_sha256(BASKETBALL_CLIP)
    assert session["drill_result"]["drill"] == "run" and session["coach_notes"] == "warm-up"


def test_session_add_twice_on_one_video_analyses_it_once(first_session, video_env):
    first, _ = first_session
    result = coach(video_env, "session", "add", "Mia", BASKETBALL_CLIP, "--drill", "run", "--date",
                   "2025-10-01T17:30", "--json")
    second = last_json_line(result)
    assert f"Reused an earlier analysis of this video (session {first['id']}, same settings)" in result.stdout
    assert "Analysed" not in result.stdout
    with open(first["analysis_path"]) as one, open(second["analysis_path"]) as other:
        assert json.load(one) == json.load(other)
    assert second["analysis_path"] != first["analysis_path"]
    assert second["recorded_at"].startswith("2025-10-01T17:30") and second["drill_result"]["drill"] == "run"

    listing = coach(video_env, "session", "list", "Mia").stdout
    assert listing.index(f"#{second['id']}") < listing.index(f"#{first['id']}")  # filmed earlier: listed first
    assert listing.count("Cadence") == 2  # both sessions with their drill's headline
    shown = coach(video_env, "session", "show", str(second["id"])).stdout
    assert "3D scale: height 152 cm" in shown and "run: 300 frames" in shown
    assert coach(video_env, "session", "edit", str(second["id"]), "--notes", "knees in").returncode == 0
    assert last_json_line(coach(video_env, "session", "show", str(second["id"]), "--json"))["coach_notes"] == "knees in"

    assert_one_clear_error(coach(video_env, "session", "delete", str(second["id"])), "add --yes")
    deleted = coach(video_env, "session", "delete", str(second["id"]), "--yes")
    assert deleted.returncode == 0, deleted.stderr
    assert not os.path.exists(os.path.dirname(second["analysis_path"]))
    assert [s["id"] for s in last_json_line(coach(video_env, "session", "list", "Mia", "--json"))] == [first["id"]]


def test_a_drill_without_its_movement_still_stores_the_session(first_session, video_env):
    """The app's cache holds an analysis of this clip with Mia's height in which she only stands: no squat."""
    clip = VIDEO_DIR / "cmj_teen_front.mp4"
    key = analysis_settings(10.0 * HEIGHT_CM).cache_key(file_sha256(clip))
    AnalysisCache(os.path.join(video_env["STSP_COACH_CACHE"], "analyses")).store(
        key, standing_analysis(stature_mm=10.0 * HEIGHT_CM).save_json)
    result = coach(video_env, "session", "add", "Mia", clip, "--drill", "squat", "--json")
    session = last_json_line(result)
    assert "Reused an earlier analysis of this video (the app's analysis cache" in result.stdout
    assert "squat: no squat found" in result.stdout and f"Saved session {session['id']}" in result.stdout
    assert session["drill_result"] is None and "no squat found" in session["drill_note"]
    assert os.path.isfile(session["analysis_path"])
    assert "no squat found" in coach(video_env, "session", "list", "Mia").stdout


def test_deleting_a_child_deletes_their_sessions_and_files(first_session, video_env):
    assert coach(video_env, "child", "add", "Noah", "--height-cm", HEIGHT_CM).returncode == 0
    added = last_json_line(coach(video_env, "session", "add", "Noah", BASKETBALL_CLIP, "--drill", "kick", "--json"))
    noah_folder = last_json_line(coach(video_env, "child", "show", "Noah", "--json"))["folder"]
    assert added["analysis_path"].startswith(noah_folder)
    assert_one_clear_error(coach(video_env, "child", "delete", "Noah"), "Delete Noah and all 1 session?")
    deleted = coach(video_env, "child", "delete", "Noah", "--yes")
    assert deleted.returncode == 0 and "Deleted Noah, 1 session and their files" in deleted.stdout
    assert not os.path.exists(noah_folder)
    assert_one_clear_error(coach(video_env, "session", "show", str(added["id"])), "no session")
    assert os.path.isfile(first_session[0]["analysis_path"])  # Mia's untouched
