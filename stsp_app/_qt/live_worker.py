"""Live webcam analysis: relays the live child process (stsp_app.live_job) to the interface.

The camera is read and analysed in the child, which always takes the newest camera frame. This thread keeps
only the newest analysed frame too, for the interface to take when it is free (:meth:`take_newest_frame`,
announced by ``frameReady``): if the interface falls behind, older results are dropped, not queued, so what
is shown is never older than the latest analysis.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from stsp_app.analysis_settings import AnalysisSettings
from stsp_app.core.analysis import FrameResult
from stsp_app.live_job import NO_PERSON, start_live_job

log = logging.getLogger(__name__)

STOP_GRACE_S = 5.0


@dataclass
class LiveFrame:
    frame_bgr: np.ndarray
    result: FrameResult
    capture_time_s: float  # time.monotonic() when the camera delivered the frame (a system-wide clock)
    frames_per_s: float    # analysis rate so far


class LiveAnalysisWorker(QObject):
    started = Signal(str, bool)  # device name, has 3D
    frameReady = Signal()        # a new frame waits for take_newest_frame(); not sent again until it is taken
    finished = Signal(int, int)  # frames analysed, frames the camera delivered
    failed = Signal(str)
    drillUpdated = Signal(str)   # the live drill's latest result, in plain words

    def __init__(self, source: int | str | Path, width: int, height: int, settings: AnalysisSettings,
                 device: str, record_path: str | Path | None = None, drill: str | None = None) -> None:
        super().__init__()
        self.drill = drill
        self.source = source
        self.size = (width, height)
        self.settings = settings
        self.device = device
        self.record_path = record_path
        self._stop = threading.Event()
        self._person_choice = None
        self._newest_lock = threading.Lock()
        self._newest: LiveFrame | None = None

    def take_newest_frame(self) -> LiveFrame | None:
        """The newest analysed frame not taken yet (safe from any thread)."""
        with self._newest_lock:
            newest, self._newest = self._newest, None
        return newest

    def _offer(self, live_frame: LiveFrame) -> None:
        with self._newest_lock:
            announced = self._newest is not None  # the interface has not taken the last one: replace it
            self._newest = live_frame
        if not announced:
            self.frameReady.emit()

    def stop(self) -> None:
        self._stop.set()

    def select_person(self, person_id: int | None) -> None:
        if self._person_choice is not None:
            self._person_choice.value = NO_PERSON if person_id is None else int(person_id)

    def run(self) -> None:
        process, messages, stop_event, self._person_choice = start_live_job(
            self.source, *self.size, self.record_path, self.settings, self.device, self.drill)
        stop_sent_s = None
        try:
            while True:
                if self._stop.is_set() and stop_sent_s is None:
                    stop_event.set()
                    stop_sent_s = time.monotonic()
                if stop_sent_s is not None and time.monotonic() - stop_sent_s > STOP_GRACE_S:
                    self.failed.emit("The live analysis did not stop when asked and was ended.")
                    return
                reports = _drain(messages)
                if not reports:
                    if not process.is_alive() and messages.empty():
                        self.failed.emit(f"The live analysis ended unexpectedly (exit code {process.exitcode}).")
                        return
                    continue
                frames = [report for report in reports if report[0] == "frame"]
                if frames:
                    self._offer(LiveFrame(*frames[-1][1:]))
                for report in reports:
                    if report[0] == "started":
                        self.started.emit(report[1], report[2])
                    elif report[0] == "drill":
                        self.drillUpdated.emit(report[1])
                    elif report[0] == "finished":
                        self.finished.emit(report[1], report[2])
                        return
                    elif report[0] == "failed":
                        self.failed.emit(report[1])
                        return
        finally:
            stop_event.set()
            process.join(timeout=STOP_GRACE_S)
            if process.is_alive():
                process.terminate()
                process.join()
            messages.close()


def _drain(messages) -> list[tuple]:
    """Everything waiting on the queue (waiting up to 50 ms for the first report)."""
    try:
        reports = [messages.get(timeout=0.05)]
    except queue.Empty:
        return []
    while True:
        try:
            reports.append(messages.get_nowait())
        except queue.Empty:
            return reports
