"""How responsive the interface is: a timer on the interface thread that records the gaps between its ticks.

A gap much longer than the timer's interval means the event loop was held up that long (a paint, a chart
refresh, a garbage collection...), and nothing the user did was answered meanwhile. Used by
``stsp-coach gui --report-timing`` and by the interface tests.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QTimer


class EventLoopProbe:
    def __init__(self, interval_ms: int = 10, long_gap_s: float = 0.06,
                 describe: Callable[[], str] = lambda: "") -> None:
        self.gaps_s: list[float] = []
        self.long_gaps: list[str] = []  # "<gap> ms at <describe()>", for gaps over long_gap_s
        self._long_gap_s = long_gap_s
        self._describe = describe
        self._last_s: float | None = None
        self._timer = QTimer()
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now_s = time.monotonic()
        if self._last_s is not None:
            self.gaps_s.append(now_s - self._last_s)
            if self.gaps_s[-1] > self._long_gap_s:
                self.long_gaps.append(f"{self.gaps_s[-1] * 1000:.0f} ms at {self._describe()}")
        self._last_s = now_s

    def start(self) -> None:
        self._last_s = None
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()


def summary_ms(values_s: list[float]) -> str:
    """'median 10 ms, 95th percentile 12 ms, 99th percentile 20 ms, max 31 ms (n=500)' of durations in seconds."""
    if not values_s:
        return "none measured"
    values_ms = np.asarray(values_s) * 1000.0
    median, p95, p99 = np.percentile(values_ms, [50, 95, 99])
    return (f"median {median:.0f} ms, 95th percentile {p95:.0f} ms, 99th percentile {p99:.0f} ms, "
            f"max {values_ms.max():.0f} ms (n={len(values_ms)})")
