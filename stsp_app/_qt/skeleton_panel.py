"""The 3D panel: the vispy skeleton canvas with reset-view and motion-trail controls.

When the pipeline has no 3D stages, the panel says so over the (empty) scene instead of drawing anything.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QVBoxLayout, QWidget

from stsp_app._qt.offscreen_canvas_view import OffscreenCanvasView
from stsp_app._vispy.skeleton_canvas import SkeletonCanvas
from stsp_app.core.skeleton import JOINT_INDEX

TRAIL_JOINTS: tuple[str, ...] = ("left_wrist", "right_wrist", "left_ankle", "right_ankle", "head", "pelvis")
TRAIL_LENGTH_S = 1.0
UNAVAILABLE_TEXT = "3D unavailable: the 3D stages are not installed.\nThe video shows the 2D skeleton."


# A standing person facing the camera, camera axes (x right, y down, mm), joints in skeleton order: only for
# SkeletonPanel.warm_up.
WARM_UP_POSE_MM = np.array([
    [0, 0, 0], [-100, 0, 0], [-100, 420, 0], [-100, 840, 0], [100, 0, 0], [100, 420, 0], [100, 840, 0],
    [0, -230, 0], [0, -460, 0], [0, -560, 0], [0, -660, 0], [170, -440, 0], [200, -170, 0], [210, 80, 0],
    [-170, -440, 0], [-200, -170, 0], [-210, 80, 0]], dtype=np.float64)


class SkeletonPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = SkeletonCanvas()
        self.view = OffscreenCanvasView(self.canvas.canvas)
        self.reset_button = QToolButton(text="Reset view")
        self.reset_button.setToolTip("Back to the starting viewpoint (R). Drag: orbit, wheel: zoom, "
                                     "Shift+drag: pan")
        self.reset_button.clicked.connect(self.canvas.reset_view)
        self.view_buttons: dict[str, QToolButton] = {}
        for name, tip in (("front", "as the video camera does"), ("side", "at right angles to the video camera"),
                          ("top", "from above")):
            button = QToolButton(text=name.capitalize())
            button.setToolTip(f"Look {tip}")
            button.clicked.connect(lambda _=False, name=name: self.canvas.show_view(name))
            self.view_buttons[name] = button
        self.trail_button = QToolButton(text="Trails")
        self.trail_button.setToolTip("Motion trails of chosen joints (last second)")
        self.trail_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        trail_menu = QMenu(self.trail_button)
        self.trail_actions: dict[str, QAction] = {}
        for name in TRAIL_JOINTS:
            action = trail_menu.addAction(name.replace("_", " "))
            action.setCheckable(True)
            action.toggled.connect(self._trails_changed)
            self.trail_actions[name] = action
        self.trail_button.setMenu(trail_menu)
        self.unavailable_label = QLabel(UNAVAILABLE_TEXT, self.view)
        self.unavailable_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unavailable_label.setStyleSheet(
            "color: #f0f0f0; background: rgba(20, 20, 24, 200); padding: 8px; border-radius: 4px;")
        self.unavailable_label.hide()
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        controls.addWidget(QLabel("3D skeleton"))
        controls.addStretch(1)
        for button in self.view_buttons.values():
            controls.addWidget(button)
        controls.addWidget(self.trail_button)
        controls.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        self._poses_mm: np.ndarray | None = None
        self._trail_frames = 30
        self.row: int | None = None  # the analysed frame whose pose is shown

    def set_available(self, available: bool) -> None:
        self.unavailable_label.setVisible(not available)
        self._place_label()

    @property
    def shows_unavailable(self) -> bool:
        return not self.unavailable_label.isHidden()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._place_label()

    def _place_label(self) -> None:
        self.unavailable_label.adjustSize()
        self.unavailable_label.move((self.view.width() - self.unavailable_label.width()) // 2,
                                    (self.view.height() - self.unavailable_label.height()) // 3)

    def set_sequence(self, kp3d_mm: np.ndarray | None, fps: float = 30.0) -> None:
        """The poses (T, 17, 3) that :meth:`show_row` picks from; sets the floor under their feet."""
        self._poses_mm = kp3d_mm
        self._trail_frames = max(2, round(TRAIL_LENGTH_S * fps))
        self.row = None
        if kp3d_mm is not None and len(kp3d_mm):
            self.canvas.set_floor_from_poses(kp3d_mm)
        self.canvas.set_pose(None)

    def show_row(self, row: int | None) -> None:
        """Show the pose of one analysed frame (None: nothing, e.g. a frame not analysed yet)."""
        self.row = row
        if self._poses_mm is None or row is None or not 0 <= row < len(self._poses_mm):
            self.canvas.set_pose(None)
            return
        self.canvas.set_pose(self._poses_mm[row], self._trail(row))

    def show_pose(self, kp3d_mm: np.ndarray | None) -> None:
        """Show a single pose directly (live mode)."""
        self.canvas.set_pose(kp3d_mm)

    def warm_up(self) -> None:
        """Render a skeleton once, now, and show nothing again. The first render of the bones, joints and side
        labels builds their shaders and the labels' font (about 300 ms with software OpenGL): done before a live
        camera starts, that pause does not drop its first frames."""
        self.canvas.set_pose(WARM_UP_POSE_MM)
        self.view.render_now()
        self.canvas.set_pose(None)

    def _trail(self, row: int) -> np.ndarray | None:
        joints = [JOINT_INDEX[name] for name, action in self.trail_actions.items() if action.isChecked()]
        if not joints:
            return None
        return self._poses_mm[max(0, row - self._trail_frames + 1): row + 1][:, joints]

    def _trails_changed(self) -> None:
        self.show_row(self.row)
