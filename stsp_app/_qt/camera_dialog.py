"""Choose the camera (attached, or on the network by its address), its resolution, the drill and whether to
record the session to a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget)

from stsp_app.core.camera_capture import RESOLUTIONS, is_stream_url
from stsp_app.drills import DRILL_NAMES, get_drill


NETWORK_CAMERA = "network"  # the camera list's entry for a camera reached by its address


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
        self.camera_box.addItem("Network camera (its address below)", NETWORK_CAMERA)
        # A gym's camera on the network: its stream address, as its manual or its app gives it.
        self.address_box = QLineEdit()
        self.address_box.setPlaceholderText("rtsp://user:password@192.168.1.20:554/stream1 or http://…")
        self.address_box.textEdited.connect(lambda _: self.camera_box.setCurrentIndex(len(cameras)))
        self.camera_box.currentIndexChanged.connect(self._camera_changed)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #d04040;")
        self.error_label.setWordWrap(True)
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
        if not cameras:
            layout.addRow("", QLabel("No camera is attached to this computer: a network camera can be used."))
        layout.addRow("Camera", self.camera_box)
        layout.addRow("Network camera address", self.address_box)
        layout.addRow("Resolution", self.resolution_box)
        layout.addRow("Drill", self.drill_box)
        layout.addRow(self.record_box, record_row)
        if record_to is not None:
            note = QLabel("The recording is kept in the child's records (deleted with them) and analysed as the "
                          "new session when you stop the camera (Ctrl+Shift+L).")
            note.setWordWrap(True)
            layout.addRow("", note)
            self.setMinimumWidth(640)
        layout.addRow(self.error_label)
        layout.addRow(buttons)
        self._camera_changed()

    def _camera_changed(self) -> None:
        network = self.camera_box.currentData() == NETWORK_CAMERA
        self.address_box.setEnabled(network)
        self.resolution_box.setEnabled(not network)  # a network camera sends what it is set to
        if network:
            self.address_box.setFocus()

    def accept(self) -> None:
        if self.camera_box.currentData() == NETWORK_CAMERA and not is_stream_url(self.address_box.text().strip()):
            self.error_label.setText("Enter the network camera's address: it starts with rtsp:// or http://")
            return
        super().accept()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Record to", self.record_path.text(), "Video (*.mp4)")
        if path:
            self.record_path.setText(path)

    def choice(self) -> tuple[int | str, int, int, Path | None, str | None]:
        """(camera index or network address, width, height, recording path or None, drill name or None)."""
        width, height = self.resolution_box.currentData()
        record = Path(self.record_path.text()) if self.record_box.isChecked() and self.record_path.text() else None
        camera = self.camera_box.currentData()
        if camera == NETWORK_CAMERA:
            camera = self.address_box.text().strip()
        return camera, width, height, record, self.drill_box.currentData()
