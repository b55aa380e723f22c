"""The one way the project writes a file: to a unique temporary name beside it, then renamed over it.

A crash, a full disk or Ctrl-C part-way leaves the previous file (or none) and no half-written one; the
temporary file is removed on any failure.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from stsp_app.errors import OutputError


@contextmanager
def atomic_path(destination: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary path in ``destination``'s folder (created if needed); when the block ends
    without an error the file there replaces ``destination``, otherwise it is deleted."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)


def write_text_atomic(destination: str | Path, text: str) -> None:
    with atomic_path(destination) as temporary:
        temporary.write_text(text, encoding="utf-8")


def ensure_writable_folder(folder: str | Path) -> Path:
    """Create ``folder`` if needed and prove a file can be made in it, so a long job fails before it starts
    rather than after (raises OutputError)."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-check."):
            pass
    except OSError as error:
        raise OutputError(f"{folder}: cannot write there ({error.strerror or error})") from None
    return folder
