"""The records' one entry point: :class:`RecordStore`, children and their sessions in one SQLite file.

Every change is one transaction. Files follow the rows: a session's analysis is written inside the
transaction that inserts the session (so a committed session always has its file), and deleted folders are
removed after the transaction that deleted their rows commits (so a crash never leaves rows without their
files, only files without rows). Such orphan folders are removed the next time the records are opened.
"""

from __future__ import annotations

import difflib
import json
import logging
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.errors import InputError
from stsp_app.records import validation
from stsp_app.records.data_folder import (
    ANALYSIS_FILE,
    SESSIONS_FOLDER,
    child_folder,
    children_folder,
    default_database_path,
    session_folder,
)
from stsp_app.records.database import connect, write_transaction
from stsp_app.records.models import Child, Consent, Session
from stsp_app.records.schema import migrate

log = logging.getLogger(__name__)

class RecordStore:
    """Children's profiles and sessions, in the database at ``path`` (default: the per-user data folder) and
    in the folders beside it (:mod:`stsp_app.records.data_folder`).

    One store is one connection: use it from one thread. Close it (or use ``with``) when done.
    """

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_database_path()
        self.root = self.path.parent
        self._db = connect(self.path)
        try:
            migrate(self._db, self.path)
            self._remove_orphan_folders()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> RecordStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Children

    def add_child(self, display_name: str, *, birth_year: int | None = None, sex: str | None = None,
                  height_cm: float | None = None, body_mass_kg: float | None = None,
                  dominant_side: str | None = None, notes: str = "", consent: Consent | None = None) -> Child:
        columns = _child_columns(display_name, birth_year, sex, height_cm, body_mass_kg, dominant_side, notes,
                                 consent)
        now = _now()
        with write_transaction(self._db):
            try:
                cursor = self._db.execute(
                    f"INSERT INTO children ({', '.join(columns)}, created_at, updated_at) "
                    f"VALUES ({', '.join('?' * len(columns))}, ?, ?)",
                    (*columns.values(), now, now))
            except sqlite3.IntegrityError:
                raise _name_taken(columns["display_name"]) from None
        return self.get_child(cursor.lastrowid)

    def update_child(self, child: Child) -> Child:
        """Save an edited copy of a child (``dataclasses.replace(child, ...)``); returns it as stored."""
        columns = _child_columns(child.display_name, child.birth_year, child.sex, child.height_cm,
                                 child.body_mass_kg, child.dominant_side, child.notes, child.consent)
        with write_transaction(self._db):
            try:
                cursor = self._db.execute(
                    f"UPDATE children SET {', '.join(f'{name} = ?' for name in columns)}, updated_at = ? "
                    "WHERE id = ?", (*columns.values(), _now(), child.id))
            except sqlite3.IntegrityError:
                raise _name_taken(columns["display_name"]) from None
            if cursor.rowcount == 0:
                raise InputError(f"no child with id {child.id}")
        return self.get_child(child.id)

    def get_child(self, child_id: int) -> Child:
        row = self._db.execute("SELECT * FROM children WHERE id = ?", (child_id,)).fetchone()
        if row is None:
            raise InputError(f"no child with id {child_id}")
        return _child_from_row(row)

    def child_named(self, name: str) -> Child:
        """The child with this display name, whatever its case."""
        row = self._db.execute("SELECT * FROM children WHERE name_key = ?", (validation.name_key(name),)).fetchone()
        if row is not None:
            return _child_from_row(row)
        similar = self._similar_names(name)
        hint = f" (did you mean {' or '.join(map(repr, similar))}?)" if similar else ""
        raise InputError(f"no child named {name!r}{hint}")

    def _similar_names(self, name: str) -> list[str]:
        """Up to three display names that contain ``name`` or are spelled much like it."""
        names = {validation.name_key(child.display_name): child.display_name for child in self.find_children()}
        key = validation.search_key(name)
        close = [found for found in names if key in found]
        close += difflib.get_close_matches(key, [found for found in names if found not in close], n=3, cutoff=0.6)
        return [names[found] for found in close[:3]]

    def find_children(self, text: str = "") -> list[Child]:
        """The children whose name contains ``text`` (any case; all of them for ""), by name."""
        pattern = "%" + _escape_like(validation.search_key(text)) + "%"
        rows = self._db.execute("SELECT * FROM children WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key, id",
                                (pattern,))
        return [_child_from_row(row) for row in rows]

    def delete_child(self, child_id: int) -> int:
        """Delete a child, all of their sessions and all of their files; returns how many sessions went."""
        with write_transaction(self._db):
            sessions = self.count_sessions(child_id)
            if self._db.execute("DELETE FROM children WHERE id = ?", (child_id,)).rowcount == 0:
                raise InputError(f"no child with id {child_id}")
        _remove_folder(child_folder(self.root, child_id))
        return sessions

    def child_folder(self, child_id: int) -> Path:
        """The folder of everything the app made for this child (reports under ``reports/``); deleted with
        the child."""
        return child_folder(self.root, child_id)

    # Sessions

    def add_session(self, child_id: int, *, recorded_at: datetime | None = None, drill: str | None = None,
                    video_path: str | Path | None = None, video_sha256: str | None = None,
                    analysis: VideoAnalysis | None = None, analysis_key: str | None = None,
                    drill_result: dict[str, Any] | None = None, drill_note: str | None = None,
                    coach_notes: str = "") -> Session:
        """Record a session. ``analysis`` is written to the session's folder in the same transaction;
        ``stature_mm`` is the one it was made with (``analysis.settings``)."""
        drill = validation.check_drill(drill)
        if recorded_at is None:
            recorded_at = datetime.now().astimezone()
        elif recorded_at.tzinfo is None:
            recorded_at = recorded_at.astimezone()
        stature_mm = None if analysis is None else analysis.settings.get("stature_mm")
        now = _now()
        folder = None
        try:
            with write_transaction(self._db):
                self.get_child(child_id)
                cursor = self._db.execute(
                    "INSERT INTO sessions (child_id, recorded_at, drill, video_path, video_sha256, analysis_key, "
                    "stature_mm, drill_result, drill_note, coach_notes, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (child_id, recorded_at.isoformat(timespec="seconds"), drill,
                     None if video_path is None else str(video_path), video_sha256, analysis_key,
                     None if stature_mm is None else float(stature_mm),
                     None if drill_result is None else json.dumps(drill_result, separators=(",", ":")),
                     drill_note, coach_notes, now, now))
                session_id = cursor.lastrowid
                if analysis is not None:
                    folder = session_folder(self.root, child_id, session_id)
                    # A folder already there is an orphan of a write that crashed before committing this id.
                    _remove_folder(folder)
                    analysis.save_json(folder / ANALYSIS_FILE)
                    self._db.execute("UPDATE sessions SET analysis_file = ? WHERE id = ?",
                                     ((folder / ANALYSIS_FILE).relative_to(self.root).as_posix(), session_id))
        except BaseException:
            if folder is not None and not self._has_session(session_id):  # (Ctrl-C may come after the commit)
                _remove_folder(folder)
            raise
        return self.get_session(session_id)

    def set_session_notes(self, session_id: int, coach_notes: str) -> Session:
        with write_transaction(self._db):
            cursor = self._db.execute("UPDATE sessions SET coach_notes = ?, updated_at = ? WHERE id = ?",
                                      (coach_notes, _now(), session_id))
            if cursor.rowcount == 0:
                raise InputError(f"no session with id {session_id}")
        return self.get_session(session_id)

    def get_session(self, session_id: int) -> Session:
        row = self._db.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise InputError(f"no session with id {session_id}")
        return self._session_from_row(row)

    def sessions_of(self, child_id: int) -> list[Session]:
        """A child's sessions, oldest first."""
        rows = self._db.execute("SELECT * FROM sessions WHERE child_id = ? ORDER BY recorded_at, id", (child_id,))
        return [self._session_from_row(row) for row in rows]

    def _has_session(self, session_id: int) -> bool:
        return self._db.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone() is not None

    def count_sessions(self, child_id: int) -> int:
        return int(self._db.execute("SELECT count(*) FROM sessions WHERE child_id = ?", (child_id,)).fetchone()[0])

    def session_with_analysis(self, analysis_key: str) -> Session | None:
        """The latest session whose analysis was made with this key (same video content, same settings) and
        whose analysis file is still there, or None."""
        rows = self._db.execute(
            "SELECT * FROM sessions WHERE analysis_key = ? AND analysis_file IS NOT NULL ORDER BY id DESC",
            (analysis_key,))
        for row in rows:
            session = self._session_from_row(row)
            if session.analysis_path is not None and session.analysis_path.is_file():
                return session
        return None

    def delete_session(self, session_id: int) -> None:
        """Delete a session and its folder (analysis, exports)."""
        session = self.get_session(session_id)
        with write_transaction(self._db):
            if self._db.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount == 0:
                raise InputError(f"no session with id {session_id}")
        _remove_folder(self.session_folder(session))

    def session_folder(self, session: Session) -> Path:
        """The folder of the session's files (its analysis, exports under ``exports/``); deleted with it."""
        return session_folder(self.root, session.child_id, session.id)

    # Rows and files

    def _session_from_row(self, row: sqlite3.Row) -> Session:
        return Session(
            id=row["id"],
            child_id=row["child_id"],
            recorded_at=datetime.fromisoformat(row["recorded_at"]),
            drill=row["drill"],
            video_path=row["video_path"],
            video_sha256=row["video_sha256"],
            analysis_path=None if row["analysis_file"] is None else self.root / row["analysis_file"],
            analysis_key=row["analysis_key"],
            stature_mm=row["stature_mm"],
            drill_result=None if row["drill_result"] is None else json.loads(row["drill_result"]),
            drill_note=row["drill_note"],
            coach_notes=row["coach_notes"],
            created_at=datetime.fromisoformat(row["created_at"]),
            updated_at=datetime.fromisoformat(row["updated_at"]),
        )

    def _remove_orphan_folders(self) -> None:
        """Remove the folders of children and sessions that are not in the database (left by a crash between
        a commit and the removal of the files, or before a commit). Done holding the write lock, so that no
        other process is writing a session's folder meanwhile."""
        root = children_folder(self.root)
        if not root.is_dir():
            return
        with write_transaction(self._db):
            sessions_by_child: dict[str, set[str]] = {}
            for child_id, session_id in self._db.execute(
                    "SELECT children.id, sessions.id FROM children LEFT JOIN sessions ON sessions.child_id = children.id"):
                known = sessions_by_child.setdefault(str(child_id), set())
                if session_id is not None:
                    known.add(str(session_id))
            for folder in _numbered_folders(root):
                known_sessions = sessions_by_child.get(folder.name)
                if known_sessions is None:
                    _remove_folder(folder)
                    continue
                for session in _numbered_folders(folder / SESSIONS_FOLDER):
                    if session.name not in known_sessions:
                        _remove_folder(session)


