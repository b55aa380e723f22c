"""The records survive a process killed (SIGKILL) in the middle of its writes, again and again: the database
passes ``PRAGMA integrity_check``, every session reported committed is there with its analysis file, and the
files of unfinished or deleted sessions are gone once the records are opened again."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

from stsp_app.core.paths import REPO_DIR
from stsp_app.records import RecordStore
from stsp_app.records.data_folder import SESSIONS_FOLDER

KILLS = 6
MAX_KILLS = 40


def test_killed_writers_leave_every_committed_session_and_an_intact_database(tmp_path):
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    database = tmp_path / "data" / "stsp-coach" / "records.sqlite3"
    sessions_folder = database.parent / "children" / "1" / SESSIONS_FOLDER
    chance = random.Random(20260101)
    added: set[int] = set()
    deleting: set[int] = set()
    kills = 0
    # At least KILLS kills, and on until the last one landed inside a write (a session folder without its committed
    # row; the next writer to open the records would tidy it away): where a kill lands is down to timing, and a
    # busy machine can move every one of a fixed few out of the writes.
    while kills < KILLS or (not _unfinished_sessions(database, sessions_folder) and kills < MAX_KILLS):
        writer = subprocess.Popen([sys.executable, "-m", "tests.records_crash_writer"], cwd=REPO_DIR, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            wanted = chance.randint(4, 12)
            seen = 0
            while seen < wanted:
                line = writer.stdout.readline()
                assert line, f"the writer stopped: {writer.stderr.read()}"
                what, session_id = line.split()
                (added if what == "added" else deleting).add(int(session_id))
                seen += what == "added"
            time.sleep(chance.uniform(0.0, 0.03))  # land anywhere in the next write
            writer.send_signal(signal.SIGKILL)
            for line in writer.stdout:  # what it printed before the kill
                what, session_id = line.split()
                (added if what == "added" else deleting).add(int(session_id))
        finally:
            writer.kill()
            writer.wait()
        assert writer.returncode == -signal.SIGKILL
        kills += 1

    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        present = {row[0] for row in db.execute("SELECT id FROM sessions")}
    db.close()
    assert added - deleting <= present
    assert len(present - added) <= kills  # at most one commit per kill not yet printed
    assert _unfinished_sessions(database, sessions_folder), \
        f"none of {kills} kills landed inside a write (a session folder without its committed row)"

    with RecordStore(database) as store:
        [child] = store.find_children("crash test")
        sessions = store.sessions_of(child.id)
        assert {session.id for session in sessions} == present
        for session in sessions:
            assert len(session.load_analysis().frames) == 300
            assert session.drill_result["drill"] == "squat"
        folders = {int(folder.name) for folder in (store.child_folder(child.id) / SESSIONS_FOLDER).iterdir()}
        assert folders == present  # neither a folder without its session nor the reverse


def _unfinished_sessions(database, sessions_folder) -> set[int]:
    """The session folders without a committed row: what a kill inside a write leaves (read without opening the
    records, which would tidy them away)."""
    if not database.exists() or not sessions_folder.exists():
        return set()
    with sqlite3.connect(database) as db:
        present = {row[0] for row in db.execute("SELECT id FROM sessions")}
    db.close()
    return {int(folder.name) for folder in sessions_folder.iterdir()} - present
