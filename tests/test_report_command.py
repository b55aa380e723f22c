"""``stsp-coach report`` end to end through ``python -m stsp_app``, on records in a data folder of the test's own
(``XDG_DATA_HOME``) holding a real clip's analysis (analysed once for the test session)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

from stsp_app.core.paths import REPO_DIR
from stsp_app.errors import InputError
from stsp_app.records import RecordStore
from stsp_app.report import check_writable
from tests.conftest import VIDEO_DIR
from tests.records_data import standing_analysis
from tests.report_records import add_drill_session
from tests.test_analyze_cli import assert_one_clear_error

CLIP = VIDEO_DIR / "cmj_teen_front.mp4"


def coach(env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "stsp_app", *map(str, args)], cwd=REPO_DIR, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def records(tmp_path_factory, analysed_clip):
    """Mia with a vertical jump on the clip and a session without a drill, Noah with one session, Zoe with none."""
    root = tmp_path_factory.mktemp("report_command")
    env = dict(os.environ, XDG_DATA_HOME=str(root / "data"))
    with RecordStore(root / "data" / "stsp-coach" / "records.sqlite3") as store:
        mia = store.add_child("Mia", birth_year=2013, sex="F", height_cm=152)
        jump = add_drill_session(store, mia.id, "vertical-jump", analysed_clip(CLIP.name),
                                 datetime(2025, 10, 6, 17, 30).astimezone(), video=CLIP)
        standing = store.add_session(mia.id, analysis=standing_analysis(60))
        noah = store.add_child("Noah")
        other = store.add_session(noah.id, analysis=standing_analysis(30))
        store.add_child("Zoe")
        reports = store.child_folder(mia.id) / "reports"
    return env, root, reports, {"jump": jump.id, "standing": standing.id, "other": other.id}


def test_the_report_goes_to_the_childs_reports_folder_or_to_out(records):
    env, root, reports, sessions = records
    result = coach(env, "report", "MIA", "--session", sessions["jump"])
    assert result.returncode == 0, result.stderr
    written = sorted(reports.glob("report_*.pdf"))
    assert len(written) == 1 and written[0].read_bytes().startswith(b"%PDF-")
    assert result.stdout.strip() == f"Wrote the motion report of Mia (1 session): {written[0]}"

    out = root / "for the physio" / "mia.pdf"
    result = coach(env, "report", "mia", "--session", sessions["standing"], "--out", out, "--no-face-blur")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-") and f": {out}" in result.stdout
    assert "faces are NOT blurred" in result.stdout
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Faces are NOT blurred in this report" in " ".join(text.split())


def test_bad_input_is_one_clear_line_and_writes_nothing(records):
    env, root, reports, sessions = records
    before = sorted(reports.glob("*"))
    a_file = root / "a_file.txt"
    a_file.write_text("not a folder")
    assert_one_clear_error(coach(env, "report", "Zo"), "no child named 'Zo' (did you mean 'Zoe'?)")
    assert_one_clear_error(coach(env, "report", "Zoe"), "Zoe has no sessions yet")
    assert_one_clear_error(coach(env, "report", "Mia", "--session", sessions["other"]),
                           f"session {sessions['other']} is not one of Mia's sessions")
    assert_one_clear_error(coach(env, "report", "Mia", "--out", a_file / "report.pdf"), "cannot write there")
    assert sorted(reports.glob("*")) == before
    assert not list(root.glob("*.pdf")) and not list(root.glob("**/*.partial"))


def test_the_output_must_be_a_pdf_file_name(tmp_path):
    with pytest.raises(InputError, match="a name ending in .pdf"):
        check_writable(tmp_path / "report.docx")
    with pytest.raises(InputError, match="a folder"):
        check_writable(tmp_path)
    check_writable(tmp_path / "new folder" / "report.PDF")
    assert (tmp_path / "new folder").is_dir() and not list((tmp_path / "new folder").iterdir())
