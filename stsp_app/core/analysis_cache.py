"""Per-video cache of analysis results, so that reopening an analysed video is instant.

An entry is keyed by the sha256 of the video file's bytes (so renaming or moving the file still finds it, and
editing it does not) together with the analysis settings (model size, smoothing, chosen person...). Entries
live under ``user_cache_dir()/analyses/`` as one file each. They hold personal data about children, so the
app offers to delete them all (:meth:`AnalysisCache.clear`).

The cache stores files and knows nothing of their format: callers pass a function that writes the entry to
a path and one that reads it back.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Callable, TypeVar

from stsp_app.core.atomic_write import atomic_path
from stsp_app.core.paths import user_cache_dir
from stsp_app.errors import UserFacingError

T = TypeVar("T")

ENTRY_SUFFIX = ".analysis.json"


def analysis_key(content_sha256: str, settings: dict[str, object]) -> str:
    """Entry name for a video's content hash and the settings that shaped its analysis."""
    settings_text = json.dumps(settings, sort_keys=True, default=str)
    settings_hash = hashlib.sha256(settings_text.encode("utf-8")).hexdigest()[:16]
    return f"{content_sha256[:32]}-{settings_hash}"


class AnalysisCache:
    """Analysis results on disk, one file per (video content, settings)."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else user_cache_dir() / "analyses"

    def entry_path(self, key: str) -> Path:
        return self.root / f"{key}{ENTRY_SUFFIX}"

    def load(self, key: str, read: Callable[[Path], T]) -> T | None:
        """The cached result for ``key``, or None when there is none or it cannot be read (it is removed)."""
        path = self.entry_path(key)
        if not path.is_file():
            return None
        try:
            return read(path)
        except (OSError, ValueError, KeyError, TypeError, UserFacingError):
            path.unlink(missing_ok=True)
            return None

    def store(self, key: str, write: Callable[[Path], None]) -> Path:
        """Write an entry through ``write(path)``; a partly written entry is never visible to :meth:`load`."""
        path = self.entry_path(key)
        with atomic_path(path) as temporary:
            write(temporary)
        return path

    def entries(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return sorted(self.root.glob(f"*{ENTRY_SUFFIX}"))

    def clear(self) -> int:
        """Delete every cached analysis; returns how many were deleted."""
        entries = self.entries()
        for path in entries:
            path.unlink(missing_ok=True)
        return len(entries)
