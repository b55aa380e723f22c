"""The children's records in the app, on a real X screen: the children panel and its dialogs, new sessions
(a video file, a camera recording, a cancelled one), the drill panel of a session, the comparison, the export,
the report action and deleting a child with everything made for them.

The records live in a data folder of the module's own (``XDG_DATA_HOME``) with a cache of its own
(``STSP_COACH_CACHE``, the models linked in). The two-jumps clip's analysis (conftest) is in the window's
analysis cache, so its sessions reuse it; the real analyses run here, in the child process, are of a 45-frame
clip: one cancelled, one of a camera recording.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import cv2
import numpy as np
import pytest

os.environ["QT_QPA_PLATFORM"] = "xcb"  # the virtual X screen has OpenGL; "offscreen" has none

import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox  # noqa: E402

from stsp_app._qt.app_settings import AppSettings  # noqa: E402
from stsp_app._qt.child_dialog import ChildDialog  # noqa: E402
from stsp_app._qt.compare_dialog import TWO_REPS, CompareDialog  # noqa: E402
from stsp_app._qt.main_window import MainWindow  # noqa: E402
from stsp_app._qt.new_session_dialog import NewSessionDialog  # noqa: E402
from stsp_app.core.paths import model_cache_dir  # noqa: E402
from stsp_app.core.video_source import VideoSource  # noqa: E402
from stsp_app.exports.pictures import analysed_frame, render_frame  # noqa: E402
from stsp_app.presenters.new_session import NewSessionRequest, recording_path  # noqa: E402
from stsp_app.records import RecordStore  # noqa: E402
from tests.conftest import JUMP_HEIGHT_CM, VIDEO_DIR, cache_with, write_clip_start  # noqa: E402
from tests.test_gui_app import ANALYSIS_TIMEOUT_S, wait_until  # noqa: E402

pytestmark = [pytest.mark.gui, pytest.mark.filterwarnings("ignore:Function.*QMouseEvent.pos:DeprecationWarning")]


@pytest.fixture(scope="module")
def records_env(tmp_path_factory):
    """A data folder and a cache of the module's own; the models stay where they are."""
    root = tmp_path_factory.mktemp("records_gui")
    (root / "cache").mkdir()
    (root / "cache" / "models").symlink_to(model_cache_dir())
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(root / "data"))
        patch.setenv("STSP_COACH_CACHE", str(root / "cache"))
        yield root


