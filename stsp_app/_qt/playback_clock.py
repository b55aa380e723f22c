"""Which frame is on screen during playback: wall-clock based, so speed and timer jitter never drift."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

SPEEDS: tuple[float, ...] = (0.25, 0.5, 1.0, 1.5, 2.0)


class PlaybackClock(QObject):
    """Emits ``frameChanged`` for every frame to show; the owner shows exactly that frame."""

    frameChanged = Signal(int)
    playingChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fps = 30.0
        self.frame_count = 0
        self.speed = 1.0
        self.frame = 0
        self._timer = QTimer(self)
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._tick)
        self._start_wall_s = 0.0
        self._start_frame = 0

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def load(self, fps: float, frame_count: int) -> None:
        self.pause()
        self.fps = fps if fps > 0 else 30.0
        self.frame_count = frame_count
        self.seek(0)

    def set_speed(self, speed: float) -> None:
        self.speed = speed
        self._restart_reference()

    def play(self) -> None:
        if self.frame_count <= 1 or self.playing:
            return
        if self.frame >= self.frame_count - 1:
            self.seek(0)
        self._restart_reference()
        self._timer.start()
        self.playingChanged.emit(True)

    def pause(self) -> None:
        if self.playing:
            self._timer.stop()
            self.playingChanged.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def step(self, frames: int) -> None:
        self.pause()
        self.seek(self.frame + frames)

    def seek(self, frame: int) -> None:
        frame = max(0, min(int(frame), max(self.frame_count - 1, 0)))
        self.frame = frame
        self._restart_reference()
        self.frameChanged.emit(frame)

    def _restart_reference(self) -> None:
        self._start_wall_s = time.monotonic()
        self._start_frame = self.frame

    def _tick(self) -> None:
        elapsed_s = time.monotonic() - self._start_wall_s
        frame = self._start_frame + int(elapsed_s * self.fps * self.speed)
        if frame >= self.frame_count - 1:
            frame = self.frame_count - 1
            self.pause()
        if frame != self.frame:
            self.frame = frame
            self.frameChanged.emit(frame)
