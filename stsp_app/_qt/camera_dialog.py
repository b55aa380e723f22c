"""Choose the camera, its resolution and whether to record the session to a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget)

from stsp_app.core.camera_capture import RESOLUTIONS
from stsp_app.drills import DRILL_NAMES, get_drill


class CameraDialog(QDialog):
    """``record_to``: a recording the session must make, at a place the app chose (a new session of a child:
    the video is kept in their records); ``drill``: the drill chosen at first."""

    def __init__(self, cameras: list[int], default_record_path: Path, parent: QWidget | None = None,
                 record_to: Path | None = None, drill: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Live camera")
        self.camera_box = QComboBox()
        for index in cameras:
            self.camera_box.addItem(f"Camera {index}", index)
        self.resolution_box = QComboBox()
        for width, height in RESOLUTIONS:
            self.resolution_box.addItem(f"{width} x {height}", (width, height))
        self.drill_box = QComboBox()
        self.drill_box.addItem("None: just watch", None)
        for name in DRILL_NAMES:
            self.drill_box.addItem(get_drill(name).title, name)
        self.drill_box.setCurrentIndex(max(self.drill_box.findData(drill), 0))
        self.record_box = QCheckBox("Record the session to")
        self.record_path = QLineEdit(str(record_to or default_record_path))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        if record_to is not None:
            self.record_box.setChecked(True)
            self.record_box.setEnabled(False)
            self.record_path.setReadOnly(True)
            browse.hide()
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_path, 1)
        record_row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("Camera", self.camera_box)
        layout.addRow("Resolution", self.resolution_box)
        layout.addRow("Drill", self.drill_box)
        layout.addRow(self.record_box, record_row)
        if record_to is not None:
            note = QLabel("The recording is kept in the child's records (deleted with them) and analysed as the "
                          "new session when you stop the camera (Ctrl+Shift+L).")
            note.setWordWrap(True)
            layout.addRow("", note)
            self.setMinimumWidth(640)
        layout.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Record to", self.record_path.text(), "Video (*.mp4)")
        if path:
            self.record_path.setText(path)

    def choice(self) -> tuple[int, int, int, Path | None, str | None]:
        """(camera index, width, height, recording path or None, drill name or None)."""
        width, height = self.resolution_box.currentData()
        record = Path(self.record_path.text()) if self.record_box.isChecked() and self.record_path.text() else None
        return self.camera_box.currentData(), width, height, record, self.drill_box.currentData()
