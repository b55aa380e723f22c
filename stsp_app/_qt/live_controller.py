"""Live webcam mode of the main window: choose a camera, run the live worker, show each analysed frame."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QThread, Signal

from stsp_app._qt.camera_dialog import CameraDialog
from stsp_app._qt.live_worker import LiveAnalysisWorker
from stsp_app.core.camera_capture import available_cameras
from stsp_app.core.motion_series import motion_series

NO_CAMERA_TEXT = ("No camera was found. Connect a webcam (or close the program that is using it) and "
                  "choose File → Live camera again. You can still open a video file (Ctrl+O).")
# Charts in live mode show the most recent frames only.
LIVE_CHART_FRAMES = 300
LIVE_CHART_EVERY_FRAMES = 10


class LiveController(QObject):
    frameShown = Signal(float)  # how long ago the camera took the frame now on screen, in seconds
    ended = Signal(bool)        # the session is over: False when it failed

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.worker: LiveAnalysisWorker | None = None
        self.thread: QThread | None = None
        self._recent_results: list = []
        self._frames_since_chart_update = 0

    @property
    def running(self) -> bool:
        return self.thread is not None

    def start(self) -> None:
        window = self.window
        if self.running:
            return
        cameras = available_cameras()
        if not cameras:
            window.show_message("No camera", NO_CAMERA_TEXT)
            return
        videos = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation)
        default_path = Path(videos) / time.strftime("stsp-session-%Y%m%d-%H%M%S.mp4")
        dialog = CameraDialog(cameras, default_path, window)
        if not dialog.exec():
            return
        self.start_source(*dialog.choice())

    def start_source(self, source: int | str | Path, width: int, height: int, record_path: Path | None) -> None:
        """Analyse a camera (or a video file played as one) live."""
        window = self.window
        window.close_video()
        self._recent_results = []
        self._frames_since_chart_update = 0
        self.worker = LiveAnalysisWorker(source, width, height, window.settings.analysis_settings(),
                                         window.settings.device, record_path=record_path)
        self.thread = QThread()
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.started.connect(self._on_started)
        self.worker.frameAnalysed.connect(self._on_frame)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.finished.connect(self.thread.quit)
        self.worker.failed.connect(self.thread.quit)
        self.thread.start()
        window.update_actions()
        recording = f", recording to {record_path}" if record_path else ""
        name = f"camera {source}" if isinstance(source, int) else Path(source).name
        window.statusBar().showMessage(f"Starting {name}{recording}…")

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.thread is not None:
            self.thread.quit()
            self.thread.wait()
        self.worker = None
        self.thread = None
        self.window.update_actions()

    def select_person(self, person_id: int) -> None:
        if self.worker is not None:
            self.worker.select_person(person_id)

    def _on_started(self, device_name: str, has_3d: bool) -> None:
        self.window.device_label.setText(f"Models on: {device_name}")
        self.window.skeleton_panel.set_available(has_3d)
        self.window.statusBar().showMessage("Live: click a person in the video to follow them.")

    def _on_frame(self, frame_bgr, result, capture_time_s: float, frames_per_s: float) -> None:
        window = self.window
        window.video_view.set_frame(None, frame_bgr, kp2d=result.kp2d, people=result.people,
                                    chosen_person=result.person_id)
        window.skeleton_panel.show_pose(result.kp3d_mm)
        latency_s = time.monotonic() - capture_time_s
        window.rate_label.setText(f"{frames_per_s:.1f} frames/s, {latency_s * 1000:.0f} ms behind")
        self._recent_results.append(result)
        del self._recent_results[:-LIVE_CHART_FRAMES]
        # Count frames, not the buffer's length: once the buffer is full its length stays a multiple of 10,
        # and the charts would be rebuilt on every frame.
        self._frames_since_chart_update += 1
        if self._frames_since_chart_update >= LIVE_CHART_EVERY_FRAMES:
            self._frames_since_chart_update = 0
            window.charts.set_series(motion_series(self._recent_results))
            window.charts.set_cursor_frame(result.index)
        self.frameShown.emit(latency_s)

    def _on_finished(self, analysed: int, delivered: int) -> None:
        self.stop()
        self.window.statusBar().showMessage(
            f"Live session ended: {analysed} of {delivered} camera frames analysed (the rest dropped).", 8000)
        self.ended.emit(True)

    def _on_failed(self, message: str) -> None:
        self.stop()
        self.window.show_message("Live camera", message)
        self.ended.emit(False)