def _child_columns(display_name: str, birth_year: int | None, sex: str | None, height_cm: float | None,
                   body_mass_kg: float | None, dominant_side: str | None, notes: str,
                   consent: Consent | None) -> dict[str, Any]:
    """The validated values of a child's editable columns, by column name."""
    today = date.today()
    consent = validation.check_consent(consent, today)
    name = validation.clean_name(display_name)
    return {
        "display_name": name,
        "name_key": validation.name_key(name),
        "birth_year": validation.check_birth_year(birth_year, today),
        "sex": validation.check_sex(sex),
        "height_cm": validation.check_height_cm(height_cm),
        "body_mass_kg": validation.check_body_mass_kg(body_mass_kg),
        "dominant_side": validation.check_dominant_side(dominant_side),
        "notes": notes,
        "consent_date": None if consent is None else consent.date.isoformat(),
        "consent_given_by": None if consent is None else consent.given_by,
    }


def _child_from_row(row: sqlite3.Row) -> Child:
    consent = None
    if row["consent_date"] is not None:
        consent = Consent(date.fromisoformat(row["consent_date"]), row["consent_given_by"])
    return Child(
        id=row["id"],
        display_name=row["display_name"],
        birth_year=row["birth_year"],
        sex=row["sex"],
        height_cm=row["height_cm"],
        body_mass_kg=row["body_mass_kg"],
        dominant_side=row["dominant_side"],
        notes=row["notes"],
        consent=consent,
        created_at=datetime.fromisoformat(row["created_at"]),
        updated_at=datetime.fromisoformat(row["updated_at"]),
    )


def _name_taken(name: str) -> InputError:
    return InputError(f"a child named {name!r} already exists (names are unique whatever their case)")


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _numbered_folders(folder: Path) -> list[Path]:
    """The sub-folders named by an id (anything else there is not the records' and is left alone)."""
    if not folder.is_dir():
        return []
    return [entry for entry in folder.iterdir() if entry.is_dir() and entry.name.isdigit()]


def _remove_folder(folder: Path) -> None:
    """Remove a folder and everything in it. One that cannot be removed now (a file open elsewhere...) is
    logged and removed the next time the records are opened."""
    def failed(function, path, exc_info) -> None:
        if not isinstance(exc_info[1], FileNotFoundError):  # another process removing it at the same time
            log.warning("could not remove %s (%s); it is removed the next time the records are opened",
                        path, exc_info[1])

    shutil.rmtree(folder, onerror=failed)
