"""The SQLite connection of the records and its one way of writing: a transaction that holds the write lock.

The connection runs in autocommit mode (``isolation_level=None``) and every write goes through
:func:`write_transaction`, which takes the database's write lock up front (``BEGIN IMMEDIATE``), so two
processes (the app and a batch command) never interleave their changes, and a crash at any point leaves the
database as of the last commit: the write-ahead log (WAL) is replayed or discarded when it is next opened.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stsp_app.errors import InputError

# How long a write waits for another process's transaction to end before giving up.
BUSY_TIMEOUT_MS = 30_000


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path``: foreign keys on, WAL journal, full sync on commit."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data: the user's eyes only
    connection = sqlite3.connect(path, isolation_level=None)
    connection.row_factory = sqlite3.Row
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        connection.close()
        raise InputError(f"{path}: not a records database ({error})") from None
    return connection


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One transaction holding the write lock: committed when the block ends, rolled back on any exception
    (Ctrl-C included)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise


def user_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])
