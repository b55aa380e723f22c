"""Play/pause, step, seek slider (with the drill's moments marked on it), speed and the frame/time readout
under the video."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QStyleOptionSlider, QToolButton,
                               QToolTip, QWidget)

from stsp_app._qt.playback_clock import SPEEDS

MOMENT_COLOUR = QColor(255, 80, 200)
STRETCH_COLOUR = QColor(60, 160, 255, 90)  # the in/out stretch to analyse, shaded over the groove
# A click or a hover this close to a marker (pixels) is taken to mean the marker.
MARKER_REACH_PX = 6


class MarkedSlider(QSlider):
    """The seek slider, with markers at chosen frames (the drill's events): a small triangle over the groove
    and a tick through it. Hovering a marker names it; clicking one seeks exactly there."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.markers: list[tuple[int, str]] = []
        self.stretch: tuple[int, int] | None = None  # (in frame, out frame) to shade, both included
        self.setMinimumHeight(24)

    def set_markers(self, markers: list[tuple[int, str]]) -> None:
        """(frame, label) of each marker; [] removes them."""
        self.markers = list(markers)
        self.update()

    def set_stretch(self, in_frame: int | None, out_frame: int | None) -> None:
        """Shade the in/out stretch (an open end reaches the slider's end); both None removes it."""
        if in_frame is None and out_frame is None:
            self.stretch = None
        else:
            self.stretch = (self.minimum() if in_frame is None else in_frame,
                            self.maximum() if out_frame is None else out_frame)
        self.update()

    def marker_x(self, frame: int) -> float:
        """Where a frame's marker is drawn, in widget pixels (the handle's centre at that frame)."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        groove = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderGroove, self)
        handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                             QStyle.SubControl.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        return groove.x() + handle.width() / 2 + QStyle.sliderPositionFromValue(
            self.minimum(), self.maximum(), frame, span)

    def marker_at(self, x: float) -> tuple[int, str] | None:
        """The marker within reach of a widget x position, the nearest if several."""
        reach = [(abs(self.marker_x(frame) - x), frame, label) for frame, label in self.markers]
        reach = [item for item in reach if item[0] <= MARKER_REACH_PX]
        return (min(reach)[1], min(reach)[2]) if reach else None

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().paintEvent(event)
        if not (self.markers or self.stretch) or self.maximum() <= self.minimum():
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.stretch is not None:
            left, right = (self.marker_x(frame) for frame in self.stretch)
            painter.fillRect(QRectF(left - 1, 4, right - left + 2, self.height() - 8), STRETCH_COLOUR)
        painter.setPen(QPen(MOMENT_COLOUR, 2))
        painter.setBrush(MOMENT_COLOUR)
        for frame, _ in self.markers:
            x = self.marker_x(frame)
            painter.drawLine(QPointF(x, 6), QPointF(x, self.height() - 2))
            painter.drawPolygon(QPolygonF([QPointF(x - 4, 0), QPointF(x + 4, 0), QPointF(x, 6)]))
        painter.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        marker = self.marker_at(event.position().x()) if event.button() == Qt.MouseButton.LeftButton else None
        if marker is None:
            super().mousePressEvent(event)
            return
        self.setValue(marker[0])
        event.accept()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            marker = self.marker_at(event.pos().x())
            if marker is not None:
                QToolTip.showText(event.globalPos(), f"{marker[1]} (click to go there)", self)
                return True
        return super().event(event)


class TransportBar(QWidget):
    playToggled = Signal()
    stepRequested = Signal(int)
    seekRequested = Signal(int)
    speedChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.play_button = QToolButton()
        self.play_button.setToolTip("Play / pause (Space)")
        self.back_button = QToolButton()
        self.back_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSkipBackward))
        self.back_button.setToolTip("Previous frame (Left)")
        self.forward_button = QToolButton()
        self.forward_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaSkipForward))
        self.forward_button.setToolTip("Next frame (Right)")
        self.slider = MarkedSlider()
        self.slider.setToolTip("Seek")
        self.position_label = QLabel("–")
        self.position_label.setMinimumWidth(170)
        self.speed_box = QComboBox()
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}x", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip("Playback speed")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        for widget in (self.back_button, self.play_button, self.forward_button):
            layout.addWidget(widget)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.position_label)
        layout.addWidget(self.speed_box)
        self.play_button.clicked.connect(self.playToggled)
        self.back_button.clicked.connect(lambda: self.stepRequested.emit(-1))
        self.forward_button.clicked.connect(lambda: self.stepRequested.emit(1))
        self.slider.valueChanged.connect(self._on_slider)
        self.speed_box.currentIndexChanged.connect(lambda i: self.speedChanged.emit(self.speed_box.itemData(i)))
        self.set_playing(False)
        self.set_range(0, 30.0)

    def set_range(self, frame_count: int, fps: float) -> None:
        self._fps = fps if fps > 0 else 30.0
        self._frame_count = frame_count
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(frame_count - 1, 0))
        self.slider.setValue(0)
        self.slider.blockSignals(False)
        self.setEnabled(frame_count > 0)
        self.show_frame(0)

    def show_frame(self, frame: int) -> None:
        """Move the slider to the frame on screen without asking for a seek."""
        self.slider.blockSignals(True)
        self.slider.setValue(frame)
        self.slider.blockSignals(False)
        self.position_label.setText(
            f"frame {frame + 1}/{self._frame_count}  {frame / self._fps:6.2f} s" if self._frame_count else "–")

    def set_playing(self, playing: bool) -> None:
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))

    def _on_slider(self, value: int) -> None:
        self.seekRequested.emit(value)
