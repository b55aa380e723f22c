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
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from stsp_app.kinematics.joint_angles import ANGLE_LABELS, ANGLE_NAMES
from stsp_app.kinematics.motion_series import MotionSeries

# Shown at first; the others are one legend click away.
DEFAULT_VISIBLE_ANGLES = ("left_knee_flexion", "right_knee_flexion", "left_hip_flexion", "right_hip_flexion",
                          "trunk_lean")
_LEFT_PENS = ((56, 158, 255), (120, 200, 255), (30, 100, 200), (150, 170, 255))
_RIGHT_PENS = ((255, 107, 51), (255, 170, 80), (200, 60, 40), (255, 130, 170))
# Every angle is unsigned, 0-180° (docs/metrics.md): live, the angle axis stays there.
LIVE_ANGLE_RANGE_DEG = (0.0, 180.0)
MOMENT_RGB = (255, 80, 200)
# A click this close to a moment's line (pixels) goes to the moment.
MOMENT_REACH_PX = 6
# Labels of moments close in time are staggered over these heights (fractions of the chart, from the bottom).
LABEL_HEIGHTS = (0.95, 0.82, 0.69)


def _angle_pen(name: str) -> pg.mkPen:
    side_pens = _LEFT_PENS if name.startswith("left") else _RIGHT_PENS
    joint_order = ("knee", "hip", "elbow", "shoulder")
    if name == "trunk_lean":
        return pg.mkPen((230, 230, 230), width=2)
    joint = next(i for i, joint in enumerate(joint_order) if f"_{joint}_" in name)
    return pg.mkPen(side_pens[joint], width=2, style=Qt.PenStyle.SolidLine if joint < 2 else Qt.PenStyle.DashLine)


class ChartsPanel(QWidget):
    seekRequested = Signal(int)  # a video frame index

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._series: MotionSeries | None = None
        self._fps = 30.0
        self._live = False
        self.angle_plot = pg.PlotWidget()
        self.angle_plot.setLabel("left", "angle", units="°")
        self.angle_plot.showGrid(x=True, y=True, alpha=0.2)
        self.jitter_plot = pg.PlotWidget()
        self.jitter_plot.setLabel("bottom", "time", units="s")
        self.jitter_plot.showGrid(x=True, y=True, alpha=0.2)
        self.jitter_plot.getAxis("left").enableAutoSIPrefix(False)
        self.jitter_plot.setLabel("left", "jitter")
        self.jitter_plot.setXLink(self.angle_plot)
        self.moment_lines: list[tuple[int, pg.InfiniteLine]] = []  # (video frame, line), on both charts
        self._moment_plots: list[pg.PlotWidget] = []  # the chart of each of moment_lines
        self.angle_curves: dict[str, pg.PlotDataItem] = {}
        self.angle_boxes: dict[str, QCheckBox] = {}
        toggle_strip = QWidget()
        toggle_strip.setObjectName("angleToggles")
        toggle_strip.setStyleSheet("#angleToggles { background: black; }")
        toggles = QHBoxLayout(toggle_strip)
        toggles.setContentsMargins(4, 2, 4, 0)
        for name in ANGLE_NAMES:
            pen = _angle_pen(name)
            curve = self.angle_plot.plot([], [], pen=pen)
            box = QCheckBox(ANGLE_LABELS[name].replace("Left ", "L ").replace("Right ", "R ")
                            .replace(" flexion", "").replace(" elevation", " elev."))
            box.setToolTip(ANGLE_LABELS[name])
            box.setStyleSheet(f"QCheckBox {{ color: {pen.color().name()}; }}")
            box.toggled.connect(curve.setVisible)
            box.setChecked(name in DEFAULT_VISIBLE_ANGLES)
            curve.setVisible(box.isChecked())
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(toggle_strip)
        layout.addWidget(self.angle_plot, 3)
        layout.addWidget(self.jitter_plot, 2)
        self.set_series(None)

    def set_series(self, series: MotionSeries | None, fps: float = 30.0, length_unit: str = "mm",
                   mm_factor: float = 1.0) -> None:
        """Show an analysis (None clears the charts); 3D jitter is shown in ``length_unit`` (``mm_factor``)."""
        self.set_moments([])
        self._series = series
        self._fps = fps
        if self._live:
            self._leave_live()
        if series is None:
            for curve in (*self.angle_curves.values(), self.jitter_curve):
                curve.setData([], [])
            self._set_title(self.angle_plot, "Joint angles")
            self._set_title(self.jitter_plot, "Temporal smoothness (TS) jitter")
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
        self._set_title(self.jitter_plot, f"Temporal smoothness (TS) jitter, {unit}")

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
