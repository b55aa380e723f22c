"""Start the desktop application: ``run_app`` is what ``stsp-coach gui`` (and plain ``stsp-coach``) calls."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from stsp_app import __version__
from stsp_app._qt.event_loop_probe import EventLoopProbe, summary_ms
from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.core.camera_capture import RESOLUTIONS
from stsp_app.errors import UserFacingError
from stsp_app.records import RecordStore

ORGANISATION = "STSP Coach"
APPLICATION = "stsp-coach"


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    return app


class ScriptedRun:
    """``--open/--analyse/--drill/--live/--screenshot/--quit/--report-timing``: open a video and wait for its
    analysis (then run the drill on it), or run the live view (and its drill) until its source ends; save the
    window, quit; report the interface's timing.

    The exit code is 0 when every step that was asked for succeeded, 1 otherwise.
    """

    def __init__(self, window, open_path: Path | None, analyse: bool, screenshot: Path | None, quit_after: bool,
                 live_source: int | Path | None = None, report_timing: bool = False, drill: str | None = None,
                 stored_analysis: bool = False, capture_fps: float | None = None):
        self.window = window
        self.capture_fps = capture_fps  # a slow-motion video's filming rate (--capture-fps)
        self.stored_analysis = stored_analysis  # open_path is an analysis folder, not a video
        self.drill = drill
        self.open_path = open_path
        self.analyse = analyse
        self.screenshot = screenshot
        self.quit_after = quit_after
        self.live_source = live_source
        self.latencies_s: list[float] = []  # live: camera to screen, per frame shown
        self.probe = EventLoopProbe(describe=lambda: f"{len(self.latencies_s)} live frames shown") if report_timing else None
        self.exit_code = 0
        self.done = False

    def start(self) -> None:
        if self.probe is not None:
            self.probe.start()
            self.window.live.frameShown.connect(self.latencies_s.append)
        if self.live_source is not None:
            self.window.live.ended.connect(self._on_live_ended)
            self.window.live.start_source(self.live_source, *RESOLUTIONS[0], None, drill=self.drill)
            return
        if self.open_path is not None:
            given_rate = {} if self.capture_fps is None else {"capture_fps": self.capture_fps}
            opened = (self.window.open_analysis(self.open_path) if self.stored_analysis
                      else self.window.open_video(self.open_path, analyse=True, **given_rate))
            if not opened:
                self.exit_code = 1
                self._finish()
                return
            if self.analyse:
                self.window.analysisFinished.connect(self._on_analysed)
                return
        elif self.analyse:
            self.exit_code = 1
        self._finish()

    def _on_analysed(self, cancelled: bool) -> None:
        self.window.analysisFinished.disconnect(self._on_analysed)
        if cancelled or self.window.analysis is None:
            self.exit_code = 1
        elif self.window.analysis.frames:
            if self.drill is not None:
                self.window.drill.run(self.drill)
            self.window.clock.seek(representative_frame(self.window.analysis.frames))
        # Let the views repaint (the 3D canvas draws on the next event-loop turn) before grabbing.
        QTimer.singleShot(300, self._finish)

    def _on_live_ended(self, ok: bool) -> None:
        self.window.live.ended.disconnect(self._on_live_ended)
        if not ok:
            self.exit_code = 1
        QTimer.singleShot(300, self._finish)

    def _finish(self) -> None:
        if self.screenshot is not None:
            self.screenshot.parent.mkdir(parents=True, exist_ok=True)
            if not self.window.save_screenshot(self.screenshot):
                self.exit_code = 1
        self.done = True
        if self.quit_after:
            self.window.close()
            QApplication.instance().exit(self.exit_code)

    def report_timing(self) -> str:
        """What --report-timing prints."""
        self.probe.stop()
        lines = [f"interface held up (gaps between the ticks of a 10 ms timer): {summary_ms(self.probe.gaps_s)}"]
        if self.live_source is not None:
            lines.append(f"live, camera to screen: {summary_ms(self.latencies_s)}")
        if self.probe.long_gaps:
            lines.append(f"hold-ups over 60 ms: {'; '.join(self.probe.long_gaps)}")
        return "\n".join(lines)


def representative_frame(frames) -> int:
    """The frame to show in a screenshot: in the middle half of the clip, where the child's keypoints are the
    most confident (the child in full view), else the middle frame."""
    count = len(frames)
    middle = frames[count // 4: max(count * 3 // 4, count // 4 + 1)]
    scored = [(float(np.mean(frame.kp2d[:, 2])), -abs(frame.index - frames[count // 2].index), frame.index)
              for frame in middle if frame.kp2d is not None]
    return max(scored)[2] if scored else frames[count // 2].index


def settle_start_up_heap() -> None:
    """Exempt everything built at start-up (modules, widgets, plots) from later garbage collections.

    A full collection scans every tracked object, and on the interface thread that is a pause: measured
    40-200 ms in a process holding many objects, which stalls playback and the live view. Objects made at
    start-up live as long as the app, so freezing them loses nothing and leaves collections short.
    """
    gc.collect()
    gc.freeze()


def run_app(open_path: Path | None = None, analyse: bool = False, screenshot: Path | None = None,
            quit_after: bool = False, use_cache: bool = True, live_source: int | Path | None = None,
            report_timing: bool = False, drill: str | None = None, stored_analysis: bool = False,
            capture_fps: float | None = None) -> int:
    from stsp_app._qt.main_window import MainWindow

    app = create_application()
    store, records_error = open_records()
    window = MainWindow(cache=AnalysisCache() if use_cache else None, store=store)
    window.show()
    if records_error is not None:
        window.show_message("Children's records", f"The records cannot be opened, so the children panel is "
                                                  f"off: {records_error}")
    settle_start_up_heap()
    script = ScriptedRun(window, open_path, analyse, screenshot, quit_after, live_source, report_timing, drill,
                         stored_analysis, capture_fps)
    QTimer.singleShot(0, script.start)
    code = app.exec()
    if store is not None:
        store.close()
    if report_timing:
        print(script.report_timing())
    return script.exit_code if quit_after else code


def open_records() -> tuple[RecordStore | None, str | None]:
    """The children's records in the per-user data folder, or (None, why they cannot be opened)."""
    try:
        return RecordStore(), None
    except UserFacingError as error:
        return None, str(error)
