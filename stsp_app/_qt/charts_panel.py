"""Charts under the video: joint angles over time and the temporal-smoothness (jitter) trace.

Both charts share the time axis (seconds) and a cursor at the frame on screen; clicking a chart asks the
video to seek there. The check boxes above the charts show or hide each angle. A drill's moments (take-off,
landing, deepest point ...) are vertical lines, labelled on the angle chart; a click on a line or its label
seeks exactly to that moment.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from stsp_app.kinematics.joint_angles import ANGLE_LABELS, ANGLE_NAMES
from stsp_app.kinematics.motion_series import MotionSeries
from stsp_app.presenters.angle_readout import JOINT_ROWS, angle_table, hover_text

# Shown at first; the others are one legend click away.
DEFAULT_VISIBLE_ANGLES = ("left_knee_flexion", "right_knee_flexion", "left_hip_flexion", "right_hip_flexion",
                          "trunk_lean")
# One colour per joint; the left side solid, the right side dashed (the legend and the check boxes say which).
JOINT_RGB = {"knee": (56, 158, 255), "hip": (90, 215, 110), "elbow": (255, 170, 50), "shoulder": (215, 110, 255),
             "trunk": (235, 235, 235)}
# Every angle is unsigned, 0-180° (docs/metrics.md): live, the angle axis stays there.
LIVE_ANGLE_RANGE_DEG = (0.0, 180.0)
MOMENT_RGB = (255, 80, 200)
# A click this close to a moment's line (pixels) goes to the moment.
MOMENT_REACH_PX = 6
# Labels of moments close in time are staggered over these heights (fractions of the chart, from the bottom).
LABEL_HEIGHTS = (0.95, 0.82, 0.69)
# The jitter chart in a coach's words; its technical name and unit with View -> Show technical details.
STEADINESS_TITLE = "How steady the tracking is (lower: steadier)"
JITTER_TITLE = "Temporal smoothness (TS) jitter"


def short_label(name: str) -> str:
    """``L knee``, ``R shoulder elev.``, ``Trunk lean``: an angle's name where room is short."""
    return (ANGLE_LABELS[name].replace("Left ", "L ").replace("Right ", "R ").replace(" flexion", "")
            .replace(" elevation", " elev."))


def _angle_pen(name: str) -> pg.mkPen:
    joint = next(joint for joint in JOINT_RGB if joint in name)
    style = Qt.PenStyle.DashLine if name.startswith("right") else Qt.PenStyle.SolidLine
    return pg.mkPen(JOINT_RGB[joint], width=2, style=style)


