"""The one content hash of the project: sha256 of a file's bytes (videos, model files)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from stsp_app.errors import InputError

_CHUNK_BYTES = 1 << 20


def file_sha256(path: str | Path) -> str:
    """Hex sha256 of a file's bytes, read in chunks (videos can be gigabytes)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK_BYTES):
                digest.update(chunk)
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from error
    return digest.hexdigest()


def files_sha256(paths: list[Path]) -> str:
    """One hash of several files' contents, in the order given (an image folder as a video)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(bytes.fromhex(file_sha256(path)))
    return digest.hexdigest()
