"""Offline analysis of a whole video on a worker thread, with progress, cancel and the per-video cache.

Only the workers (this module and live_worker.py) touch the pipeline. Results cross to the interface thread
through queued signals; the worker never touches a widget.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from stsp_app.core.analysis_cache import AnalysisCache, analysis_key, file_sha256
from stsp_app.errors import UserFacingError

log = logging.getLogger(__name__)


class OfflineAnalysisWorker(QObject):
    """Analyses every frame of a video; ``finished`` carries the VideoAnalysis (partial when cancelled)."""

    started = Signal(str, bool)           # device name, has 3D
    progress = Signal(int, int, float)    # frames done, frame count, frames per second
    finished = Signal(object, bool, bool)  # VideoAnalysis, from cache, cancelled
    interrupted = Signal(object, str)      # the frames analysed before the video broke off, the reason
    failed = Signal(str)

    def __init__(self, video_path: str | Path, settings: dict[str, object], device: str,
                 person_id: int | None = None, cache: AnalysisCache | None = None) -> None:
        super().__init__()
        self.video_path = Path(video_path)
        self.settings = dict(settings)
        self.device = device
        self.person_id = person_id
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
        from stsp_app.core.video_source import VideoSource
        from stsp_app.pipeline import AnalysisInterrupted, Pipeline, VideoAnalysis, analyse_video

        key = None
        if self.cache is not None:
            key = analysis_key(file_sha256(self.video_path), {**self.settings, "person_id": self.person_id})
            cached = self.cache.load(key, VideoAnalysis.load_json)
            if cached is not None:
                self.finished.emit(cached, True, False)
                return
        video = VideoSource(self.video_path)
        pipeline = Pipeline(model=str(self.settings["model"]), device=self.device, person_id=self.person_id,
                            smoothing=float(self.settings["smoothing"]), fps=video.fps)
        self.started.emit(pipeline.device_name, bool(pipeline.has_3d))
        start_s = time.monotonic()

        def on_progress(done: int, total: int) -> None:
            elapsed_s = time.monotonic() - start_s
            self.progress.emit(done, total, done / elapsed_s if elapsed_s > 0 else 0.0)

        try:
            analysis = analyse_video(video, pipeline, on_progress=on_progress, should_cancel=self._cancel.is_set)
        except AnalysisInterrupted as error:
            self.interrupted.emit(error.analysis, str(error))
            return
        cancelled = self._cancel.is_set()
        if key is not None and not cancelled:
            self.cache.store(key, analysis.save_json)
        self.finished.emit(analysis, False, cancelled)


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
