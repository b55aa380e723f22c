"""Where the records live: the database in the per-user data folder, and one folder of files per child.

The data folder is ``platformdirs.user_data_dir("stsp-coach")``: ``$XDG_DATA_HOME/stsp-coach`` (by default
``~/.local/share/stsp-coach``) on Linux, ``~/Library/Application Support/stsp-coach`` on macOS,
``%LOCALAPPDATA%\\stsp-coach`` on Windows. Beside the database, everything the app makes for a child lives
under that child's folder, named by ids (never by names, which are personal data and may change)::

    records.sqlite3                        the database (with -wal and -shm beside it while it is open)
    children/CHILD_ID/                     all of one child's files: deleting the child deletes this folder
    children/CHILD_ID/reports/             the child's reports
    children/CHILD_ID/recordings/          videos the app recorded from the camera for the child's sessions
    children/CHILD_ID/sessions/SESSION_ID/             one session's files: deleting the session deletes it
    children/CHILD_ID/sessions/SESSION_ID/keypoints.json   the session's analysis
    children/CHILD_ID/sessions/SESSION_ID/exports/     the session's exports
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from stsp_app.core.analysis import KEYPOINTS_FILE

APP_FOLDER_NAME = "stsp-coach"
DATABASE_FILE = "records.sqlite3"
CHILDREN_FOLDER = "children"
SESSIONS_FOLDER = "sessions"
ANALYSIS_FILE = KEYPOINTS_FILE
REPORTS_FOLDER = "reports"
EXPORTS_FOLDER = "exports"
RECORDINGS_FOLDER = "recordings"


def data_folder() -> Path:
    """The per-user data folder (``XDG_DATA_HOME`` moves it on Linux; the tests use that)."""
    return Path(platformdirs.user_data_dir(APP_FOLDER_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_folder() / DATABASE_FILE


def children_folder(root: Path) -> Path:
    """The folder holding every child's folder, for records whose database lies in ``root``."""
    return root / CHILDREN_FOLDER


def child_folder(root: Path, child_id: int) -> Path:
    return children_folder(root) / str(child_id)


def session_folder(root: Path, child_id: int, session_id: int) -> Path:
    return child_folder(root, child_id) / SESSIONS_FOLDER / str(session_id)
