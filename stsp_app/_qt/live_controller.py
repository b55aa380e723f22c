"""Live webcam mode of the main window: choose a camera, run the live worker, show each analysed frame.

The interface shows the newest analysed frame whenever it is free (older ones are dropped, never queued), and
spreads the chart refresh over two frames, angles then jitter, so that no frame carries both.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, QThread, Signal

from stsp_app._qt.app_settings import LENGTH_UNITS
from stsp_app._qt.camera_dialog import CameraDialog
from stsp_app._qt.live_worker import LiveAnalysisWorker, LiveFrame
from stsp_app.core.camera_capture import available_cameras, source_name
from stsp_app.kinematics.motion_series import motion_series

# Charts in live mode show the most recent frames only (about LIVE_CHART_SECONDS at the camera's rate).
LIVE_CHART_FRAMES = 300
LIVE_CHART_SECONDS = 10.0
# The angle chart is redrawn every LIVE_CHART_EVERY_FRAMES frames shown, the jitter chart half-way between.
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
        self._frames_shown = 0
        self._failed = False

    @property
    def running(self) -> bool:
        return self.thread is not None

    def start(self) -> None:
        if self.running:
            return
        choice = self.choose_camera()
        if choice is not None:
            self.start_source(*choice)

    def choose_camera(self, record_to: Path | None = None, drill: str | None = None) -> tuple | None:
        """Ask for the camera (attached, or a network camera's address), its resolution, the drill and the
        recording: (camera index or address, width, height, recording path or None, drill or None), or None when
        the coach cancelled. ``record_to``: the session must record there (the place is not the coach's to
        change)."""
        window = self.window
        cameras = available_cameras()
        videos = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.MoviesLocation)
        default_path = Path(videos) / time.strftime("stsp-session-%Y%m%d-%H%M%S.mp4")
        dialog = CameraDialog(cameras, default_path, window, record_to=record_to, drill=drill)
        return dialog.choice() if dialog.exec() else None

    def start_source(self, source: int | str | Path, width: int, height: int, record_path: Path | None,
                     drill: str | None = None) -> None:
        """Analyse a camera (or a video file played as one) live; ``drill`` (a name of
        stsp_app.drills.DRILL_NAMES) runs as the child moves and its results show above the charts."""
        window = self.window
        self.stop()
        window.close_video()
        self._recent_results = []
        self._frames_shown = 0
        self._failed = False
        window.charts.start_live(LIVE_CHART_SECONDS)
        window.show_drill_text(None)
        window.skeleton_panel.warm_up()
        self.worker = LiveAnalysisWorker(source, width, height, window.settings.analysis_settings(),
                                         window.settings.device, record_path=record_path, drill=drill)
        self.thread = QThread()
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.started.connect(self._on_started)
        self.worker.frameReady.connect(self._on_frame_ready)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.drillUpdated.connect(self._on_drill_updated)
        self.worker.finished.connect(self.thread.quit)
        self.worker.failed.connect(self.thread.quit)
        self.thread.finished.connect(self._on_thread_finished)
        self.thread.start()
        window.update_actions()
        recording = f", recording to {record_path}" if record_path else ""
        window.statusBar().showMessage(f"Starting {source_name(source)}{recording}…")

    def stop(self) -> None:
        """End the session and wait until it has (before a video is opened, or the window closes); its last
        reports may still arrive afterwards."""
        if self.thread is None:
            return
        self.worker.stop()
        self.thread.quit()
        self._session_over()

    def request_stop(self) -> None:
        """Ask the session to end without waiting for it (the Stop command): ``ended`` follows once it has."""
        if self.worker is not None:
            self.worker.stop()
            self.window.statusBar().showMessage("Stopping the live camera…")

    def _on_thread_finished(self) -> None:
        if self.thread is not None and self.sender() is self.thread:
            self._session_over()

    def _session_over(self) -> None:
        self.thread.wait()  # at once after its "finished"; the QThread must not be deleted while it runs
        self.worker = None
        self.thread = None
        self.window.update_actions()
        self.ended.emit(not self._failed)

    def select_person(self, person_id: int) -> None:
        if self.worker is not None:
            self.worker.select_person(person_id)

    def _from_an_older_session(self) -> bool:
        """Whether the report being handled was sent by a session stopped since, while another one runs."""
        return self.running and self.sender() is not self.worker

    def _on_started(self, device_name: str, has_3d: bool) -> None:
        if self.sender() is not self.worker:
            return
        self.window.device_label.setText(f"Models on: {device_name}")
        self.window.skeleton_panel.set_available(has_3d)
        self.window.statusBar().showMessage("Live: click a person in the video to follow them.")

    def _on_drill_updated(self, text: str) -> None:
        if not self._from_an_older_session():
            self.window.show_drill_text(text)

    def _on_frame_ready(self) -> None:
        newest = self.worker.take_newest_frame() if self.worker is not None else None
        if newest is not None:
            self.show_frame(newest)

    def show_frame(self, live_frame: LiveFrame) -> None:
        """Show an analysed camera frame: picture and skeletons at once, one of the charts now and then."""
        window = self.window
        result = live_frame.result
        window.video_view.set_frame(None, live_frame.frame_bgr, kp2d=result.kp2d, people=result.people,
                                    chosen_person=result.person_id)
        window.skeleton_panel.show_pose(result.kp3d_mm)
        self._recent_results.append(result)
        del self._recent_results[:-LIVE_CHART_FRAMES]
        # Count frames, not the buffer's length: once the buffer is full its length no longer changes.
        self._frames_shown += 1
        step = self._frames_shown % LIVE_CHART_EVERY_FRAMES
        if step == 0:
            window.charts.show_live_angles(motion_series(self._recent_results))
        elif step == LIVE_CHART_EVERY_FRAMES // 2:
            unit = window.settings.length_unit
            window.charts.show_live_jitter(motion_series(self._recent_results), unit, LENGTH_UNITS[unit])
        latency_s = time.monotonic() - live_frame.capture_time_s
        window.rate_label.setText(f"{live_frame.frames_per_s:.1f} frames/s, {latency_s * 1000:.0f} ms behind")
        self.frameShown.emit(latency_s)

    def _on_finished(self, analysed: int, delivered: int) -> None:
        if not self._from_an_older_session():
            self.window.statusBar().showMessage(
                f"Live session ended: {analysed} of {delivered} camera frames analysed (the rest dropped).", 8000)

    def _on_failed(self, message: str) -> None:
        if not self._from_an_older_session():
            self._failed = True
            self.window.show_message("Live camera", message)