@pytest.fixture(scope="module")
def window(qapp, records_env, two_jumps):
    clip, analysis = two_jumps
    store = RecordStore()
    assert store.path == records_env / "data" / "stsp-coach" / "records.sqlite3"
    settings = AppSettings(QSettings(str(records_env / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings=settings, store=store,
                        cache=cache_with(records_env / "analyses", clip, analysis, 10.0 * JUMP_HEIGHT_CM))
    window.resize(1400, 900)
    window.show()
    yield window
    window.close()
    store.close()


@pytest.fixture(scope="module")
def short_clip(records_env):
    """The first 45 frames of the youth basketball clip: a child dribbling, feet on the floor."""
    return write_clip_start(records_env / "dribble.mp4", 45)


def names_listed(window) -> list[str]:
    tree = window.records.panel.children_tree
    return [tree.topLevelItem(row).text(0) for row in range(tree.topLevelItemCount())]


def select_child(window, name: str) -> None:
    tree = window.records.panel.children_tree
    tree.setCurrentItem(next(tree.topLevelItem(row) for row in range(tree.topLevelItemCount())
                             if tree.topLevelItem(row).text(0) == name))
    assert window.records.child().display_name == name


def sessions_listed(window) -> list[str]:
    sessions = window.records.panel.sessions_list
    return [sessions.item(row).text() for row in range(sessions.count())]


def label_texts(dialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel))


def save_button(dialog):
    buttons = dialog.findChild(QDialogButtonBox)
    return buttons.button(QDialogButtonBox.StandardButton.Save) or buttons.button(QDialogButtonBox.StandardButton.Ok)


def add_child_through_the_dialog(window, name: str, height_cm: float | None = None, birth_year: int | None = None):
    window.records.add_child.trigger()
    dialog = window.records.dialog
    assert isinstance(dialog, ChildDialog) and dialog.isVisible()
    dialog.name_box.setText(name)
    if height_cm is not None:
        dialog.height_box.setValue(height_cm)
    if birth_year is not None:
        dialog.birth_year_box.setValue(birth_year)
    save_button(dialog).click()
    return dialog


def test_adding_editing_and_searching_children_through_the_panel(window):
    assert names_listed(window) == [] and not window.records.new_session.isEnabled()
    dialog = add_child_through_the_dialog(window, "Mia", JUMP_HEIGHT_CM, 2013)
    assert not dialog.isVisible()
    assert "sets the size of the 3D skeleton (metric scale, jump heights from the pelvis); it does not change " \
           "the angles." in label_texts(dialog)
    add_child_through_the_dialog(window, "Noah Martin")
    assert names_listed(window) == ["Mia", "Noah Martin"]
    tree = window.records.panel.children_tree
    assert [tree.topLevelItem(0).text(column) for column in range(3)] == ["Mia", str(date.today().year - 2013), "0"]
    # A name already taken: the store's refusal is shown in the dialog, which stays open with what was typed.
    dialog = add_child_through_the_dialog(window, "MIA", 150.0)
    assert dialog.isVisible() and dialog.error_label.isVisible()
    assert "Not saved: A child named 'MIA' already exists" in dialog.error_label.text()
    assert dialog.name_box.text() == "MIA" and dialog.height_box.value() == 150.0
    dialog.reject()
    assert names_listed(window) == ["Mia", "Noah Martin"]
    # Editing: consent without saying who gave it is refused; saying it saves.
    select_child(window, "Mia")
    window.records.edit_child.trigger()
    dialog = window.records.dialog
    assert dialog.name_box.text() == "Mia" and dialog.height_box.value() == JUMP_HEIGHT_CM
    dialog.notes_box.setPlainText("left knee sore in March")
    dialog.consent_box.setChecked(True)
    save_button(dialog).click()
    assert dialog.isVisible() and "say who gave it" in dialog.error_label.text()
    dialog.consent_by.setText("her mother")
    save_button(dialog).click()
    assert not dialog.isVisible()
    mia = window.records.child()
    assert (mia.notes, mia.consent.given_by, mia.height_cm) == ("left knee sore in March", "her mother", JUMP_HEIGHT_CM)
    # Search, any case.
    window.records.panel.search_box.setText("noah")
    assert names_listed(window) == ["Noah Martin"]
    window.records.panel.search_box.setText("")
    assert names_listed(window) == ["Mia", "Noah Martin"]


def test_a_new_session_shows_its_drill_with_the_moments_marked(window, two_jumps):
    clip, analysis = two_jumps
    select_child(window, "Mia")
    window.records.new_session.trigger()
    dialog = window.records.dialog
    assert isinstance(dialog, NewSessionDialog)
    assert "Analysed with Mia's height, 160 cm: it sets the size of the 3D skeleton, not the angles" in \
        label_texts(dialog)
    save_button(dialog).click()
    assert dialog.isVisible() and "Choose a video file" in dialog.error_label.text()
    dialog.video_box.setText(str(clip))
    dialog.slow_motion_box.setValue(10.0)  # slower than the file plays: no slow-motion rate
    save_button(dialog).click()
    assert dialog.isVisible() and "filmed faster than it plays" in dialog.error_label.text()
    dialog.slow_motion_box.setValue(0.0)
    assert dialog.slow_motion_box.text() == "no: it plays as it was filmed" and dialog.request().capture_fps is None
    dialog.drill_box.setCurrentIndex(dialog.drill_box.findData("vertical-jump"))
    dialog.notes_box.setText("first try")
    shown = []
    window.sessionShown.connect(shown.append)
    save_button(dialog).click()
    assert wait_until(lambda: shown, 120), "the session was not shown"
    window.sessionShown.disconnect(shown.append)
    assert "reused the analysis from the app's analysis cache" in window.statusBar().currentMessage()
    session = window.records.selected_session()
    assert shown == [session.id] and window.session == session
    assert session.stature_mm == 10.0 * JUMP_HEIGHT_CM and window.analysis.settings["stature_mm"] == 1600.0
    listed = sessions_listed(window)
    assert len(listed) == 1 and "Vertical jump" in listed[0] and "Jump height (flight time): " in listed[0]
    assert "“first try”" in listed[0]
    assert names_listed(window) == ["Mia", "Noah Martin"]
    assert window.records.panel.children_tree.topLevelItem(0).text(2) == "1"
    # The video and the analysis on screen, the drill's result beside the charts, its moments on the timeline.
    assert window.video_path == clip and len(window.analysis.frames) == 200
    panel = window.drill.panel
    assert panel.isVisible() and "Jumps found: 2" in panel.metrics_text.toPlainText()
    assert " ± " in panel.metrics_text.toPlainText()
    moments = [(moment.frame, moment.label) for moment in window.drill.view.moments]
    assert [label for _, label in moments].count("take-off") == 2
    assert window.transport.slider.markers == moments
    assert sorted(line.label.toPlainText() for _, line in window.charts.moment_lines
                  if getattr(line, "label", None) is not None) == sorted(label for _, label in moments)


def test_a_cancelled_new_session_saves_nothing(window, short_clip):
    select_child(window, "Noah Martin")
    window.records.start_new_session(NewSessionRequest(window.records.child_id, short_clip, "squat"))
    panel = window.records.panel
    assert panel.progress_box.isVisible() and "New session for Noah Martin" in panel.progress_label.text()
    assert not window.records.new_session.isEnabled() and not window.records.delete_child.isEnabled()
    assert wait_until(lambda: panel.progress_bar.value() >= 3, ANALYSIS_TIMEOUT_S)
    panel.cancel_button.click()
    assert wait_until(lambda: window.records.thread is None, 30)
    assert "was cancelled; no session was saved" in window.statusBar().currentMessage()
    assert not panel.progress_box.isVisible() and window.records.new_session.isEnabled()
    assert sessions_listed(window) == [] and window.records.store.count_sessions(window.records.child_id) == 0


def test_a_camera_recording_becomes_a_session_kept_even_without_the_movement(window, short_clip):
    """The clip played as a camera; the recording goes into the child's folder and is analysed once stopped."""
    select_child(window, "Noah Martin")
    window.records.edit_child.trigger()
    window.records.dialog.height_box.setValue(141.0)
    save_button(window.records.dialog).click()
    noah = window.records.child()
    assert noah.height_cm == 141.0
    request = NewSessionRequest(noah.id, recording_path(window.records.store, noah.id), "vertical-jump",
                                "from the webcam")
    shown = []
    window.sessionShown.connect(shown.append)
    window.records.start_recording(request, short_clip, 640, 480)
    assert window.live.running and not window.records.new_session.isEnabled()
    assert wait_until(lambda: shown, ANALYSIS_TIMEOUT_S), "the recording was not analysed"
    window.sessionShown.disconnect(shown.append)
    session = window.records.selected_session()
    assert session.video_path == str(Path(request.video_path).resolve())
    assert request.video_path.is_relative_to(window.records.store.child_folder(noah.id))
    assert VideoSource(request.video_path).frame_count == 45
    assert session.drill_result is None and session.drill_note.startswith("no jump found")
    # Analysed in the child process with the height in Noah's profile as the 3D scale.
    assert session.stature_mm == 1410.0 and window.analysis.settings["stature_mm"] == 1410.0
    panel = window.drill.panel
    assert panel.isVisible() and panel.title_label.text() == "Vertical jump (countermovement jump)"
    assert panel.summary_label.text().startswith("No jump found in the recording (45 frames)")
    assert "The session is kept with its analysis." in panel.summary_label.text()
    assert window.transport.slider.markers == []
    assert "no jump found" in sessions_listed(window)[0]


def test_comparing_two_sessions_and_two_reps(window, two_jumps):
    clip, _ = two_jumps
    select_child(window, "Mia")
    shown = []
    window.sessionShown.connect(shown.append)
    window.records.start_new_session(NewSessionRequest(window.records.child_id, clip, "vertical-jump", "second"))
    assert wait_until(lambda: shown, 120)
    window.sessionShown.disconnect(shown.append)
    first_id = window.records.store.sessions_of(window.records.child_id)[0].id
    assert f"reused the analysis from session {first_id}" in window.statusBar().currentMessage()
    assert len(sessions_listed(window)) == 2 and "“second”" in sessions_listed(window)[0]  # newest first
    window.records.compare.trigger()
    dialog = window.records.dialog
    assert isinstance(dialog, CompareDialog) and dialog.isVisible()
    dialog.angle_box.setCurrentIndex(dialog.angle_box.findData("right_knee_flexion"))
    curves = [item for item in dialog.plot.getPlotItem().listDataItems()]
    assert len(curves) == 2
    assert [curve.name() for curve in curves] == [dialog.first_box.currentText(), dialog.second_box.currentText()]
    assert curves[0].name().endswith(f"(#{first_id})") and curves[1].name().endswith(f"(#{shown[0]})")
    assert len(dialog.plot.getPlotItem().legend.items) == 2
    assert dialog.plot.getPlotItem().titleLabel.text == "Right knee flexion"
    # Two reps of one session, time zero at each one's take-off.
    dialog.mode_box.setCurrentText(TWO_REPS)
    assert dialog.session_box.isVisible() and dialog.session_box.count() == 2
    assert [dialog.first_box.currentText()[:5], dialog.second_box.currentText()[:5]] == ["Rep 1", "Rep 2"]
    options = [dialog.align_box.itemText(i) for i in range(dialog.align_box.count())]
    assert options[0] == "start" and {"take-off", "landing", "deepest point"} <= set(options)
    dialog.align_box.setCurrentText("take-off")
    curves = dialog.plot.getPlotItem().listDataItems()
    assert [curve.name()[:5] for curve in curves] == ["Rep 1", "Rep 2"]
    for curve in curves:
        time_s, _ = curve.getOriginalDataset()
        assert time_s[0] < 0 < time_s[-1] and np.min(np.abs(time_s)) < 1e-9
    zero_lines = [item for item in dialog.plot.getPlotItem().items if isinstance(item, pg.InfiniteLine)]
    assert len(zero_lines) == 1 and zero_lines[0].value() == 0.0
    assert "time from the take-off" in dialog.plot.getPlotItem().getAxis("bottom").labelText
    # The same jump, filmed twice: the knee's curves through the take-off lie close together.
    (t1, y1), (t2, y2) = (curve.getOriginalDataset() for curve in curves)
    common = np.linspace(-0.3, 0.3, 13)
    assert np.nanmean(np.abs(np.interp(common, t1, y1) - np.interp(common, t2, y2))) < 10.0
    dialog.close()


def exported_picture_matches(path, clip, analysis, frame_index: int, blur_faces: bool) -> bool:
    expected = render_frame(VideoSource(clip).read(frame_index), analysed_frame(analysis, frame_index),
                            blur_faces=blur_faces)
    return np.array_equal(cv2.imread(str(path)), expected)


def test_export_writes_the_chosen_formats_and_pictures_with_faces_blurred(window, two_jumps):
    clip, _ = two_jumps
    session = window.session
    assert session is not None and window.commands.export.isEnabled()
    window.commands.export.trigger()
    dialog = window.export_dialog
    folder = window.records.store.session_folder(session) / "exports"
    assert dialog.folder_box.text() == str(folder)
    assert dialog.pictures_box.isChecked() and "Faces are blurred" in label_texts(dialog)
    dialog.format_boxes["trc"].setChecked(False)
    save_button(dialog).click()
    assert not dialog.isVisible()
    names = sorted(path.name for path in folder.iterdir())
    assert [name for name in names if not name.endswith(".png")] == [
        "two_jumps.c3d", "two_jumps.csv", "two_jumps.json", "two_jumps.mot"]
    pictures = sorted(folder.glob("*.png"))
    deepest, takeoff = window.drill.view.moments[:2]  # the first jump's countermovement, then its take-off
    assert [path.name for path in pictures][:2] == [f"two_jumps_frame{deepest.frame:05d}_rep1_deepest.png",
                                                     f"two_jumps_frame{takeoff.frame:05d}_takeoff.png"]
    assert len(pictures) == len(window.drill.view.moments) == 6
    assert f"Exported {4 + 6} files" in window.statusBar().currentMessage()
    takeoff_frame, takeoff = takeoff.frame, pictures[1]
    assert exported_picture_matches(takeoff, clip, window.analysis, takeoff_frame, blur_faces=True)
    assert not exported_picture_matches(takeoff, clip, window.analysis, takeoff_frame, blur_faces=False)
    # The setting off: pictures as filmed (the dialog says so).
    window.settings.blur_faces = False
    try:
        window.commands.export.trigger()
        dialog = window.export_dialog
        assert "NOT blurred" in label_texts(dialog)
        dialog.folder_box.setText(str(folder / "unblurred"))
        for box in dialog.format_boxes.values():
            box.setChecked(False)
        save_button(dialog).click()
        assert not dialog.isVisible()
        assert exported_picture_matches(folder / "unblurred" / takeoff.name, clip, window.analysis, takeoff_frame,
                                        blur_faces=False)
    finally:
        window.settings.blur_faces = True


def test_the_face_blur_setting_is_in_the_settings_dialog(window):
    from stsp_app._qt.settings_dialog import SettingsDialog

    assert window.settings.blur_faces
    dialog = SettingsDialog(window.settings)
    assert dialog.blur_box.isChecked() and dialog.blur_box.text() == "Blur faces in exported pictures and reports"
    dialog.blur_box.setChecked(False)
    dialog.accept()
    reread = AppSettings(QSettings(window.settings._store.fileName(), QSettings.Format.IniFormat))
    assert reread.blur_faces is False
    window.settings.blur_faces = True


def test_the_report_is_written_off_the_interface_thread(window):
    select_child(window, "Mia")
    assert window.records.report.isEnabled()
    window.records.report.trigger()
    assert not window.records.report.isEnabled()  # one report at a time
    assert wait_until(lambda: "Wrote Mia's report" in window.statusBar().currentMessage(), 240)
    path = Path(window.statusBar().currentMessage().split(": ", 1)[1])
    assert path.suffix == ".pdf" and path.read_bytes().startswith(b"%PDF")
    assert path.is_relative_to(window.records.store.child_folder(window.records.child_id))
    assert window.records.report.isEnabled()


def test_deleting_a_session_asks_then_deletes_its_folder(window, two_jumps):
    clip, _ = two_jumps
    select_child(window, "Mia")
    shown = []
    window.sessionShown.connect(shown.append)
    window.records.start_new_session(NewSessionRequest(window.records.child_id, clip, "squat", "to delete"))
    assert wait_until(lambda: shown, 120)
    window.sessionShown.disconnect(shown.append)
    session = window.records.selected_session()
    assert session.id == shown[0] and len(sessions_listed(window)) == 3
    folder = window.records.store.session_folder(session)
    assert (folder / "keypoints.json").is_file()
    window.records.delete_session.trigger()
    box = window.records.dialog
    assert box.text().startswith("Delete the session of ") and "Squat, with its analysis and exports?" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert len(sessions_listed(window)) == 2 and not folder.exists()
    assert window.session is None  # it was on screen: no longer
    assert window.records.panel.children_tree.topLevelItem(0).text(2) == "2"


def test_deleting_a_child_asks_then_deletes_all_of_their_files(window):
    store = window.records.store
    select_child(window, "Mia")
    mia = window.records.child()
    folder = store.child_folder(mia.id)
    assert (folder / "sessions").is_dir() and any(folder.rglob("*.png"))  # analyses and exports
    sessions = window.records.panel.sessions_list
    sessions.setCurrentItem(sessions.item(1))
    window.records.open_session.trigger()
    assert wait_until(lambda: window.session is not None and window.session.child_id == mia.id, 60)
    window.records.delete_child.trigger()
    box = window.records.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == ("Delete Mia and all 2 sessions, with their analyses, exports and reports? "
                          "This cannot be undone.")
    box.button(QMessageBox.StandardButton.No).click()
    assert names_listed(window) == ["Mia", "Noah Martin"] and folder.is_dir()
    window.records.delete_child.trigger()
    window.records.dialog.button(QMessageBox.StandardButton.Yes).click()
    assert names_listed(window) == ["Noah Martin"] and not folder.exists()
    assert window.session is None and window.analysis is None  # her session is no longer on screen
    assert "Deleted Mia, 2 sessions and their files" in window.statusBar().currentMessage()
    # Noah: his camera recording goes with him.
    select_child(window, "Noah Martin")
    noah_folder = store.child_folder(window.records.child_id)
    assert any((noah_folder / "recordings").iterdir())
    window.records.delete_child.trigger()
    assert "their 1 session, with its analysis" in window.records.dialog.text()
    window.records.dialog.button(QMessageBox.StandardButton.Yes).click()
    assert names_listed(window) == [] and not noah_folder.exists()
    assert store.find_children() == [] and not window.records.edit_child.isEnabled()


def test_a_new_coach_goes_from_start_to_a_report_on_a_new_video_in_under_three_minutes(window, records_env):
    """Only what the window shows, in the order a coach would find it: Add child, New session (a video never
    analysed before, a drill), the result on screen, Report. Screens of 1280x720 and 1920x1080 keep every step
    in view (the screenshots are saved beside the test's data for a look)."""
    import time

    clip = write_clip_start(records_env / "lea_jump.mp4", 320, source=VIDEO_DIR / "cmj_teen_front.mp4")
    started_s = time.monotonic()
    add_child_through_the_dialog(window, "Léa", height_cm=158, birth_year=2012)
    select_child(window, "Léa")
    assert window.records.new_session.isEnabled() and window.records.new_session.text().replace("&", "") == \
        "New session…"
    window.records.new_session.trigger()
    dialog = window.records.dialog
    dialog.video_box.setText(str(clip))
    dialog.drill_box.setCurrentIndex(dialog.drill_box.findData("vertical-jump"))
    shown = []
    window.sessionShown.connect(shown.append)
    save_button(dialog).click()
    assert wait_until(lambda: shown, ANALYSIS_TIMEOUT_S), "the new session was not shown"
    window.sessionShown.disconnect(shown.append)
    assert "Jump height (flight time)" in window.drill.panel.metrics_text.toPlainText()
    window.records.report.trigger()
    assert wait_until(lambda: "Wrote Léa's report" in window.statusBar().currentMessage(), 240)
    elapsed_s = time.monotonic() - started_s
    print(f"from a new child to the report: {elapsed_s:.0f} s")
    assert elapsed_s < 180
    size_before = window.size()
    for width, height in ((1280, 720), (1920, 1080)):
        window.resize(width, height)
        wait_until(lambda: False, 0.3)
        assert window.save_screenshot(records_env / f"window_{width}x{height}.png")
        for widget in (window.video_view, window.charts.angle_plot, window.charts.readout, window.drill.panel,
                       window.records.panel.children_tree):
            assert widget.isVisible() and widget.width() >= 150 and widget.height() >= 60, (widget, width)
    window.resize(size_before)
