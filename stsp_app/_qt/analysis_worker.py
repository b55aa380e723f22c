"""Offline analysis of a whole video, with progress, cancel and the per-video cache.

A QThread in the interface process looks in the cache and, when the video has no stored analysis, runs the
pipeline in a child process (stsp_app.analysis_job) and relays its reports as signals. The analysis itself
never runs in the interface process, so it cannot hold up the event loop.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from stsp_app.analysis_job import start_analysis_job
from stsp_app.core.analysis_cache import AnalysisCache, analysis_key, file_sha256
from stsp_app.errors import UserFacingError
from stsp_app.lifting.model_files import shipped_models_version

log = logging.getLogger(__name__)

# How long a cancelled child may take to stop by itself before it is terminated.
CANCEL_GRACE_S = 5.0
# Progress reaches the interface at most this often: each update repaints, and repaints cost the event loop.
PROGRESS_INTERVAL_S = 0.1


class OfflineAnalysisWorker(QObject):
    """Analyses every frame of a video; ``finished`` carries the VideoAnalysis (partial when cancelled)."""

    started = Signal(str, bool)            # device name, has 3D
    progress = Signal(int, int, float)     # frames done, frame count, frames per second
    finished = Signal(object, bool, bool)  # VideoAnalysis, from cache, cancelled
    interrupted = Signal(object, str)      # the frames analysed before the video broke off, the reason
    failed = Signal(str)

    def __init__(self, video_path: str | Path, settings: dict[str, object], device: str,
                 person_at: tuple | None = None, cache: AnalysisCache | None = None) -> None:
        super().__init__()
        self.video_path = Path(video_path)
        self.settings = dict(settings)
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
            key = analysis_key(file_sha256(self.video_path), {**self.settings, "person_at": self.person_at,
                                                              "lifting_models": shipped_models_version()})
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
        """Run the child process to its end, relaying its reports; returns its last report."""
        process, messages, cancel_event = start_analysis_job(
            self.video_path, self.settings, self.device, self.person_at, cache_entry)
        start_s = None
        cancel_sent_s = None
        last_progress_s = 0.0
        try:
            while True:
                if self._cancel.is_set() and cancel_sent_s is None:
                    cancel_event.set()
                    cancel_sent_s = time.monotonic()
                if cancel_sent_s is not None and time.monotonic() - cancel_sent_s > CANCEL_GRACE_S:
                    process.terminate()
                    return ("failed", "The analysis did not stop when asked and was ended.")
                try:
                    report = messages.get(timeout=0.05)
                except queue.Empty:
                    if not process.is_alive() and messages.empty():
                        return ("failed", f"The analysis process ended unexpectedly (exit code {process.exitcode}).")
                    continue
                if report[0] == "started":
                    start_s = time.monotonic()
                    self.started.emit(report[1], report[2])
                elif report[0] == "progress":
                    now_s = time.monotonic()
                    if now_s - last_progress_s >= PROGRESS_INTERVAL_S or report[1] == report[2]:
                        last_progress_s = now_s
                        elapsed_s = now_s - start_s if start_s is not None else 0.0
                        self.progress.emit(report[1], report[2], report[1] / elapsed_s if elapsed_s > 0 else 0.0)
                else:
                    return report
        finally:
            process.join(timeout=CANCEL_GRACE_S)
            if process.is_alive():
                process.terminate()
                process.join()
            messages.close()


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
