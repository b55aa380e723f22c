"""The video picture with the 2D skeleton drawn over it; click a tracked person to choose the child.

The analysed child's bones are drawn in the side colours (left blue, right orange); joints whose confidence is
below the threshold are drawn hollow with dashed bones. Other tracked people get a thin grey box and skeleton.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from stsp_app.core.drawing_style import SIDE_COLOURS_RGB, bone_colour_rgb
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D
from stsp_app.core.skeleton import BONES, NUM_JOINTS, bone_side

_OTHER_PERSON = QColor(200, 200, 200, 150)


def _qcolor(rgb: tuple[float, float, float], alpha: int = 255) -> QColor:
    return QColor(int(rgb[0] * 255), int(rgb[1] * 255), int(rgb[2] * 255), alpha)


class VideoView(QWidget):
    personClicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(320, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.frame_index: int | None = None
        self.frame_bgr: np.ndarray | None = None
        self._image: QImage | None = None
        self._kp2d: np.ndarray | None = None
        self._people: list = []
        self._chosen_person: int | None = None
        self._message = "Open a video (Ctrl+O), drop one here, or start the webcam (Ctrl+L)."

    @property
    def keypoints(self) -> np.ndarray | None:
        """The child's keypoints drawn over the current frame."""
        return self._kp2d

    def show_message(self, text: str) -> None:
        self._message = text
        self.update()

    def set_frame(self, frame_index: int | None, frame_bgr: np.ndarray | None, kp2d: np.ndarray | None = None,
                  people: list | None = None, chosen_person: int | None = None) -> None:
        """Show a frame and its overlay: the child's keypoints (17, 3) and the tracked people."""
        self.frame_index = frame_index
        self.frame_bgr = frame_bgr
        if frame_bgr is None:
            self._image = None
        else:
            rgb = np.ascontiguousarray(frame_bgr[..., ::-1])
            height, width = rgb.shape[:2]
            self._image = QImage(rgb.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
        self._kp2d = kp2d
        self._people = list(people or [])
        self._chosen_person = chosen_person
        self.update()

    def image_rect(self) -> QRectF:
        """Where the picture sits in the widget (centred, aspect ratio kept)."""
        if self._image is None:
            return QRectF()
        scale = min(self.width() / self._image.width(), self.height() / self._image.height())
        width, height = self._image.width() * scale, self._image.height() * scale
        return QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(24, 26, 30))
        if self._image is None:
            painter.setPen(QColor(200, 200, 200))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message)
            return
        target = self.image_rect()
        painter.drawImage(target, self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        scale = target.width() / self._image.width()
        painter.translate(target.topLeft())
        painter.scale(scale, scale)
        line_scale = 1.0 / scale
        for person in self._people:
            if person.person_id == self._chosen_person:
                continue
            painter.setPen(QPen(_OTHER_PERSON, 1.0 * line_scale, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            x0, y0, x1, y1 = (float(v) for v in person.box_xyxy_px)
            painter.drawRect(QRectF(x0, y0, x1 - x0, y1 - y0))
            if person.kp2d is not None:
                self._draw_skeleton(painter, np.asarray(person.kp2d), line_scale, chosen=False)
        if self._kp2d is not None:
            self._draw_skeleton(painter, np.asarray(self._kp2d), line_scale, chosen=True)
        painter.end()

    def _draw_skeleton(self, painter: QPainter, kp2d: np.ndarray, line_scale: float, chosen: bool) -> None:
        if kp2d.shape != (NUM_JOINTS, 3) or not np.isfinite(kp2d[:, :2]).any():
            return
        confident = kp2d[:, 2] >= MIN_CONFIDENCE_2D
        points = [QPointF(float(x), float(y)) for x, y in kp2d[:, :2]]
        width = (2.5 if chosen else 1.2) * line_scale
        for parent, child in BONES:
            if not (np.isfinite(kp2d[parent, :2]).all() and np.isfinite(kp2d[child, :2]).all()):
                continue
            colour = _qcolor(bone_colour_rgb(parent, child)) if chosen else _OTHER_PERSON
            style = Qt.PenStyle.SolidLine if confident[parent] and confident[child] else Qt.PenStyle.DashLine
            painter.setPen(QPen(colour, width, style))
            painter.drawLine(points[parent], points[child])
        radius = (3.5 if chosen else 2.0) * line_scale
        for joint in range(NUM_JOINTS):
            if not np.isfinite(kp2d[joint, :2]).all():
                continue
            colour = _qcolor(SIDE_COLOURS_RGB[bone_side(0, joint)]) if chosen else _OTHER_PERSON
            painter.setPen(QPen(colour, 1.2 * line_scale))
            # Confident joints are filled; low-confidence joints are hollow.
            painter.setBrush(colour if confident[joint] else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(points[joint], radius, radius)

    def person_at(self, widget_x: float, widget_y: float) -> int | None:
        """The tracked person whose box holds a widget position (the smallest box when boxes overlap)."""
        target = self.image_rect()
        if self._image is None or not target.contains(QPointF(widget_x, widget_y)):
            return None
        scale = target.width() / self._image.width()
        x = (widget_x - target.left()) / scale
        y = (widget_y - target.top()) / scale
        hits = []
        for person in self._people:
            x0, y0, x1, y1 = (float(v) for v in person.box_xyxy_px)
            if x0 <= x <= x1 and y0 <= y <= y1:
                hits.append(((x1 - x0) * (y1 - y0), person.person_id))
        return min(hits)[1] if hits else None

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton:
            person_id = self.person_at(event.position().x(), event.position().y())
            if person_id is not None:
                self.personClicked.emit(person_id)
        super().mousePressEvent(event)
