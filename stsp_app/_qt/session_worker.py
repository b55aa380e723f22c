"""A new session's analysis, drill and storing, as a background task reporting its progress.

The task runs :func:`stsp_app.presenters.new_session.add_session`, whose analysis runs in a child process
(the one supervisor in stsp_app.analysis_job), so the interface keeps answering.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Signal

from stsp_app._qt.background_task import BackgroundTask
from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.presenters.new_session import NewSessionRequest, add_session
from stsp_app.records import SessionCancelled


class SessionWorker(BackgroundTask):
    """``finished`` carries the AddedSession; ``cancelled`` says that nothing was saved."""

    progress = Signal(int, int)  # frames done, frame count

    def __init__(self, database_path: Path, request: NewSessionRequest, analysis_cache: AnalysisCache | None,
                 device: str) -> None:
        super().__init__(self._add, "The new session", cancelled_by=(SessionCancelled,))
        self.database_path = database_path
        self.request = request
        self.analysis_cache = analysis_cache
        self.device = device
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the analysis to stop (safe from any thread); no session is saved then."""
        self._cancel.set()

    def _add(self):
        return add_session(self.database_path, self.request, analysis_cache=self.analysis_cache,
                           device=self.device, on_progress=self.progress.emit, should_cancel=self._cancel.is_set)
