"""Analysing the open video in the main window: start the analysis worker (which first looks for a stored
analysis), show its progress, hand the result to the window, cancel it. Reports of a cancelled analysis that
arrive after the next one has started are ignored."""

from __future__ import annotations

import time
from dataclasses import replace

from PySide6.QtCore import QObject, QThread

from stsp_app._qt.analysis_worker import OfflineAnalysisWorker, start_on_thread
from stsp_app.core.video_source import clearly_short, shortfall_text
from stsp_app.epe.camera_roll import levelled_suffix


class AnalysisController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.worker: OfflineAnalysisWorker | None = None
        self.thread: QThread | None = None
        self._started_s = 0.0

    @property
    def running(self) -> bool:
        return self.thread is not None

    def start(self) -> None:
        """Analyse the open video with the app's settings, the stretch marked and the person chosen."""
        window = self.window
        if window.video_path is None or self.running:
            return
        window.session = None  # the new analysis, with the app's settings, is no longer the session's
        settings = replace(window.settings.analysis_settings(),
                           stretch=window.stretch.analysed_frames(window.video.frame_count),
                           capture_fps=window.video.capture_fps)
        self.worker = OfflineAnalysisWorker(window.video_path, settings, window.settings.device,
                                            person_at=window.person_at, cache=window.cache)
        self.worker.started.connect(self._on_started)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.interrupted.connect(self._on_interrupted)
        self._started_s = time.monotonic()
        window.progress_bar.setRange(0, max(window.video.frame_count, 1))
        window.progress_bar.setValue(0)
        window.show_progress(True)
        window.statusBar().showMessage("Looking for a stored analysis…")
        self.thread = start_on_thread(self.worker)
        window.update_actions()

    def cancel(self, wait: bool = False) -> None:
        """Ask the analysis to stop; ``wait``: until it has (its last reports are then ignored)."""
        if self.worker is not None:
            self.worker.cancel()
        if wait and self.thread is not None:
            self._release()

    def _is_current(self) -> bool:
        """Whether the report being handled comes from the analysis under way, not from one cancelled (its
        last reports can still be queued when the next analysis has started)."""
        return self.worker is not None and self.sender() is self.worker

    def _on_started(self, device_name: str, has_3d: bool) -> None:
        if not self._is_current():
            return
        self.window.device_label.setText(f"Models on: {device_name}")
        self.window.skeleton_panel.set_available(has_3d)
        self.window.statusBar().showMessage("Analysing every frame…")

    def _on_progress(self, done: int, total: int, frames_per_s: float) -> None:
        if not self._is_current():
            return
        self.window.progress_bar.setMaximum(max(total, 1))
        self.window.progress_bar.setValue(done)
        self.window.rate_label.setText(f"{frames_per_s:.1f} frames/s")

    def _on_finished(self, analysis, from_cache: bool, cancelled: bool) -> None:
        if not self._is_current():
            return
        self._release()
        window, frames = self.window, len(analysis.frames)
        if from_cache:
            window.device_label.setText("Models: not run (stored analysis)")
            window.rate_label.setText("")
            window.statusBar().showMessage(
                f"Stored analysis loaded ({frames} frames).{levelled_suffix(analysis.settings)}", 8000)
        elif cancelled:
            window.statusBar().showMessage(f"Analysis cancelled: {frames} frames analysed, kept.", 8000)
        else:
            elapsed_s = time.monotonic() - self._started_s
            window.statusBar().showMessage(
                f"Analysed {frames} frames in {elapsed_s:.1f} s{self._shortfall(analysis)}."
                f"{levelled_suffix(analysis.settings)}", 15000)
        if not cancelled:
            window.analyses_by_person.remember(analysis)
        window.show_analysis_in_steps(analysis, lambda: window.analysisFinished.emit(cancelled))

    def _shortfall(self, analysis) -> str:
        """``: the video stops after …`` when a whole-video analysis found fewer frames than announced (the
        timeline then ends at the last frame there is), else ""."""
        if "frames_analysed" in analysis.settings or not analysis.frames:
            return ""
        decoded = analysis.frames[-1].index + 1
        if not clearly_short(analysis.frame_count, decoded):
            return ""
        window = self.window
        shown = window.clock.frame
        window.clock.load(analysis.fps, decoded)
        window.transport.set_range(decoded, analysis.fps)
        window.clock.seek(min(shown, decoded - 1))
        return f": {shortfall_text(analysis.frame_count, decoded)}"

    def _on_interrupted(self, analysis, reason: str) -> None:
        if not self._is_current():
            return
        self._release()
        window = self.window

        def then() -> None:
            window.show_message("The video broke off",
                                f"{reason}\n\nThe {len(analysis.frames)} frames analysed before that are shown.")
            window.analysisFinished.emit(True)

        window.show_analysis_in_steps(analysis, then)

    def _on_failed(self, message: str) -> None:
        if not self._is_current():
            return
        self._release()
        self.window.show_message("Analysis failed", message)
        self.window.analysisFinished.emit(True)

    def _release(self) -> None:
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
        self.thread = None
        self.worker = None
        self.window.show_progress(False)
        self.window.update_actions()
