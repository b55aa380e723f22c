"""Compare two sessions of a child, or two reps of one session: one joint angle's curves overlaid on the same
axes, time zero at the start of each or at a moment both have, with a legend naming them."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from stsp_app._qt.charts_panel import MOMENT_RGB
from stsp_app.core.analysis import VideoAnalysis
from stsp_app.errors import UserFacingError
from stsp_app.kinematics.joint_angles import ANGLE_LABELS
from stsp_app.presenters.comparison import (ALIGN_AT_START, Span, alignments, overlay, rep_labels, rep_spans,
                                           session_span)
from stsp_app.presenters.sessions import session_title
from stsp_app.records import Session

TWO_SESSIONS, TWO_REPS = "Two sessions", "Two reps of one session"
# The second curve is dashed, so that both show where they coincide.
CURVE_PENS = (pg.mkPen((250, 210, 60), width=2.5),
              pg.mkPen((90, 200, 255), width=2.5, style=Qt.PenStyle.DashLine))
DEFAULT_ANGLE = "left_knee_flexion"


class CompareDialog(QDialog):
    """``load_analysis`` reads a session's analysis (each is read once)."""

    def __init__(self, child_name: str, sessions: list[Session], load_analysis: Callable[[Session], VideoAnalysis],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Compare: {child_name}")
        self.resize(860, 560)
        self._load_analysis = load_analysis
        self._analyses: dict[int, VideoAnalysis] = {}
        self._sessions = [session for session in sessions if session.analysis_path is not None]
        self._with_reps = [session for session in self._sessions
                           if session.drill_result is not None and len(session.drill_result.get("reps", [])) >= 2]
        self._choices: list[tuple[str, Callable[[], Span]]] = []  # (label, its span when chosen)
        self._spans: dict[int, Span] = {}  # the spans made so far, by choice
        self._problem: str | None = None
        self.mode_box = QComboBox()
        self.mode_box.addItems([TWO_SESSIONS, TWO_REPS])
        self.session_box = QComboBox()
        for session in self._with_reps:
            self.session_box.addItem(self._name(session), session.id)
        self.first_box, self.second_box = QComboBox(), QComboBox()
        self.angle_box = QComboBox()
        for name, label in ANGLE_LABELS.items():
            self.angle_box.addItem(label, name)
        self.angle_box.setCurrentIndex(self.angle_box.findData(DEFAULT_ANGLE))
        self.align_box = QComboBox()
        self.align_box.setToolTip("Time zero: the start of each, or a moment both have")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.plot = pg.PlotWidget()
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.addLegend(offset=(10, 10), brush=(0, 0, 0, 180), labelTextColor=(235, 235, 235))
        self.plot.setLabel("left", "angle", units="°")
        form = QFormLayout()
        form.addRow("Compare", self.mode_box)
        form.addRow("Session", self.session_box)
        form.addRow("First", self.first_box)
        form.addRow("Second", self.second_box)
        form.addRow("Angle", self.angle_box)
        form.addRow("Time zero at", self.align_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.plot, 1)
        self._form = form
        self.mode_box.currentTextChanged.connect(self._fill_choices)
        self.session_box.currentIndexChanged.connect(self._fill_choices)
        for box in (self.first_box, self.second_box):
            box.currentIndexChanged.connect(self._fill_alignments)
        self.angle_box.currentIndexChanged.connect(self._draw)
        self.align_box.currentIndexChanged.connect(self._draw)
        self._fill_choices()

    @staticmethod
    def _name(session: Session) -> str:
        return f"{session_title(session)} (#{session.id})"

    def _analysis(self, session: Session) -> VideoAnalysis:
        """A session's analysis, read the first time it is needed."""
        if session.id not in self._analyses:
            self._analyses[session.id] = self._load_analysis(session)
        return self._analyses[session.id]

    def _fill_choices(self) -> None:
        """What the two choosers offer: the child's sessions, or the reps of the chosen session. A session's
        analysis is read only once it is chosen."""
        reps = self.mode_box.currentText() == TWO_REPS
        self._form.setRowVisible(self.session_box, reps)
        self._choices, self._spans, self._problem = [], {}, None
        if reps:
            session = next((s for s in self._with_reps if s.id == self.session_box.currentData()), None)
            if session is not None:
                self._choices = [(label, lambda number=number, session=session: rep_spans(
                    self._analysis(session), session.drill_result)[number])
                    for number, label in enumerate(rep_labels(session.drill_result))]
        else:
            self._choices = [(self._name(session), lambda session=session: session_span(
                self._name(session), self._analysis(session), session.drill_result)) for session in self._sessions]
        for box in (self.first_box, self.second_box):
            box.blockSignals(True)
            box.clear()
            box.addItems([label for label, _ in self._choices])
            box.blockSignals(False)
        if len(self._choices) >= 2:
            # Sessions: the two latest (newest second); reps: the first two.
            first, second = (0, 1) if reps else (len(self._choices) - 2, len(self._choices) - 1)
            self.first_box.setCurrentIndex(first)
            self.second_box.setCurrentIndex(second)
        self._fill_alignments()

    def _span(self, index: int) -> Span:
        if index not in self._spans:
            self._spans[index] = self._choices[index][1]()
        return self._spans[index]

    def _chosen(self) -> tuple[Span, Span] | None:
        """The two spans chosen, or None (fewer than two to choose from, or an analysis that cannot be read:
        ``_problem`` says which)."""
        if len(self._choices) < 2:
            return None
        try:
            return self._span(self.first_box.currentIndex()), self._span(self.second_box.currentIndex())
        except UserFacingError as error:
            self._problem = f"Cannot compare: {error}"
            return None

    def _fill_alignments(self) -> None:
        chosen = self._chosen()
        current = self.align_box.currentText()
        self.align_box.blockSignals(True)
        self.align_box.clear()
        self.align_box.addItems(alignments(*chosen) if chosen else [ALIGN_AT_START])
        index = self.align_box.findText(current)
        self.align_box.setCurrentIndex(max(index, 0))
        self.align_box.blockSignals(False)
        self._draw()

    def _draw(self) -> None:
        self.plot.clear()
        chosen = self._chosen()
        if chosen is None:
            reps = self.mode_box.currentText() == TWO_REPS
            self.message.setText(self._problem or (
                "No session has two reps or more to compare (a squat set, a series of jumps)." if reps else
                "Comparing needs two sessions with an analysis."))
            return
        if chosen[0] is chosen[1]:
            self.message.setText("Choose two different ones to compare.")
        else:
            self.message.setText("")
        angle = self.angle_box.currentData()
        alignment = self.align_box.currentText()
        for pen, curve in zip(CURVE_PENS, overlay(*chosen, angle, alignment)):
            self.plot.plot(curve.time_s, curve.degrees, pen=pen, name=curve.label, connect="finite")
        if alignment == ALIGN_AT_START:
            self.plot.setLabel("bottom", "time from the start", units="s")
        else:
            self.plot.setLabel("bottom", f"time from the {alignment}", units="s")
            self.plot.addItem(pg.InfiniteLine(0.0, angle=90, movable=False, label=alignment,
                                              pen=pg.mkPen(MOMENT_RGB, width=1.5, style=Qt.PenStyle.DashLine),
                                              labelOpts={"position": 0.95, "color": MOMENT_RGB}))
        self.plot.setTitle(ANGLE_LABELS[angle])
