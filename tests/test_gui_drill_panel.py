"""The drill panel on a plainly opened video (File → Open, Analysis → Run drill): metrics in words, the
moments on the seek slider and the charts, and clicks on them seeking the video. The clip is a real
countermovement jump filmed twice (conftest ``two_jumps``); its analysis is in the window's cache, so opening
it analyses nothing."""

from __future__ import annotations

import os

import pytest

os.environ["QT_QPA_PLATFORM"] = "xcb"  # the virtual X screen has OpenGL; "offscreen" has none

from PySide6.QtCore import QPoint, QPointF, QSettings, Qt  # noqa: E402

from stsp_app._qt.app_settings import AppSettings  # noqa: E402
from stsp_app._qt.main_window import MainWindow  # noqa: E402
from tests.conftest import JUMP_HEIGHT_CM, cache_with  # noqa: E402
from tests.test_gui_app import wait_until  # noqa: E402

pytestmark = [pytest.mark.gui, pytest.mark.filterwarnings("ignore:Function.*QMouseEvent.pos:DeprecationWarning")]


@pytest.fixture(scope="module")
def window(qapp, tmp_path_factory, two_jumps):
    """A window with the two-jumps clip open, its stored analysis shown and the vertical jump run on it."""
    clip, analysis = two_jumps
    tmp_path = tmp_path_factory.mktemp("drill_panel")
    settings = AppSettings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    settings.stature_cm = JUMP_HEIGHT_CM
    window = MainWindow(settings=settings, cache=cache_with(tmp_path / "analyses", clip, analysis,
                                                            10.0 * JUMP_HEIGHT_CM))
    window.resize(1400, 900)
    window.show()
    finished = []
    window.analysisFinished.connect(finished.append)
    assert window.open_video(clip)
    assert wait_until(lambda: finished, 60) and finished == [False]
    assert "Stored analysis loaded" in window.statusBar().currentMessage()
    assert not window.drill.panel.isVisible()
    assert window.commands.run_drill["vertical-jump"].isEnabled()
    window.commands.run_drill["vertical-jump"].trigger()
    yield window
    window.close()


def test_the_drill_panel_shows_the_metrics_in_words(window):
    panel = window.drill.panel
    assert panel.isVisible() and panel.title_label.text() == "Vertical jump (countermovement jump)"
    assert panel.summary_label.text() == "2 reps found."
    text = panel.metrics_text.toPlainText()
    assert "Jumps found: 2" in text and "Rep 1:" in text and "Rep 2:" in text
    assert "Jump height (flight time): " in text and " ± " in text and " cm" in text
    # The child's height was known to the analysis: the pelvis-rise height is measured too.
    assert "Jump height (pelvis rise, take-off to apex): " in text
    labels = [panel.moments_list.item(row).text().split("   ")[1] for row in range(panel.moments_list.count())]
    assert labels == ["deepest point, rep 1", "take-off", "landing", "deepest point, rep 2", "take-off", "landing"]


def test_the_moments_are_on_the_slider_and_the_charts(window):
    moments = [(moment.frame, moment.label) for moment in window.drill.view.moments]
    assert window.transport.slider.markers == moments
    assert len(window.charts.moment_lines) == 2 * len(moments)  # both charts
    labelled = [line for _, line in window.charts.moment_lines if getattr(line, "label", None) is not None]
    assert [line.label.toPlainText() for line in labelled] == [label for _, label in moments]
    for (frame, _), line in zip(moments, labelled):
        assert line.value() == pytest.approx(window.series.time_s[window.series.row_of_frame(frame)])
    # The markers are drawn: magenta pixels over the slider where there were none without them.
    slider = window.transport.slider
    with_marks = slider.grab().toImage()
    slider.set_markers([])
    without = slider.grab().toImage()
    slider.set_markers(moments)

    def magenta(image) -> int:
        return sum(1 for x in range(image.width()) for y in range(image.height())
                   if (colour := image.pixelColor(x, y)).red() > 200 and colour.green() < 120 and colour.blue() > 150)

    assert magenta(with_marks) > 6 * len(moments) > magenta(without)


def test_clicking_a_moment_in_the_list_seeks_there(window, qtbot):
    panel = window.drill.panel
    item = panel.moments_list.item(4)  # the second take-off
    frame = int(item.data(Qt.ItemDataRole.UserRole))
    window.clock.seek(0)
    qtbot.mouseClick(panel.moments_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.moments_list.visualItemRect(item).center())
    assert wait_until(lambda: window.video_view.frame_index == frame, 5)
    assert window.transport.slider.value() == frame


def test_clicking_a_moment_on_the_chart_seeks_there(window, qtbot):
    frame, line = next((frame, line) for frame, line in window.charts.moment_lines
                       if getattr(line, "label", None) is not None and line.label.toPlainText() == "landing")
    window.clock.seek(0)
    plot = window.charts.angle_plot
    label_centre = plot.mapFromScene(line.label.sceneBoundingRect().center())
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=label_centre)
    assert wait_until(lambda: window.video_view.frame_index == frame, 5)
    # Near the line (a few pixels off), not on its label: the click goes to the moment, not to the time clicked.
    window.clock.seek(0)
    view_box = plot.getPlotItem().vb
    mid_y = sum(view_box.viewRange()[1]) / 2
    near = plot.mapFromScene(view_box.mapViewToScene(QPointF(line.value(), mid_y))) + QPoint(3, 0)
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=near)
    assert wait_until(lambda: window.video_view.frame_index == frame, 5)


def test_clicking_a_marker_on_the_slider_seeks_there(window, qtbot):
    slider = window.transport.slider
    frame, label = slider.markers[1]
    window.clock.seek(0)
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(round(slider.marker_x(frame)), 12))
    assert wait_until(lambda: window.video_view.frame_index == frame, 5)
    assert slider.marker_at(slider.marker_x(frame) + 2) == (frame, label)


def test_a_drill_that_finds_nothing_says_so_and_clears_the_marks(window):
    window.commands.run_drill["run"].trigger()
    panel = window.drill.panel
    assert panel.isVisible() and panel.title_label.text() == "Running stride"
    assert panel.summary_label.text().startswith("No running strides found in the recording (200 frames)")
    assert "The session is kept" not in panel.summary_label.text()  # a plain video, not a session
    assert not panel.metrics_text.isVisible() and not panel.moments_list.isVisible()
    assert window.transport.slider.markers == [] and window.charts.moment_lines == []
