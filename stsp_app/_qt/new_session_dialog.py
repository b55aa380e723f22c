"""New session for a child: a video file (or "Record from the camera…"), the drill, when it was filmed, the rate
a slow-motion video was filmed at, notes; and a sentence on what the child's height does to the analysis."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget)

from stsp_app.core.video_source import MAX_CAPTURE_FPS, VideoSource
from stsp_app.drills import DRILL_NAMES, get_drill
from stsp_app.errors import UserFacingError
from stsp_app.presenters.new_session import NewSessionRequest, height_sentence
from stsp_app.records import Child

VIDEO_FILTER = "Videos (*.mp4 *.avi *.mov *.mkv *.m4v *.webm);;All files (*)"
# The dialog's result when the coach chose to record from the camera instead of choosing a file.
RECORD_FROM_CAMERA = 2


class NewSessionDialog(QDialog):
    def __init__(self, child: Child, start_folder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"New session for {child.display_name}")
        self.child = child
        self._start_folder = start_folder
        self.video_box = QLineEdit()
        self.video_box.setPlaceholderText("a video file of the drill")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.camera_button = QPushButton("Record from the camera…")
        self.camera_button.setToolTip("Film the drill with the webcam; the recording is kept in the child's "
                                      "records and analysed when you stop")
        self.camera_button.clicked.connect(lambda: self.done(RECORD_FROM_CAMERA))
        video_row = QHBoxLayout()
        video_row.addWidget(self.video_box, 1)
        video_row.addWidget(browse)
        self.drill_box = QComboBox()
        for name in DRILL_NAMES:
            self.drill_box.addItem(get_drill(name).title, name)
        self.when_box = QDateTimeEdit(QDateTime.currentDateTime())
        self.when_box.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when_box.setCalendarPopup(True)
        self.when_box.setToolTip("When the video was filmed")
        self.slow_motion_box = QDoubleSpinBox()
        self.slow_motion_box.setRange(0.0, MAX_CAPTURE_FPS)
        self.slow_motion_box.setDecimals(0)
        self.slow_motion_box.setSingleStep(30.0)  # the arrows step through phones' rates: 30, 60, 120, 240 …
        self.slow_motion_box.setSuffix(" frames/s")
        self.slow_motion_box.setSpecialValueText("no: it plays as it was filmed")  # shown at 0
        self.slow_motion_box.setToolTip("A slow-motion video plays slower than it was filmed (120 or 240 "
                                        "frames/s on most phones): give that rate for real times and jump heights")
        self.notes_box = QLineEdit()
        height = QLabel(height_sentence(child))
        height.setWordWrap(True)
        height.setStyleSheet("color: #a0a0a0;")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #ff6060; font-weight: bold;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Analyse and save")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QFormLayout(self)
        layout.addRow("Video", video_row)
        layout.addRow("", self.camera_button)
        layout.addRow("Drill", self.drill_box)
        layout.addRow("Filmed on", self.when_box)
        layout.addRow("Slow motion, filmed at", self.slow_motion_box)
        layout.addRow("Notes", self.notes_box)
        layout.addRow(height)
        layout.addRow(self.error_label)
        layout.addRow(buttons)
        self.setMinimumWidth(560)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Video of the session", self._start_folder, VIDEO_FILTER)
        if path:
            self.video_box.setText(path)
            # A video filmed earlier: its file's time is a better guess than now.
            modified = datetime.fromtimestamp(Path(path).stat().st_mtime)
            self.when_box.setDateTime(QDateTime(modified))

    def request(self, video_path: Path | None = None) -> NewSessionRequest:
        """What was asked for; ``video_path``: a camera recording made now, instead of the chosen file."""
        if video_path is not None:
            return NewSessionRequest(self.child.id, video_path, self.drill_box.currentData(), self.notes_box.text())
        return NewSessionRequest(self.child.id, Path(self.video_box.text().strip()), self.drill_box.currentData(),
                                 self.notes_box.text(), self.when_box.dateTime().toPython().astimezone(),
                                 self.slow_motion_box.value() or None)

    def accept(self) -> None:
        path = Path(self.video_box.text().strip())
        if not self.video_box.text().strip() or not path.is_file():
            self.error_label.setText("Choose a video file (or record from the camera)." if not
                                     self.video_box.text().strip() else f"{path}: no such video file.")
            self.error_label.show()
            return
        if self.slow_motion_box.value():
            try:  # a rate the video cannot have been filmed at: said here, before any analysis
                VideoSource(path, capture_fps=self.slow_motion_box.value()).close()
            except UserFacingError as error:
                self.error_label.setText(str(error))
                self.error_label.show()
                return
        super().accept()
