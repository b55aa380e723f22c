"""Live webcam analysis on a worker thread: always the newest camera frame, never a queue.

The camera is read on its own thread (LatestFrameCamera); this worker takes the newest frame each time the
pipeline is free, so frames that arrive meanwhile are dropped and the skeleton lags the camera by at most
one analysis time.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from stsp_app.core.camera_capture import LatestFrameCamera
from stsp_app.errors import UserFacingError

log = logging.getLogger(__name__)


class LiveAnalysisWorker(QObject):
    started = Signal(str, bool)                   # device name, has 3D
    frameAnalysed = Signal(object, object, float, float)  # frame_bgr, FrameResult, latency_s, frames per second
    finished = Signal(int, int)                   # frames analysed, frames the camera delivered
    failed = Signal(str)

    def __init__(self, source: int | str | Path, width: int, height: int, settings: dict[str, object],
                 device: str, record_path: str | Path | None = None) -> None:
        super().__init__()
        self.source = source
        self.size = (width, height)
        self.settings = dict(settings)
        self.device = device
        self.record_path = record_path
        self._stop = threading.Event()
        self._person_id: int | None = None
        self._person_changed = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def select_person(self, person_id: int | None) -> None:
        self._person_id = person_id
        self._person_changed.set()

    def run(self) -> None:
        try:
            self._run()
        except UserFacingError as error:
            self.failed.emit(str(error))
        except Exception as error:  # the interface must survive a camera or model failure
            log.exception("live analysis failed")
            self.failed.emit(f"The live analysis failed unexpectedly: {error}")

    def _run(self) -> None:
        from stsp_app.pipeline import Pipeline

        camera = LatestFrameCamera(self.source, *self.size, record_path=self.record_path)
        try:
            pipeline = Pipeline(model=str(self.settings["model"]), device=self.device,
                                smoothing=float(self.settings["smoothing"]), live=True, fps=camera.fps)
        except BaseException:
            camera.close()
            raise
        self.started.emit(pipeline.device_name, bool(pipeline.has_3d))
        analysed = 0
        last_sequence = -1
        start_s = time.monotonic()
        try:
            while not self._stop.is_set():
                if self._person_changed.is_set():
                    self._person_changed.clear()
                    pipeline.select_person(self._person_id)
                captured = camera.latest(newer_than=last_sequence)
                if captured is None:
                    if camera.ended.is_set():
                        break
                    time.sleep(0.002)
                    continue
                last_sequence = captured.sequence
                result = pipeline.process_frame(captured.frame_bgr, analysed, captured.capture_time_s - start_s)
                analysed += 1
                now_s = time.monotonic()
                self.frameAnalysed.emit(captured.frame_bgr, result, now_s - captured.capture_time_s,
                                        analysed / max(now_s - start_s, 1e-6))
        finally:
            camera.close()
        self.finished.emit(analysed, camera.frames_read)
