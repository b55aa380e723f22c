"""The records' tables and their migrations, applied in order under ``PRAGMA user_version``.

``MIGRATIONS[n]`` takes a database from version ``n`` to ``n + 1``; each runs in its own transaction together
with the new ``user_version`` (SQLite's DDL is transactional), so a crash mid-migration leaves the previous
version intact. A database of a newer version than this program knows is refused, never downgraded.
Never edit a migration that has shipped: add one. The tables are described in docs/formats.md, "Records".
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from stsp_app.errors import InputError
from stsp_app.records.database import user_version, write_transaction

_VERSION_1 = (
    """
    CREATE TABLE children (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        display_name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        birth_year INTEGER,
        sex TEXT CHECK (sex IN ('F', 'M')),
        height_cm REAL,
        body_mass_kg REAL,
        dominant_side TEXT CHECK (dominant_side IN ('left', 'right')),
        notes TEXT NOT NULL DEFAULT '',
        consent_date TEXT,
        consent_given_by TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        CHECK ((consent_date IS NULL) = (consent_given_by IS NULL))
    )
    """,
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        child_id INTEGER NOT NULL REFERENCES children (id) ON DELETE CASCADE,
        recorded_at TEXT NOT NULL,
        drill TEXT,
        video_path TEXT,
        video_sha256 TEXT,
        analysis_file TEXT,
        stature_mm REAL,
        drill_result TEXT,
        drill_note TEXT,
        coach_notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX sessions_of_child ON sessions (child_id, recorded_at)",
)

# Version 2: the key of the video content and the settings an analysis was made with, so that a session of
# the same video with the same settings reuses it. Sessions from version 1 have none and are never reused.
_VERSION_2 = (
    "ALTER TABLE sessions ADD COLUMN analysis_key TEXT",
    "CREATE INDEX sessions_by_analysis ON sessions (analysis_key)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_VERSION_1, _VERSION_2)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the database up to :data:`SCHEMA_VERSION`, one migration per transaction. Safe when another
    process migrates at the same time: each step re-reads the version once it holds the write lock."""
    while (version := user_version(connection)) < SCHEMA_VERSION:
        with write_transaction(connection):
            version = user_version(connection)
            if version >= SCHEMA_VERSION:
                break
            for statement in MIGRATIONS[version]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
    if version > SCHEMA_VERSION:
        raise InputError(
            f"{path}: the records were written by a newer STSP Coach (schema version {version}; this one reads "
            f"up to {SCHEMA_VERSION}): update the app"
        )
