"""Choose the camera, its resolution and whether to record the session to a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QPushButton, QWidget)

from stsp_app.core.camera_capture import RESOLUTIONS


class CameraDialog(QDialog):
    def __init__(self, cameras: list[int], default_record_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Live camera")
        self.camera_box = QComboBox()
        for index in cameras:
            self.camera_box.addItem(f"Camera {index}", index)
        self.resolution_box = QComboBox()
        for width, height in RESOLUTIONS:
            self.resolution_box.addItem(f"{width} x {height}", (width, height))
        self.record_box = QCheckBox("Record the session to")
        self.record_path = QLineEdit(str(default_record_path))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        record_row = QHBoxLayout()
        record_row.addWidget(self.record_path, 1)
        record_row.addWidget(browse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("Camera", self.camera_box)
        layout.addRow("Resolution", self.resolution_box)
        layout.addRow(self.record_box, record_row)
        layout.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Record to", self.record_path.text(), "Video (*.mp4)")
        if path:
            self.record_path.setText(path)

    def choice(self) -> tuple[int, int, int, Path | None]:
        """(camera index, width, height, recording path or None)."""
        width, height = self.resolution_box.currentData()
        record = Path(self.record_path.text()) if self.record_box.isChecked() and self.record_path.text() else None
        return self.camera_box.currentData(), width, height, record
