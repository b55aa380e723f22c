"""The records in the main window: the children panel (a dock), its actions and dialogs, a new session's
analysis on a worker thread, opening a session in the main views, comparing, the report.

The widgets only render and forward; what is shown and done comes from :mod:`stsp_app.presenters`. The store
is used from the interface thread only; the worker thread opens its own connection.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDockWidget, QMessageBox

from stsp_app._qt.child_dialog import ChildDialog
from stsp_app._qt.children_panel import ChildrenPanel
from stsp_app._qt.compare_dialog import CompareDialog
from stsp_app._qt.new_session_dialog import RECORD_FROM_CAMERA, NewSessionDialog
from stsp_app._qt.background_task import BackgroundTask, start_task_thread
from stsp_app._qt.session_worker import SessionWorker
from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.video_source import VideoSource
from stsp_app.errors import UserFacingError
from stsp_app.presenters.children import child_rows, delete_question, save_child
from stsp_app.presenters.new_session import NewSessionRequest, recording_path
from stsp_app.presenters.reports import REPORT_TIP, write_child_report
from stsp_app.presenters.sessions import session_rows, session_title
from stsp_app.records import Child, RecordStore, Session

log = logging.getLogger(__name__)


class RecordsController(QObject):
    def __init__(self, window, store: RecordStore) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.child_id: int | None = None
        self.session_id: int | None = None
        self.dialog: QDialog | None = None  # the dialog or question open now (tests answer it)
        self.worker: SessionWorker | None = None
        self.thread: QThread | None = None
        self.report_task: BackgroundTask | None = None
        self.report_thread: QThread | None = None
        self._report_child_name = ""
        self._recording: NewSessionRequest | None = None  # a camera recording under way for a new session
        self._wanted_session: int | None = None  # the session to select once the children are listed again

        self.add_child = self._action("&Add child…", self.ask_add_child, "Add a child to the records")
        self.edit_child = self._action("&Edit child…", self.ask_edit_child, "Edit the selected child's profile")
        self.delete_child = self._action("&Delete child…", self.ask_delete_child,
                                         "Delete the selected child with all of their sessions and files")
        self.new_session = self._action("&New session…", self.ask_new_session,
                                        "Analyse a video (or record one) of the selected child doing a drill")
        self.open_session = self._action("&Open session", self.show_selected_session,
                                         "Show the selected session: video, skeletons, charts, drill result")
        self.delete_session = self._action("Delete &session…", self.ask_delete_session,
                                           "Delete the selected session with its analysis and exports")
        self.compare = self._action("&Compare…", self.show_comparison,
                                    "Overlay an angle of two sessions, or of two reps of a session")
        self.report = self._action("&Report…", self.write_report, REPORT_TIP)

        self.panel = ChildrenPanel([self.add_child, self.edit_child, self.delete_child],
                                   [self.new_session, self.open_session, self.compare, self.report,
                                    self.delete_session])
        self.dock = QDockWidget("Children", window)
        self.dock.setObjectName("children-dock")
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                              | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        self.panel.searchChanged.connect(lambda _: self.refresh())
        self.panel.childChanged.connect(self._on_child_changed)
        self.panel.sessionChanged.connect(self._on_session_changed)
        self.panel.sessionOpened.connect(self.show_session)
        self.panel.cancel_button.clicked.connect(self.cancel_new_session)
        self.refresh()

    def _action(self, text: str, slot, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def fill_menu(self, menu) -> None:
        for action in (self.add_child, self.edit_child, self.delete_child, None, self.new_session,
                       self.open_session, self.delete_session, None, self.compare, self.report, None,
                       self.dock.toggleViewAction()):
            menu.addSeparator() if action is None else menu.addAction(action)

    # ----- what is shown
    @property
    def running(self) -> bool:
        """Whether a new session is being analysed (or recorded)."""
        return self.thread is not None or self._recording is not None

    def child(self) -> Child | None:
        return self.store.get_child(self.child_id) if self.child_id is not None else None

    def refresh(self, child_id: int | None = None, session_id: int | None = None) -> None:
        """List the children and the selected child's sessions again, keeping the selection or selecting
        ``child_id`` and ``session_id``."""
        self._wanted_session = session_id
        self.panel.set_children(child_rows(self.store, self.panel.search_box.text()),
                                select=child_id if child_id is not None else self.child_id)

    def _on_child_changed(self, child_id: int | None) -> None:
        wanted = self._wanted_session
        if wanted is None and child_id == self.child_id:
            wanted = self.session_id
        self._wanted_session = None
        self.child_id = child_id
        child = self.child()
        sessions = self.store.sessions_of(child.id) if child is not None else []
        self.panel.set_sessions(child.display_name if child else None, session_rows(sessions), wanted)
        self.update_actions()

    def _on_session_changed(self, session_id: int | None) -> None:
        self.session_id = session_id
        self.update_actions()

    def update_actions(self) -> None:
        chosen = self.child_id is not None
        sessions = self.store.count_sessions(self.child_id) if chosen else 0
        self.edit_child.setEnabled(chosen)
        self.delete_child.setEnabled(chosen and not self.running)
        self.new_session.setEnabled(chosen and not self.running and not self.window.live.running)
        self.open_session.setEnabled(self.session_id is not None)
        self.delete_session.setEnabled(self.session_id is not None and not self.running)
        self.compare.setEnabled(sessions > 0)
        self.report.setEnabled(chosen and sessions > 0 and self.report_thread is None)

    # ----- children
    def ask_add_child(self) -> None:
        self._open_dialog(ChildDialog(None, lambda fields: save_child(self.store, None, fields), self.window),
                          self._child_saved)

    def ask_edit_child(self) -> None:
        child = self.child()
        if child is not None:
            self._open_dialog(ChildDialog(child, lambda fields: save_child(self.store, child.id, fields),
                                          self.window), self._child_saved)

    def _child_saved(self, dialog: ChildDialog) -> None:
        self.refresh(child_id=dialog.saved.id)
        self.window.statusBar().showMessage(f"Saved {dialog.saved.display_name}'s profile.", 8000)

    def ask_delete_child(self) -> None:
        child = self.child()
        if child is None:
            return
        question = delete_question(child, self.store.count_sessions(child.id))
        self._ask(f"Delete {child.display_name}", question, lambda: self._delete_child(child))

    def _delete_child(self, child: Child) -> None:
        self.window.forget_sessions_of(child.id)
        sessions = self.store.delete_child(child.id)
        self.child_id = self.session_id = None
        self.refresh()
        self.window.statusBar().showMessage(
            f"Deleted {child.display_name}, {sessions} session{'s' if sessions != 1 else ''} and their files.", 8000)

    # ----- sessions
    def selected_session(self) -> Session | None:
        return self.store.get_session(self.session_id) if self.session_id is not None else None

    def ask_delete_session(self) -> None:
        session = self.selected_session()
        if session is not None:
            self._ask("Delete the session", f"Delete the session of {session_title(session)}, with its analysis "
                      "and exports? This cannot be undone.", lambda: self._delete_session(session))

    def _delete_session(self, session: Session) -> None:
        self.window.forget_session(session.id)
        self.store.delete_session(session.id)
        self.session_id = None
        self.refresh()
        self.window.statusBar().showMessage(f"Deleted the session of {session_title(session)}.", 8000)

    def show_selected_session(self) -> None:
        if self.session_id is not None:
            self.show_session(self.session_id)

    def show_session(self, session_id: int, analysis: VideoAnalysis | None = None) -> None:
        """Show a session in the main views: its video, analysis (read from the records unless given) and drill
        result."""
        try:
            session = self.store.get_session(session_id)
            analysis = analysis if analysis is not None else session.load_analysis()
        except UserFacingError as error:
            self.window.show_message("Cannot open the session", str(error))
            return
        child = self.store.get_child(session.child_id)
        self.window.show_session(session, analysis, f"{child.display_name}, {session_title(session)}")

    # ----- a new session
    def ask_new_session(self) -> None:
        child = self.child()
        if child is None or self.running:
            return
        recent = self.window.settings.recent_files
        dialog = NewSessionDialog(child, str(Path(recent[0]).parent) if recent else "", self.window)
        self._open_dialog(dialog, lambda dialog: self.start_new_session(dialog.request()),
                          on_code={RECORD_FROM_CAMERA: self._record_for})

    def _record_for(self, dialog: NewSessionDialog) -> None:
        """The coach chose to film the drill: the camera dialog, recording into the child's folder."""
        request = dialog.request(recording_path(self.store, dialog.child.id))
        choice = self.window.live.choose_camera(record_to=request.video_path, drill=request.drill)
        if choice is not None:
            camera, width, height, _, drill = choice
            self.start_recording(NewSessionRequest(request.child_id, request.video_path, drill or request.drill,
                                                   request.coach_notes), camera, width, height)

    def start_recording(self, request: NewSessionRequest, source, width: int, height: int) -> None:
        """Run the live view on ``source`` (a camera, or a video file played as one) recording to
        ``request.video_path``; once it stops, analyse the recording as the new session."""
        request.video_path.parent.mkdir(parents=True, exist_ok=True)
        self._recording = request
        self.window.live.ended.connect(self._on_recording_ended)
        self.window.live.start_source(source, width, height, request.video_path, drill=request.drill)
        self.update_actions()
        self.window.statusBar().showMessage("Recording: stop the live camera (Ctrl+Shift+L) to analyse the "
                                            "recording as the new session.")

    def _on_recording_ended(self, _ok: bool) -> None:
        self.window.live.ended.disconnect(self._on_recording_ended)
        request, self._recording = self._recording, None
        try:
            VideoSource(request.video_path).close()
        except UserFacingError as error:
            self.update_actions()
            self.window.show_message("Nothing to analyse", f"The recording cannot be read ({error}); no session "
                                     "was saved.")
            return
        self.start_new_session(request)

    def start_new_session(self, request: NewSessionRequest) -> None:
        """Analyse the video with the child's height (in a child process), run the drill, keep the session."""
        if self.thread is not None:
            return
        child = self.store.get_child(request.child_id)
        self.worker = SessionWorker(self.store.path, request, self.window.cache, self.window.settings.device)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_session_added)
        self.worker.cancelled.connect(self._on_session_cancelled)
        self.worker.failed.connect(self._on_session_failed)
        self.panel.show_progress(f"New session for {child.display_name}: analysing {request.video_path.name}…")
        self.thread = start_task_thread(self.worker)
        self.update_actions()
        self.window.update_actions()

    def cancel_new_session(self) -> None:
        if self.worker is not None:
            self.worker.cancel()

    def _from_current_worker(self) -> bool:
        return self.worker is not None and self.sender() is self.worker

    def _on_progress(self, done: int, total: int) -> None:
        if self._from_current_worker():
            self.panel.set_progress(done, total)

    def _release_worker(self) -> None:
        self.thread.quit()
        self.thread.wait()
        self.thread = self.worker = None
        self.panel.show_progress(None)
        self.update_actions()
        self.window.update_actions()

    def _on_session_added(self, added) -> None:
        if not self._from_current_worker():
            return
        self._release_worker()
        session = added.session
        self.refresh(child_id=session.child_id, session_id=session.id)
        reused = f" (reused the analysis from {added.reused_from})" if added.reused_from else ""
        self.window.statusBar().showMessage(f"Saved the session of {session_title(session)}{reused}.", 10000)
        self.show_session(session.id, added.analysis)

    def _on_session_cancelled(self, message: str) -> None:
        if self._from_current_worker():
            self._release_worker()
            self.window.statusBar().showMessage(f"{message[:1].upper()}{message[1:]}.", 8000)

    def _on_session_failed(self, message: str) -> None:
        if self._from_current_worker():
            self._release_worker()
            self.window.show_message("New session", message)

    def stop(self) -> None:
        """Cancel a new session under way and wait for its thread (the window is closing)."""
        if self.thread is not None:
            self.worker.cancel()
            self._release_worker()

    # ----- comparing, the report
    def show_comparison(self) -> None:
        child = self.child()
        if child is None:
            return
        dialog = CompareDialog(child.display_name, self.store.sessions_of(child.id), Session.load_analysis,
                               self.window)
        self.dialog = dialog
        dialog.show()

    def write_report(self) -> None:
        """Write the child's report on a thread of its own (it takes seconds: video frames, plots, the PDF)."""
        child = self.child()
        if child is None or self.report_thread is not None:
            return
        database_path, blur_faces = self.store.path, self.window.settings.blur_faces
        self.report_task = BackgroundTask(lambda: write_child_report(database_path, child.id, blur_faces), "The report")
        self._report_child_name = child.display_name
        # bound methods of this (interface-thread) object: the signals reach them queued, on the interface thread
        self.report_task.finished.connect(self._report_written)
        self.report_task.failed.connect(self._report_failed)
        self.report_thread = start_task_thread(self.report_task)
        self.window.statusBar().showMessage(f"Writing {child.display_name}'s report…")
        self.update_actions()

    def _report_written(self, path) -> None:
        self._release_report_thread()
        self.window.statusBar().showMessage(f"Wrote {self._report_child_name}'s report: {path}", 15000)

    def _report_failed(self, message: str) -> None:
        self._release_report_thread()
        self.window.show_message("Report", message)

    def _release_report_thread(self) -> None:
        self.report_thread.quit()  # the queued quit has not reached it yet: this slot runs first
        self.report_thread.wait()
        self.report_thread = self.report_task = None
        self.update_actions()

    # ----- dialogs that do not block the event loop
    def _open_dialog(self, dialog: QDialog, on_accepted, on_code: dict | None = None) -> None:
        def finished(code: int) -> None:
            if code == QDialog.DialogCode.Accepted:
                on_accepted(dialog)
            elif on_code and code in on_code:
                on_code[code](dialog)

        dialog.finished.connect(finished)
        self.dialog = dialog
        dialog.open()

    def _ask(self, title: str, question: str, on_yes) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, question,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.button(QMessageBox.StandardButton.Yes).setText("Delete")

        def answered() -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                on_yes()

        box.finished.connect(answered)
        self.dialog = box
        box.open()
