"""Analysis → Filmed in slow motion…: the rate a slow-motion video was filmed at (``VideoSource``'s
``capture_fps``), so that the analysis, the charts and the drills run on real time."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QInputDialog, QWidget

from stsp_app.core.video_source import MAX_CAPTURE_FPS, VideoSource


def slow_motion_dialog(parent: QWidget, video: VideoSource, on_chosen: Callable[[float], None]) -> QInputDialog:
    """A dialog (not yet shown: call ``open()``) asking the filming rate of ``video``; ``on_chosen(fps)`` once the
    coach accepts (the file's own rate: it plays as filmed)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle("Filmed in slow motion")
    dialog.setLabelText(
        f"This video plays at {video.file_fps:.4g} frames/s. A slow-motion video was filmed faster than it plays "
        "(120 or 240 frames/s on most phones):\nat how many frames per second was it filmed?\n\n"
        f"Times, speeds and jump heights are then real time. Leave {video.file_fps:.4g} for a video that plays as "
        "it was filmed.")
    dialog.setInputMode(QInputDialog.InputMode.DoubleInput)
    dialog.setDoubleRange(round(video.file_fps, 2), MAX_CAPTURE_FPS)
    dialog.setDoubleDecimals(2)
    dialog.setDoubleValue(video.fps)
    dialog.doubleValueSelected.connect(on_chosen)
    return dialog
