"""Shows a vispy canvas that renders off screen, as a plain widget.

A QOpenGLWidget anywhere in a window switches the whole window to OpenGL composition: every repaint of any
widget (a progress bar, a label) then re-composes the full window through OpenGL, which costs 20-40 ms per
repaint with software OpenGL (virtual machines, remote desktops, CI) and made the interface stutter during an
analysis. So the vispy canvas lives in its own hidden window (never mapped on screen), renders into a
framebuffer on request, and this widget paints the picture and passes mouse and wheel events on to the
canvas, whose camera turns, zooms and pans exactly as if it were on screen.
"""

from __future__ import annotations

import numpy as np
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget


class OffscreenCanvasView(QWidget):
    def __init__(self, scene_canvas, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scene_canvas = scene_canvas
        self._native = scene_canvas.native
        self._native.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        # Never on screen, it must not keep the program running once the app's window is closed (Ctrl+Q).
        self._native.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self._native.show()  # creates the OpenGL context; WA_DontShowOnScreen keeps it off the screen
        self.setMinimumSize(240, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self._image: QImage | None = None
        self._render_pending = False
        # vispy asks its canvas to update whenever the scene or the camera changes; here that means rendering
        # off screen once the event loop is back (the hidden window itself need not paint).
        scene_canvas.update = self._on_canvas_update
        # The hidden canvas is a window of its own: it goes when this widget goes.
        self.destroyed.connect(lambda: _close_canvas(scene_canvas))

    def _on_canvas_update(self, node=None) -> None:
        if shiboken6.isValid(self):
            self.request_render()

    def request_render(self) -> None:
        """Render again on the next turn of the event loop (several requests make one render)."""
        if not self._render_pending:
            self._render_pending = True
            QTimer.singleShot(0, self, self.render_now)  # dropped if this widget is gone by then

    def render_now(self) -> np.ndarray:
        """Render the scene at the widget's size and show it; returns the RGBA picture."""
        self._render_pending = False
        if tuple(self.scene_canvas.size) != (self.width(), self.height()):
            self.scene_canvas.size = (self.width(), self.height())
        rgba = np.ascontiguousarray(self.scene_canvas.render())
        height, width = rgba.shape[:2]
        self._image = QImage(rgba.data, width, height, 4 * width, QImage.Format.Format_RGBA8888).copy()
        self.update()
        return rgba

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        if self._image is None:
            painter.fillRect(self.rect(), Qt.GlobalColor.black)
        else:
            painter.drawImage(self.rect(), self._image)
        painter.end()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.request_render()

    def _forward(self, event) -> None:
        QApplication.sendEvent(self._native, event)
        self.request_render()

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._forward(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._forward(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.buttons() != Qt.MouseButton.NoButton:
            self._forward(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._forward(event)

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self._forward(event)


def _close_canvas(scene_canvas) -> None:
    """Stop showing the canvas, and close its window once the event loop is back (not mid-destruction)."""
    del scene_canvas.update  # vispy's own again
    QTimer.singleShot(0, scene_canvas.close)