class ChartsPanel(QWidget):
    seekRequested = Signal(int)  # a video frame index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: MotionSeries | None = None
        self._fps = 30.0
        self._live = False
        self._technical = False
        self._jitter_unit = ""
        self.angle_plot = pg.PlotWidget()
        self.angle_plot.setLabel("left", "angle", units="°")
        self.angle_plot.showGrid(x=True, y=True, alpha=0.2)
        self.jitter_plot = pg.PlotWidget()
        self.jitter_plot.setLabel("bottom", "time", units="s")
        self.jitter_plot.showGrid(x=True, y=True, alpha=0.2)
        self.jitter_plot.getAxis("left").enableAutoSIPrefix(False)
        self.jitter_plot.setLabel("left", "unsteadiness")
        self.jitter_plot.setXLink(self.angle_plot)
        for plot in (self.angle_plot, self.jitter_plot):
            # A whole match is hundreds of thousands of points: draw only what is in view, a few points a pixel,
            # keeping each pixel's highest and lowest value (a short clip is drawn point for point)
            plot.setDownsampling(auto=True, mode="peak")
            plot.setClipToView(True)
        self.moment_lines: list[tuple[int, pg.InfiniteLine]] = []  # (video frame, line), on both charts
        self._moment_plots: list[pg.PlotWidget] = []  # the chart of each of moment_lines
        self.angle_curves: dict[str, pg.PlotDataItem] = {}
        self.angle_boxes: dict[str, QCheckBox] = {}
        # One row under the chart, clear of the curves and the moments' labels: the short names, each with its
        # line (left solid, right dashed).
        self.legend = pg.LegendItem(labelTextColor=(235, 235, 235), labelTextSize="8pt", colCount=len(ANGLE_NAMES),
                                    verSpacing=-6)
        self.angle_plot.getPlotItem().layout.addItem(self.legend, 4, 1)
        self.hover_label = pg.TextItem(color=(235, 235, 235), fill=(0, 0, 0, 190), anchor=(0, 1))
        self.hover_label.setZValue(20)
        self.hover_label.hide()
        self.angle_plot.addItem(self.hover_label, ignoreBounds=True)
        self.angle_plot.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.readout = QTableWidget(len(JOINT_ROWS), 2)
        self._build_readout()
        toggle_strip = QWidget()
        toggle_strip.setObjectName("angleToggles")
        toggle_strip.setStyleSheet("#angleToggles { background: black; }")
        toggles = QHBoxLayout(toggle_strip)
        toggles.setContentsMargins(4, 2, 4, 0)
        for name in ANGLE_NAMES:
            pen = _angle_pen(name)
            curve = self.angle_plot.plot([], [], pen=pen)
            box = QCheckBox(short_label(name))
            box.setToolTip(ANGLE_LABELS[name])
            box.setStyleSheet(f"QCheckBox {{ color: {pen.color().name()}; }}")
            box.setChecked(name in DEFAULT_VISIBLE_ANGLES)
            curve.setVisible(box.isChecked())
            box.toggled.connect(curve.setVisible)
            box.toggled.connect(self._fill_legend)
            toggles.addWidget(box)
            self.angle_curves[name] = curve
            self.angle_boxes[name] = box
        toggles.addStretch(1)
        self.jitter_curve = self.jitter_plot.plot([], [], pen=pg.mkPen((250, 210, 60), width=1.5))
        self.cursors = []
        for plot in (self.angle_plot, self.jitter_plot):
            cursor = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen((255, 255, 255), width=1.5))
            plot.addItem(cursor)
            self.cursors.append(cursor)
            plot.scene().sigMouseClicked.connect(lambda event, plot=plot: self._on_click(plot, event))
        self._fill_legend()
        plots = QWidget()
        plots_layout = QVBoxLayout(plots)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        plots_layout.setSpacing(2)
        plots_layout.addWidget(self.angle_plot, 3)
        plots_layout.addWidget(self.jitter_plot, 2)
        charts_row = QHBoxLayout()
        charts_row.setSpacing(4)
        charts_row.addWidget(self.readout)
        charts_row.addWidget(plots, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(toggle_strip)
        layout.addLayout(charts_row, 1)
        self.set_series(None)

    # ----- the angles as numbers
    def _build_readout(self) -> None:
        """The table of the frame's angles: a row per joint, left and right."""
        table = self.readout
        table.setHorizontalHeaderLabels(["Left", "Right"])
        table.setVerticalHeaderLabels([label for label, _, _ in JOINT_ROWS])
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setToolTip("The joint angles at the frame shown (— where the joint was not seen)")
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for row in range(len(JOINT_ROWS)):
            for column in range(2):
                item = QTableWidgetItem()
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(row, column, item)
        table.setFixedWidth(220)
        self._show_readout(None, None)

    def _show_readout(self, series: MotionSeries | None, row: int | None) -> None:
        for number, angle_row in enumerate(angle_table(series, row)):
            for column, text in enumerate((angle_row.left, angle_row.right)):
                item = self.readout.item(number, column)
                if item.text() != text:  # a changed cell repaints; unchanged ones cost nothing
                    item.setText(text)

    def readout_text(self) -> dict[str, tuple[str, str]]:
        """What the table shows: row label -> (left, right)."""
        return {self.readout.verticalHeaderItem(row).text():
                (self.readout.item(row, 0).text(), self.readout.item(row, 1).text()) for row in range(len(JOINT_ROWS))}

    def _fill_legend(self) -> None:
        """The legend names the curves shown, with their line (left solid, right dashed)."""
        self.legend.clear()
        for name, curve in self.angle_curves.items():
            if self.angle_boxes[name].isChecked():
                self.legend.addItem(curve, short_label(name))

    def _on_mouse_moved(self, scene_pos) -> None:
        view_box = self.angle_plot.getPlotItem().vb
        text = None
        if self._series is not None and not self._live and view_box.sceneBoundingRect().contains(scene_pos):
            point = view_box.mapSceneToView(scene_pos)
            shown = [name for name, box in self.angle_boxes.items() if box.isChecked()]
            text = hover_text(self._series, point.x(), shown)
            if text is not None:
                self.hover_label.setText(text)
                self.hover_label.setPos(point)
        self.hover_label.setVisible(text is not None)

    def set_series(self, series: MotionSeries | None, fps: float = 30.0, length_unit: str = "mm",
                   mm_factor: float = 1.0) -> None:
        """Show an analysis (None clears the charts); 3D jitter is shown in ``length_unit`` (``mm_factor``)."""
        self.set_moments([])
        self._series = series
        self._fps = fps
        if self._live:
            self._leave_live()
        self._show_readout(None, None)
        if series is None:
            for curve in (*self.angle_curves.values(), self.jitter_curve):
                curve.setData([], [])
            self._set_title(self.angle_plot, "Joint angles")
            self._jitter_unit = ""
            self._title_jitter()
            return
        self._show_angles(series, series.time_s)
        self._show_jitter(series, series.time_s, length_unit, mm_factor)
        if len(series):
            self.angle_plot.setXRange(float(series.time_s[0]), float(max(series.time_s[-1], series.time_s[0] + 1e-3)),
                                      padding=0.01)

    # ----- a drill's moments
    def set_moments(self, moments: list[tuple[int, str]]) -> None:
        """Mark (video frame, label) moments on both charts, labelled on the angle chart ([] removes them)."""
        for plot, (_, line) in zip(self._moment_plots, self.moment_lines):
            plot.removeItem(line)
        self.moment_lines, self._moment_plots = [], []
        if self._series is None or not len(self._series):
            return
        pen = pg.mkPen(MOMENT_RGB, width=1.5, style=Qt.PenStyle.DashLine)
        for number, (frame, label) in enumerate(moments):
            time_s = self._time_of_frame(frame)
            labelled = pg.InfiniteLine(time_s, angle=90, movable=False, pen=pen, label=label, labelOpts={
                "position": LABEL_HEIGHTS[number % len(LABEL_HEIGHTS)], "color": MOMENT_RGB,
                "fill": (0, 0, 0, 170)})
            self.angle_plot.addItem(labelled)
            plain = pg.InfiniteLine(time_s, angle=90, movable=False, pen=pen)
            self.jitter_plot.addItem(plain)
            self.moment_lines += [(frame, labelled), (frame, plain)]
            self._moment_plots += [self.angle_plot, self.jitter_plot]

    def _time_of_frame(self, frame_index: int) -> float:
        return float(np.interp(frame_index, self._series.frame_indices, self._series.time_s))

    def _moment_clicked(self, event) -> int | None:
        """The frame of the moment whose line or label was clicked, if any."""
        scene_x = event.scenePos().x()
        reach = []
        for frame, line in self.moment_lines:
            label = getattr(line, "label", None)
            if label is not None and label.sceneBoundingRect().contains(event.scenePos()):
                return frame
            line_x = line.getViewBox().mapViewToScene(QPointF(line.value(), 0.0)).x()
            if abs(line_x - scene_x) <= MOMENT_REACH_PX:
                reach.append((abs(line_x - scene_x), frame))
        return min(reach)[1] if reach else None

    # ----- live: the last seconds, redrawn every few frames
    def start_live(self, window_s: float) -> None:
        """Show the last ``window_s`` seconds of a live session, in seconds before now, on fixed axes: axes
        that moved at every refresh would have their ticks and grid laid out and drawn again each time."""
        self.set_series(None)
        self._live = True
        for plot in (self.angle_plot, self.jitter_plot):
            plot.setXRange(-window_s, 0.0, padding=0.01)
        self.angle_plot.setYRange(*LIVE_ANGLE_RANGE_DEG, padding=0.02)
        self.jitter_plot.setLabel("bottom", "time before now", units="s")
        for cursor in self.cursors:
            cursor.hide()

    def show_live_angles(self, series: MotionSeries) -> None:
        self._show_angles(series, series.time_s - series.time_s[-1])
        self._show_readout(series, len(series) - 1)

    def show_live_jitter(self, series: MotionSeries, length_unit: str = "mm", mm_factor: float = 1.0) -> None:
        self._show_jitter(series, series.time_s - series.time_s[-1], length_unit, mm_factor)

    def _leave_live(self) -> None:
        self._live = False
        self.angle_plot.enableAutoRange(axis="y")
        self.jitter_plot.setLabel("bottom", "time", units="s")
        for cursor in self.cursors:
            cursor.show()

    def _show_angles(self, series: MotionSeries, time_s: np.ndarray) -> None:
        for name, curve in self.angle_curves.items():
            curve.setData(time_s, series.angles.degrees[name], connect="finite")
        kind = "3D" if series.has_3d else "2D projected (3D unavailable)"
        self._set_title(self.angle_plot, f"Joint angles, {kind}")

    def _show_jitter(self, series: MotionSeries, time_s: np.ndarray, length_unit: str, mm_factor: float) -> None:
        if series.has_3d:
            jitter, unit = series.jitter * mm_factor, f"{length_unit}/frame²"
        else:
            jitter, unit = series.jitter, series.jitter_unit
        self.jitter_curve.setData(time_s, jitter, connect="finite")
        self._jitter_unit = unit
        self._title_jitter()

    def set_technical(self, technical: bool) -> None:
        """Name the jitter chart technically (with its unit) or in plain words."""
        self._technical = technical
        self.jitter_plot.setLabel("left", "jitter" if technical else "unsteadiness")
        self._title_jitter()

    def _title_jitter(self) -> None:
        if not self._technical:
            self._set_title(self.jitter_plot, STEADINESS_TITLE)
        else:
            self._set_title(self.jitter_plot, f"{JITTER_TITLE}, {self._jitter_unit}" if self._jitter_unit
                            else JITTER_TITLE)

    @staticmethod
    def _set_title(plot: pg.PlotWidget, title: str) -> None:
        """Set a title only when it changes: a new title re-lays out the whole plot."""
        if plot.getPlotItem().titleLabel.text != title:
            plot.setTitle(title)

    def set_cursor_frame(self, frame_index: int) -> None:
        row = self._series.row_of_frame(frame_index) if self._series is not None else None
        time_s = float(self._series.time_s[row]) if row is not None else frame_index / self._fps
        for cursor in self.cursors:
            cursor.setValue(time_s)
        self._show_readout(self._series, row)

    def _on_click(self, plot: pg.PlotWidget, event) -> None:
        if self._series is None or not len(self._series) or event.button() != Qt.MouseButton.LeftButton:
            return
        view_box = plot.getPlotItem().vb
        if not view_box.sceneBoundingRect().contains(event.scenePos()):
            return
        moment_frame = self._moment_clicked(event)
        if moment_frame is not None:
            self.seekRequested.emit(moment_frame)
            return
        time_s = view_box.mapSceneToView(event.scenePos()).x()
        row = int(np.argmin(np.abs(self._series.time_s - time_s)))
        self.seekRequested.emit(int(self._series.frame_indices[row]))
