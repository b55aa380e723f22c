"""The drill result on screen and its marks: the drill panel, the markers on the seek slider and the lines on
the charts, all from one :class:`~stsp_app.presenters.drill_view.DrillView`.

A session opened from the records shows its stored result; on any other analysis the coach chooses a drill
(Analysis → Run drill), which runs again by itself when that video is analysed again.
"""

from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtCore import QObject

from stsp_app._qt.drill_panel import DrillPanel
from stsp_app.presenters.drill_view import DrillView, drill_view, run_drill_on


class DrillController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.panel = DrillPanel()
        self.panel.momentClicked.connect(window.clock.seek)
        self.drill: str | None = None                 # the drill chosen for the analysis on screen
        self.result: dict[str, Any] | None = None     # its result (JSON form), None when not found
        self.view: DrillView | None = None
        self._analysis = None                         # the analysis the result belongs to

    def show(self, drill: str, result: Mapping[str, Any] | None, note: str | None, analysis,
             kept_as_session: bool = False) -> None:
        """Show ``drill``'s result on ``analysis`` (or why there is none)."""
        self.drill, self.result, self._analysis = drill, None if result is None else dict(result), analysis
        self.view = drill_view(drill, result, note, kept_as_session)
        self.panel.set_view(self.view)
        self.apply_marks()

    def run(self, drill: str) -> None:
        """Run ``drill`` on the analysis on screen, with the height it was analysed with."""
        analysis = self.window.analysis
        if analysis is None:
            return
        result, note = run_drill_on(analysis, drill, None)
        self.show(drill, result, note, analysis)

    def follow_analysis(self) -> None:
        """After a new analysis of the video on screen: run the chosen drill on it."""
        if self.drill is not None and self.window.analysis is not None and self._analysis is not self.window.analysis:
            self.run(self.drill)

    def clear(self) -> None:
        self.drill = self.result = self.view = self._analysis = None
        self.panel.set_view(None)
        self.apply_marks()

    def marks(self) -> list[tuple[int, str]]:
        """(video frame, label) of the moments to mark."""
        return [] if self.view is None else [(moment.frame, moment.label) for moment in self.view.moments]

    def apply_marks(self) -> None:
        marks = self.marks()
        self.window.transport.slider.set_markers(marks)
        self.window.charts.set_moments(marks)
