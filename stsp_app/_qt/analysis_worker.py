"""Offline analysis of a whole video, with progress, cancel and the per-video cache.

A QThread in the interface process looks in the cache and, when the video has no stored analysis, runs the
pipeline in a child process (stsp_app.analysis_job) and relays its reports as signals. The analysis itself
never runs in the interface process, so it cannot hold up the event loop.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from stsp_app.analysis_job import run_analysis_job_to_end
from stsp_app.analysis_settings import AnalysisSettings
from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.core.content_hash import file_sha256
from stsp_app.errors import UserFacingError

log = logging.getLogger(__name__)


class OfflineAnalysisWorker(QObject):
    """Analyses every frame of a video; ``finished`` carries the VideoAnalysis (partial when cancelled)."""

    started = Signal(str, bool)            # device name, has 3D
    progress = Signal(int, int, float)     # frames done, frame count, frames per second
    finished = Signal(object, bool, bool)  # VideoAnalysis, from cache, cancelled
    interrupted = Signal(object, str)      # the frames analysed before the video broke off, the reason
    failed = Signal(str)

    def __init__(self, video_path: str | Path, settings: AnalysisSettings, device: str,
                 person_at: tuple | None = None, cache: AnalysisCache | None = None) -> None:
        super().__init__()
        self.video_path = Path(video_path)
        self.settings = settings
        self.device = device
        self.person_at = person_at  # (frame index, body box) of the person to analyse; None: the pipeline's choice
        self.cache = cache
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the analysis to stop after the frame in progress (safe from any thread)."""
        self._cancel.set()

    def run(self) -> None:
        try:
            self._run()
        except UserFacingError as error:
            self.failed.emit(str(error))
        except Exception as error:  # the interface must survive any analysis failure and say what it was
            log.exception("analysis of %s failed", self.video_path)
            self.failed.emit(f"The analysis failed unexpectedly: {error}")

    def _run(self) -> None:
        from stsp_app.pipeline import VideoAnalysis

        key = None
        if self.cache is not None:
            key = self.settings.cache_key(file_sha256(self.video_path), self.person_at)
            cached = self.cache.load(key, VideoAnalysis.load_json)
            if cached is not None:
                self.finished.emit(cached, True, False)
                return
        report = self._run_child(None if key is None else (str(self.cache.root), key))
        if report[0] == "failed":
            self.failed.emit(report[1])
        elif report[0] == "interrupted":
            self.interrupted.emit(report[1], report[2])
        else:
            self.finished.emit(report[1], False, bool(report[2]))

    def _run_child(self, cache_entry: tuple[str, str] | None) -> tuple:
        """Run the child process to its end, relaying its reports as signals; returns its last report."""
        start_s = None

        def started(device_name: str, has_3d: bool) -> None:
            nonlocal start_s
            start_s = time.monotonic()
            self.started.emit(device_name, has_3d)

        def progress(done: int, total: int) -> None:
            elapsed_s = time.monotonic() - start_s if start_s is not None else 0.0
            self.progress.emit(done, total, done / elapsed_s if elapsed_s > 0 else 0.0)

        return run_analysis_job_to_end(self.video_path, self.settings, self.device, self.person_at, cache_entry,
                                       on_started=started, on_progress=progress, should_cancel=self._cancel.is_set)


def start_on_thread(worker: OfflineAnalysisWorker) -> QThread:
    """Run ``worker.run`` on a new QThread that quits when the worker is done, whichever way."""
    thread = QThread()
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    worker.interrupted.connect(thread.quit)
    thread.start()
    return thread
