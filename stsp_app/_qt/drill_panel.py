"""The drill panel beside the charts: the drill's metrics in words (± and units, per rep too), its moments
(click one to go there) and its notes, or a sentence saying the movement was not found."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QTextBrowser, QVBoxLayout, QWidget

from stsp_app.presenters.drill_view import DrillView

# The moments list shows this many lines at most (it scrolls beyond).
MOMENT_ROWS_SHOWN = 6


def metrics_html(view: DrillView) -> str:
    """The metrics as a list, then each rep's under its title, then the notes in grey."""
    parts = ["<ul style='margin-left: -22px'>" + "".join(f"<li>{escape(line)}</li>" for line in view.metric_lines)
             + "</ul>"]
    for rep in view.reps:
        parts.append(f"<p style='margin-bottom: 0'><b>{escape(rep.title)}</b></p><ul style='margin-left: -22px'>"
                     + "".join(f"<li>{escape(line)}</li>" for line in rep.metric_lines) + "</ul>")
    if view.notes:
        parts.append("<p style='color: #a0a0a0'>" + "<br>".join(escape(note) for note in view.notes) + "</p>")
    return "".join(parts)


class DrillPanel(QWidget):
    momentClicked = Signal(int)  # a video frame

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumWidth(260)
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.metrics_text = QTextBrowser()
        self.moments_label = QLabel("Moments (click one to go there)")
        self.moments_list = QListWidget()
        self.moments_list.itemClicked.connect(self._on_moment)
        self.moments_list.itemActivated.connect(self._on_moment)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 4, 4)
        layout.addWidget(self.title_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.metrics_text, 1)
        layout.addWidget(self.moments_label)
        layout.addWidget(self.moments_list)
        layout.addStretch(0)  # keeps a lone sentence at the top when there are no metrics
        self.set_view(None)

    def set_view(self, view: DrillView | None) -> None:
        """Show a drill's result (None hides the panel)."""
        self.setVisible(view is not None)
        self.moments_list.clear()
        if view is None:
            self.metrics_text.clear()
            return
        self.title_label.setText(view.title)
        self.summary_label.setText(view.summary)
        self.summary_label.setVisible(bool(view.summary))
        self.summary_label.setStyleSheet("" if view.found else "color: #ffb060; font-weight: bold;")
        self.metrics_text.setHtml(metrics_html(view))
        self.metrics_text.setVisible(view.found)
        for moment in view.moments:
            item = QListWidgetItem(f"{moment.time_s:5.2f} s   {moment.label}")
            item.setData(Qt.ItemDataRole.UserRole, moment.frame)
            self.moments_list.addItem(item)
        self.moments_label.setVisible(bool(view.moments))
        self.moments_list.setVisible(bool(view.moments))
        if view.moments:  # as tall as its lines, up to a few: the metrics keep the rest
            rows = min(len(view.moments), MOMENT_ROWS_SHOWN)
            self.moments_list.setFixedHeight(rows * self.moments_list.sizeHintForRow(0)
                                             + 2 * self.moments_list.frameWidth() + 2)

    def _on_moment(self, item: QListWidgetItem) -> None:
        self.momentClicked.emit(int(item.data(Qt.ItemDataRole.UserRole)))
