"""The main window: video and 2D overlay on the left, 3D skeleton on the right, charts below with the drill
panel beside them, and the children's records in a dock at the side.

Everything shown belongs to one frame, the one on screen: the playback clock says which frame that is, and
:meth:`MainWindow.show_frame` updates the picture, the overlay, the 3D pose, the slider and the chart cursor
together. The records (:mod:`stsp_app._qt.records_controller`) and the drill result
(:mod:`stsp_app._qt.drill_controller`) have controllers of their own; the window only shows what they hand it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QLabel, QMainWindow, QMessageBox, QProgressBar,
                               QPushButton, QSplitter, QVBoxLayout, QWidget)

from stsp_app._qt.analysis_controller import AnalysisController
from stsp_app._qt.app_settings import LENGTH_UNITS, AppSettings
from stsp_app._qt.background_task import BackgroundTask, start_task_thread
from stsp_app._qt.charts_panel import ChartsPanel
from stsp_app._qt.drill_controller import DrillController
from stsp_app._qt.export_dialog import ExportDialog
from stsp_app._qt.live_controller import LiveController
from stsp_app._qt.playback_clock import SPEEDS, PlaybackClock
from stsp_app._qt.records_controller import RecordsController
from stsp_app._qt.settings_dialog import SettingsDialog
from stsp_app._qt.skeleton_panel import SkeletonPanel
from stsp_app._qt.slow_motion_dialog import slow_motion_dialog
from stsp_app._qt.transport_bar import TransportBar
from stsp_app._qt.video_view import VideoView
from stsp_app._qt.window_actions import WindowActions
from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.errors import UserFacingError
from stsp_app.kinematics.motion_series import MotionSeries, motion_series
from stsp_app.presenters.about import about_text
from stsp_app.presenters.exporting import export_shown_analysis, session_exports_folder
from stsp_app.presenters.people import AnalysesByPerson, followed_text, people_choices, people_shown
from stsp_app.presenters.stretch import AnalysisStretch
from stsp_app.records import RecordStore, Session

log = logging.getLogger(__name__)

VIDEO_FILTER = "Videos (*.mp4 *.avi *.mov *.mkv *.m4v *.webm);;All files (*)"


RATE_LABEL_WIDEST = "888.8 frames/s, 8888 ms behind"
# Pause between the steps of showing a finished analysis: long enough for a turn of the event loop.
STEP_PAUSE_MS = 30
# open_video's default filming rate: the one last given for the file (AppSettings.slow_motion_rate)
REMEMBERED_RATE = "remembered"


class MainWindow(QMainWindow):
    analysisFinished = Signal(bool)  # cancelled
    sessionShown = Signal(int)       # a session of the records is on screen (its id)

    def __init__(self, settings: AppSettings | None = None, cache: AnalysisCache | None = None,
                 store: RecordStore | None = None) -> None:
        """``store``: the children's records, shown in the children panel (None: no records panel)."""
        super().__init__()
        self.setWindowTitle("STSP Coach")
        self.setAcceptDrops(True)
        self.resize(1440, 900)
        self.settings = settings if settings is not None else AppSettings()
        self.cache = cache
        self.video = None
        self.video_path: Path | None = None
        self.analysis = None
        self.series: MotionSeries | None = None
        self.person_at: tuple[int, tuple[float, float, float, float]] | None = None  # the person chosen
        self.stretch = AnalysisStretch()  # the in and out points of the next analysis
        self.analyses_by_person = AnalysesByPerson()  # this video's analyses so far, by the person followed
        self.loading_task: BackgroundTask | None = None  # a stored analysis being read (open_analysis)
        self.loading_thread: QThread | None = None
        self.message_box: QMessageBox | None = None
        self.export_dialog: ExportDialog | None = None
        self.slow_motion_dialog = None  # Analysis → Filmed in slow motion…, while open
        self.session: Session | None = None  # the records' session on screen, if the analysis is one
        self._shown_frame: tuple[int, object] | None = None

        self.video_view = VideoView()
        self.transport = TransportBar()
        self.skeleton_panel = SkeletonPanel()
        self.charts = ChartsPanel()
        self.clock = PlaybackClock(self)
        self.live = LiveController(self)
        self.analysis_runner = AnalysisController(self)
        self.drill = DrillController(self)
        self.records = RecordsController(self, store) if store is not None else None
        self._build_layout()
        self._build_status_bar()
        self.commands = WindowActions(self)
        self._connect()
        self._set_idle_status()
        self.set_technical(self.settings.technical_details)
        self.update_actions()

    # ----- construction
    def _build_layout(self) -> None:
        video_column = QWidget()
        video_layout = QVBoxLayout(video_column)
        video_layout.setContentsMargins(0, 0, 0, 0)
        video_layout.addWidget(self.video_view, 1)
        video_layout.addWidget(self.transport)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(video_column)
        top.addWidget(self.skeleton_panel)
        top.setSizes([640, 640])
        # The live drill's numbers (a jump's height, the squats so far), in large type above the charts.
        self.drill_label = QLabel()
        self.drill_label.setWordWrap(True)
        font = self.drill_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.drill_label.setFont(font)
        self.drill_label.hide()
        charts_column = QWidget()
        charts_layout = QVBoxLayout(charts_column)
        charts_layout.setContentsMargins(0, 0, 0, 0)
        charts_layout.addWidget(self.drill_label)
        charts_layout.addWidget(self.charts, 1)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(charts_column)
        bottom.addWidget(self.drill.panel)
        bottom.setStretchFactor(0, 3)
        bottom.setStretchFactor(1, 1)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        main.addWidget(bottom)
        main.setSizes([470, 330])
        self.setCentralWidget(main)

    def _build_status_bar(self) -> None:
        self.device_label = QLabel()
        self.rate_label = QLabel()
        # A fixed size: a label that changes size with its text (live, at every frame) re-lays out the window.
        self.rate_label.setFixedSize(self.rate_label.fontMetrics().horizontalAdvance(RATE_LABEL_WIDEST) + 8,
                                     self.rate_label.sizeHint().height())
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(240)
        self.progress_bar.setFormat("analysing %v/%m")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the analysis (Esc); the frames done so far are kept")
        # Who is followed, and everyone else there is to follow (clicking a person in the video does the same).
        self.following_label = QLabel()
        self.following_label.setToolTip("Click another person in the video, or choose them here, to follow them")
        self.people_box = QComboBox()
        self.people_box.setToolTip("The people in the video: choose one to follow")
        self.people_box.activated.connect(lambda index: self.follow_person_at(self.people_box.itemData(index)))
        status = self.statusBar()
        status.addPermanentWidget(self.following_label)
        status.addPermanentWidget(self.people_box)
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.rate_label)
        status.addPermanentWidget(self.device_label)
        self.show_progress(False)

    def set_technical(self, technical: bool) -> None:
        """Show or hide the technical figures (View -> Show technical details), and remember the choice."""
        self.settings.technical_details = technical
        self.device_label.setVisible(technical)
        self.rate_label.setVisible(technical)
        self.charts.set_technical(technical)

    def show_drill_text(self, text: str | None) -> None:
        """Show the live drill's latest result above the charts (None hides it)."""
        self.drill_label.setText(text or "")
        self.drill_label.setVisible(bool(text))

    def update_actions(self) -> None:
        """Enable only what makes sense now (nothing to cancel when nothing runs, and so on)."""
        analysing = self.analysis_thread is not None
        live = self.live.running
        self.commands.analyse.setEnabled(self.video_path is not None and not analysing and not live)
        self.commands.cancel.setEnabled(analysing)
        for action in (self.commands.mark_in, self.commands.mark_out, self.commands.clear_stretch):
            action.setEnabled(self.video_path is not None and not live)
        self.commands.slow_motion.setEnabled(self.video is not None and not self.video.is_image_folder
                                             and not analysing and not live)
        self.commands.live.setEnabled(not live)
        self.commands.stop_live.setEnabled(live)
        shown = self.analysis is not None and not live
        self.commands.export.setEnabled(shown)
        for action in self.commands.run_drill.values():
            action.setEnabled(shown)
        if self.records is not None:
            self.records.update_actions()

    def _connect(self) -> None:
        self.clock.frameChanged.connect(self.show_frame)
        self.clock.playingChanged.connect(self.transport.set_playing)
        self.transport.playToggled.connect(self.clock.toggle)
        self.transport.stepRequested.connect(self.clock.step)
        self.transport.seekRequested.connect(self.clock.seek)
        self.transport.speedChanged.connect(self.clock.set_speed)
        self.charts.seekRequested.connect(self.clock.seek)
        self.video_view.personClicked.connect(self.choose_person)
        self.cancel_button.clicked.connect(self.cancel_analysis)

    # ----- opening videos
    def choose_video(self) -> None:
        start_dir = str(Path(self.settings.recent_files[0]).parent) if self.settings.recent_files else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open video", start_dir, VIDEO_FILTER)
        if path:
            self.open_video(path)

    def fill_recent_menu(self, menu) -> None:
        menu.clear()
        for path in self.settings.recent_files:
            menu.addAction(Path(path).name, lambda path=path: self.open_video(path)).setToolTip(path)
        if not self.settings.recent_files:
            menu.addAction("(none)").setEnabled(False)
        else:
            menu.addSeparator()
            menu.addAction("Clear list", self.settings.clear_recent_files)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.open_video(paths[0])

    def open_video(self, path: str | Path, analyse: bool = True, remember: bool = True,
                   capture_fps: float | str | None = REMEMBERED_RATE) -> bool:
        """Show a video (its first frame) and start its analysis, or its cached one; False if unreadable.
        ``remember``: list it in File → Open recent (not a session's video: it belongs to the records).
        ``capture_fps``: a slow-motion video's filming rate (None: it plays as filmed); by default the rate last
        given for this file (the coach's own video, opened again), a session's or a stored analysis's video
        gets its analysis's (``VideoAnalysis.capture_fps``)."""
        from stsp_app.core.video_source import VideoSource

        self.live.stop()
        self.cancel_analysis(wait=True)
        if capture_fps == REMEMBERED_RATE:
            capture_fps = self.settings.slow_motion_rate(path)
        try:
            video = VideoSource(path, capture_fps=capture_fps)
        except UserFacingError as error:
            self.show_message("Cannot open the video", str(error))
            return False
        self.video, self.video_path = video, Path(path)
        self.person_at = None
        self.stretch.clear()
        self.analyses_by_person.clear()
        self.session = None
        self.drill.clear()
        self.show_analysis(None)
        if remember:
            self.settings.add_recent_file(path)
        slow_motion = "" if video.capture_fps is None else f" (slow motion, filmed at {video.capture_fps:.4g} frames/s)"
        self.setWindowTitle(f"STSP Coach — {self.video_path.name}{slow_motion}")
        self.clock.load(video.fps, video.frame_count)
        self.transport.set_range(video.frame_count, video.fps)
        self.transport.slider.set_stretch(None, None)
        self.show_frame(0)
        if analyse:
            self.start_analysis()
        self.update_actions()
        return True

    def ask_slow_motion(self) -> None:
        """Analysis → Filmed in slow motion…: ask the rate the open video was filmed at."""
        if self.video is None or self.video.is_image_folder:
            return
        self.slow_motion_dialog = slow_motion_dialog(self, self.video, self.set_capture_fps)
        self.slow_motion_dialog.open()

    def set_capture_fps(self, capture_fps: float) -> None:
        """Time the open video as filmed at ``capture_fps`` (its own rate: as it plays) and analyse it again,
        keeping the frame on screen and the in and out points."""
        if self.video_path is None:
            return
        frame, stretch = self.clock.frame, (self.stretch.in_frame, self.stretch.out_frame)
        if not self.open_video(self.video_path, analyse=False, remember=False, capture_fps=capture_fps):
            return
        self.settings.set_slow_motion_rate(self.video_path, self.video.capture_fps)
        self.stretch.in_frame, self.stretch.out_frame = stretch
        self.transport.slider.set_stretch(*stretch)
        self.clock.seek(frame)
        rate = ("it plays as it was filmed" if self.video.capture_fps is None else
                f"filmed at {self.video.fps:.4g} frames/s, {self.video.slow_motion_factor:.2g} times slower than "
                "it plays: times are real time")
        self.statusBar().showMessage(f"{self.video_path.name}: {rate}", 10000)
        self.start_analysis()

    def open_analysis(self, folder: str | Path) -> bool:
        """Show an analysis that ``stsp-coach analyze --out DIR`` or ``batch`` saved (``DIR`` or ``DIR/analysis``),
        with its video where that is still there: a whole match, read from its columns on a thread of its own
        (the window answers meanwhile), nothing analysed again. False (and a message) when the folder holds no
        finished analysis."""
        from stsp_app.core.analysis_store import finished_analysis_store

        started_s = time.monotonic()
        try:
            store = finished_analysis_store(folder)
        except UserFacingError as error:
            store, problem = None, str(error)
        else:
            problem = f"{folder} holds no analysis (stsp-coach analyze --out writes one)"
        if store is None:
            self.show_message("Cannot open the analysis", problem)
            return False
        video_path = Path(store.meta["source"])
        if video_path.is_file():
            if not self.open_video(video_path, analyse=False, capture_fps=store.analysis_header().capture_fps):
                return False
        else:
            self._show_without_video(float(store.meta["fps"]), int(store.meta["frame_count"]),
                                     f"The analysed video is no longer at {video_path}: its skeletons and charts "
                                     "are shown without the picture.")
        title = f"STSP Coach — {Path(folder).name} (stored analysis)"
        self.setWindowTitle(title)
        self.statusBar().showMessage(f"Opening the stored analysis of {store.frames_saved} frames…")

        def load():
            analysis = store.to_analysis()
            return title, started_s, analysis, motion_series(analysis.frames)

        self.loading_task = BackgroundTask(load, "Opening the stored analysis")
        # bound methods of the window: their calls are queued to the interface thread
        self.loading_task.finished.connect(self._on_stored_analysis_loaded)
        self.loading_task.failed.connect(self._on_stored_analysis_failed)
        self.loading_thread = start_task_thread(self.loading_task)
        self.loading_thread.finished.connect(self._on_loading_thread_finished)
        return True

    def _on_loading_thread_finished(self) -> None:
        if self.sender() is self.loading_thread:  # the QThread is kept until it has ended
            self.loading_task = self.loading_thread = None

    def _on_stored_analysis_loaded(self, result) -> None:
        title, started_s, analysis, series = result
        if self.windowTitle() != title:  # another video or analysis was opened meanwhile
            return
        self.analyses_by_person.remember(analysis)

        def shown() -> None:
            self.statusBar().showMessage(f"Stored analysis of {len(analysis.frames)} frames opened in "
                                         f"{time.monotonic() - started_s:.1f} s.", 15000)
            self.analysisFinished.emit(False)

        self.show_analysis_in_steps(analysis, shown, series)

    def _on_stored_analysis_failed(self, message: str) -> None:
        self.show_message("Cannot open the analysis", message)
        self.analysisFinished.emit(True)

    def _show_without_video(self, fps: float, frame_count: int, message: str) -> None:
        """A timeline for an analysis whose video is gone, and ``message`` where the picture would be."""
        self.live.stop()
        self.close_video()
        self.clock.load(fps, frame_count)
        self.transport.set_range(frame_count, fps)
        self.video_view.show_message(message)

    def close_video(self, title: str = "STSP Coach — live camera") -> None:
        """Forget the open video and its analysis (before the live camera takes over the views)."""
        self.clock.pause()
        self.cancel_analysis(wait=True)
        self.video = None
        self.video_path = None
        self._shown_frame = None
        self.session = None
        self.drill.clear()
        self.clock.load(30.0, 0)
        self.transport.set_range(0, 30.0)
        self.show_analysis(None)
        self.video_view.set_frame(None, None)
        self.setWindowTitle(title)
        self.update_actions()

    # ----- sessions of the records
    def show_session(self, session: Session, analysis, title: str) -> None:
        """Show a stored session: its video (when it is still there), its analysis and its drill result."""
        video_path = Path(session.video_path) if session.video_path else None
        if video_path is not None and video_path.is_file():
            if not self.open_video(video_path, analyse=False, remember=False, capture_fps=analysis.capture_fps):
                return
        else:
            self._show_without_video(analysis.fps, analysis.frame_count,
                                     f"The session's video is no longer at {video_path}: its skeletons, charts "
                                     "and drill result are shown without the picture.")
        self.session = session
        self.setWindowTitle(f"STSP Coach — {title}")

        def then() -> None:
            if session.drill is not None:
                self.drill.show(session.drill, session.drill_result, session.drill_note, analysis,
                                kept_as_session=True)
            self.sessionShown.emit(session.id)

        self.show_analysis_in_steps(analysis, then)

    def forget_session(self, session_id: int) -> None:
        """Stop showing a session that is about to be deleted."""
        if self.session is not None and self.session.id == session_id:
            self.close_video("STSP Coach")

    def forget_sessions_of(self, child_id: int) -> None:
        if self.session is not None and self.session.child_id == child_id:
            self.close_video("STSP Coach")

    # ----- export
    def choose_export(self) -> None:
        """File → Export…: the analysis on screen, its drill result and pictures of its key moments."""
        if self.analysis is None:
            return
        if self.session is not None and self.records is not None:
            folder = session_exports_folder(self.records.store, self.session)
        else:
            documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            folder = Path(documents) / "STSP Coach exports" / (self.video_path.stem if self.video_path else "analysis")
        analysis, video_path, drill_result = self.analysis, self.video_path, self.drill.result
        dialog = ExportDialog(folder, has_drill=drill_result is not None, blur_faces=self.settings.blur_faces,
                              export=lambda request: export_shown_analysis(analysis, video_path, drill_result,
                                                                           request), parent=self)

        def exported() -> None:
            if dialog.result() == ExportDialog.DialogCode.Accepted:
                self.statusBar().showMessage(f"Exported {len(dialog.written)} files to {dialog.request().folder}.",
                                             10000)

        dialog.finished.connect(exported)
        self.export_dialog = dialog
        dialog.open()

    # ----- the frame on screen
    def show_frame(self, frame_index: int) -> None:
        if self.video is None and self.analysis is None:
            return
        if self.video is None:  # a session whose video is gone: everything but the picture
            frame_bgr = None
        elif self._shown_frame is not None and self._shown_frame[0] == frame_index:
            frame_bgr = self._shown_frame[1]
        else:
            try:
                frame_bgr = self.video.read(frame_index)
            except UserFacingError as error:
                self.statusBar().showMessage(str(error), 5000)
                return
            self._shown_frame = (frame_index, frame_bgr)
        row = self.series.row_of_frame(frame_index) if self.series is not None else None
        result = self.analysis.frames[row] if row is not None else None
        people = None
        if result is not None:  # paused, everyone near this frame can be seen and clicked
            people = result.people if self.clock.playing else people_shown(self.analysis, row)
        self.video_view.set_frame(frame_index, frame_bgr,
                                  kp2d=None if result is None else result.kp2d, people=people,
                                  chosen_person=None if result is None else result.person_id)
        self.skeleton_panel.show_row(row)
        self.charts.set_cursor_frame(frame_index)
        self.transport.show_frame(frame_index)

    def change_speed(self, direction: int) -> None:
        index = min(max(SPEEDS.index(self.clock.speed) + direction, 0), len(SPEEDS) - 1)
        self.transport.speed_box.setCurrentIndex(index)

    # ----- analysis
    def mark_in(self) -> None:
        """The current frame starts the stretch the next analysis covers."""
        self._mark(self.stretch.set_in)

    def mark_out(self) -> None:
        """The current frame ends (included) the stretch the next analysis covers."""
        self._mark(self.stretch.set_out)

    def clear_stretch(self) -> None:
        self._mark(lambda frame: self.stretch.clear())

    def _mark(self, change) -> None:
        if self.video is None:
            return
        change(self.clock.frame)
        self.transport.slider.set_stretch(self.stretch.in_frame, self.stretch.out_frame)
        self.statusBar().showMessage(f"{self.stretch.text(self.video.frame_count, self.video.fps)}: "
                                     "Analysis → Analyse video (Ctrl+R) starts it", 10000)

    def start_analysis(self) -> None:
        self.analysis_runner.start()

    def cancel_analysis(self, wait: bool = False) -> None:
        """Ask the analysis to stop; ``wait``: until it has (its last reports are then ignored)."""
        self.analysis_runner.cancel(wait)

    @property
    def analysis_thread(self) -> QThread | None:
        """The thread of the analysis under way, None when none runs."""
        return self.analysis_runner.thread

    def show_analysis_in_steps(self, analysis, then, series: MotionSeries | None = None) -> None:
        """show_analysis in three steps with short pauses between them, so that the interface keeps answering:
        the charts, then the 3D view's poses, then the frame on screen (and its 3D render), then ``then``.
        The first display of a result is the costly one (axis labels, the 3D floor, first paints): in one go it
        held the event loop for over 100 ms, and Qt runs paints and zero-delay steps back to back."""
        self.analysis = analysis
        self.series = series if series is not None else motion_series(analysis.frames)
        self._show_charts()
        self._show_people()

        def still_current() -> bool:  # another video or analysis may have come in meanwhile
            return self.analysis is analysis

        def show_3d() -> None:
            if still_current():
                self._show_3d()
                QTimer.singleShot(STEP_PAUSE_MS, show_frame)

        def show_frame() -> None:
            if still_current():
                self.show_frame(self.clock.frame)
                self.drill.follow_analysis()
                self.update_actions()
                then()

        QTimer.singleShot(STEP_PAUSE_MS, show_3d)

    def show_progress(self, visible: bool) -> None:
        self.progress_bar.setVisible(visible)
        self.cancel_button.setVisible(visible)
        self.cancel_button.setEnabled(visible)

    def show_analysis(self, analysis) -> None:
        """Show an analysis of the open video (None: none): overlay, 3D poses, charts, who is followed."""
        self.analysis = analysis
        self.series = motion_series(analysis.frames) if analysis is not None else None
        self._show_charts()
        self._show_3d()
        self._show_people()
        self.update_actions()

    def _show_people(self) -> None:
        self.people_box.clear()
        people = people_choices(self.analysis, self.analyses_by_person) if self.analysis is not None else []
        self.following_label.setText(followed_text(self.analysis, others=len(people) > 1))
        for number, entry in enumerate(people):
            self.people_box.addItem(entry.label, entry.place)
            if entry.followed:
                self.people_box.setCurrentIndex(number)
        self.people_box.setVisible(len(people) > 1 and not self.live.running)

    def _show_charts(self) -> None:
        unit = self.settings.length_unit
        fps = self.video.fps if self.video else self.analysis.fps if self.analysis else 30.0
        self.charts.set_series(self.series, fps=fps, length_unit=unit, mm_factor=LENGTH_UNITS[unit])
        self.charts.set_moments(self.drill.marks())

    def _show_3d(self) -> None:
        has_3d = self.series is not None and self.series.has_3d
        self.skeleton_panel.set_sequence(self.series.kp3d_mm if has_3d else None,
                                         fps=self.video.fps if self.video else self.analysis.fps if self.analysis
                                         else 30.0)
        if self.analysis is not None:
            self.skeleton_panel.set_available(has_3d)

    def choose_person(self, person_id: int) -> None:
        """Analyse another tracked person (clicked in the video; ``person_id`` as in the analysis shown)."""
        if self.live.running:
            self.live.select_person(person_id)
            return
        if self.video_path is None or self.analysis is None:
            return
        shown = self.video_view.frame_index
        row = self.series.row_of_frame(shown) if shown is not None else None
        if row is not None and self.analysis.frames[row].person_id == person_id:
            return  # already the analysed person
        # Another run of the pipeline numbers people differently: it is told where the person was first seen.
        self.follow_person_at(self.analysis.first_place_of(person_id))

    def follow_person_at(self, place) -> None:
        """Follow the person first seen at ``place`` (frame, body box): their analysis made before, or a new one."""
        if place is None or place == self.person_at or self.video_path is None:
            return
        self.cancel_analysis(wait=True)
        self.person_at = place
        made_before = self.analyses_by_person.find(place)
        if made_before is not None:
            self.statusBar().showMessage("The analysis of the person you chose, made before.", 8000)
            self.show_analysis_in_steps(made_before, lambda: self.analysisFinished.emit(False))
            return
        self.start_analysis()
        self.statusBar().showMessage(f"Analysing the person you clicked, from frame {place[0]} where they are "
                                     "first seen…")

    # ----- settings, cache, messages
    def edit_settings(self) -> None:
        before = self.settings.analysis_settings()
        if not SettingsDialog(self.settings, self).exec():
            return
        if self.live.running:  # the live charts take the length unit at their next refresh
            if self.settings.analysis_settings() != before:
                self.statusBar().showMessage("The new analysis settings apply from the next live session.", 8000)
            return
        self.show_analysis(self.analysis)
        self.show_frame(self.clock.frame)
        if self.settings.analysis_settings() != before and self.video_path is not None:
            self.cancel_analysis(wait=True)
            self.start_analysis()

    def delete_cached_analyses(self) -> None:
        """Ask, then delete every stored analysis (they hold the poses of the people filmed)."""
        cache = self.cache or AnalysisCache()
        box = QMessageBox(QMessageBox.Icon.Question, "Delete cached analyses",
                          f"Delete all {len(cache.entries())} stored analyses in {cache.root}?\n"
                          "They hold the poses of the people filmed. Videos are not touched.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered() -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self.statusBar().showMessage(f"Deleted {cache.clear()} stored analyses.", 8000)

        box.finished.connect(answered)
        self.message_box = box
        box.open()

    def show_message(self, title: str, text: str) -> None:
        """A warning that does not block the event loop (tests and the live camera keep running)."""
        self.message_box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, self)
        self.message_box.open()

    def show_shortcuts(self) -> None:
        lines = [f"{action.shortcut().toString():>14}   {action.text().replace('&', '')}"
                 for action in self.actions() if not action.shortcut().isEmpty()]
        box = QMessageBox(QMessageBox.Icon.Information, "Keyboard shortcuts", "\n".join(lines),
                          QMessageBox.StandardButton.Ok, self)
        box.setStyleSheet("QLabel { font-family: monospace; }")
        box.open()
        self.message_box = box

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, "About STSP Coach", about_text(self.settings.file_name()),
                          QMessageBox.StandardButton.Ok, self)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.open()
        self.message_box = box

    def _set_idle_status(self) -> None:
        self.device_label.setText("Models on: –")
        self.rate_label.setText("")

    def choose_screenshot(self) -> None:
        pictures = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", str(Path(pictures) / "stsp-coach.png"),
                                              "PNG image (*.png)")
        if path:
            self.save_screenshot(path)

    def save_screenshot(self, path: str | Path) -> bool:
        """Save the whole window (3D canvas included) as an image."""
        return self.grab().save(str(path))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.clock.pause()
        self.live.stop()
        self.cancel_analysis(wait=True)
        if self.loading_thread is not None:  # a stored analysis still being read: a QThread must end first
            self.loading_thread.quit()
            self.loading_thread.wait()
        if self.records is not None:
            self.records.stop()
        super().closeEvent(event)
