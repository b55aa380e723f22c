"""File → Export…: choose the formats, the folder and whether to add pictures of the drill's key moments;
says whether faces will be blurred (the setting). Errors are shown in the dialog, which stays open."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFileDialog, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from stsp_app.errors import InputError
from stsp_app.exports import EXPORT_FORMATS, FORMAT_LABELS
from stsp_app.presenters.exporting import ExportRequest

BLURRED_TEXT = "Faces are blurred in the pictures (Settings → Blur faces)."
NOT_BLURRED_TEXT = "Faces are NOT blurred in the pictures: face blurring is turned off in Settings."


class ExportDialog(QDialog):
    """``export`` writes a request and returns the files written, or raises InputError."""

    def __init__(self, folder: Path, has_drill: bool, blur_faces: bool,
                 export: Callable[[ExportRequest], list[Path]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export the analysis")
        self._export = export
        self._blur_faces = blur_faces
        self.written: list[Path] = []
        self.format_boxes: dict[str, QCheckBox] = {}
        formats = QGroupBox("Formats")
        formats_layout = QVBoxLayout(formats)
        for name in EXPORT_FORMATS:
            box = QCheckBox(FORMAT_LABELS[name])
            box.setChecked(True)
            formats_layout.addWidget(box)
            self.format_boxes[name] = box
        self.pictures_box = QCheckBox("Pictures of the drill's key moments (skeleton drawn)")
        self.pictures_box.setEnabled(has_drill)
        self.pictures_box.setChecked(has_drill)
        if not has_drill:
            self.pictures_box.setToolTip("Run a drill first (Analysis → Run drill) or open a session")
        blur = QLabel(BLURRED_TEXT if blur_faces else NOT_BLURRED_TEXT)
        blur.setWordWrap(True)
        blur.setStyleSheet("color: #a0a0a0;" if blur_faces else "color: #ffb060;")
        self.folder_box = QLineEdit(str(folder))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Folder"))
        folder_row.addWidget(self.folder_box, 1)
        folder_row.addWidget(browse)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #ff6060; font-weight: bold;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(formats)
        layout.addWidget(self.pictures_box)
        layout.addWidget(blur)
        layout.addLayout(folder_row)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export to", self.folder_box.text())
        if folder:
            self.folder_box.setText(folder)

    def request(self) -> ExportRequest:
        return ExportRequest(Path(self.folder_box.text().strip()),
                             [name for name, box in self.format_boxes.items() if box.isChecked()],
                             self.pictures_box.isChecked(), self._blur_faces)

    def accept(self) -> None:
        if not self.folder_box.text().strip():
            self._show_error("choose a folder")
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.written = self._export(self.request())
        except InputError as error:
            self._show_error(str(error))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        super().accept()

    def _show_error(self, text: str) -> None:
        self.error_label.setText(f"Not exported: {text}.")
        self.error_label.show()
