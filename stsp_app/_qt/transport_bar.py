"""Play/pause, step, seek slider, speed and the frame/time readout under the video."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QWidget

from stsp_app._qt.playback_clock import SPEEDS


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
        self.slider = QSlider(Qt.Orientation.Horizontal)
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
