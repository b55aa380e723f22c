"""Work that takes seconds (a new session, a report) on a QThread of its own, so the window keeps answering;
its result, its cancellation or its failure comes back as a signal in plain words."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal

from stsp_app.errors import UserFacingError

log = logging.getLogger(__name__)


class BackgroundTask(QObject):
    finished = Signal(object)  # what ``work`` returned
    cancelled = Signal(str)    # ``work`` stopped on request (one of ``cancelled_by`` was raised)
    failed = Signal(str)       # one sentence for the coach

    def __init__(self, work: Callable[[], object], description: str,
                 cancelled_by: tuple[type[Exception], ...] = ()) -> None:
        super().__init__()
        self.work = work
        self.description = description  # "The report", as in "The report failed unexpectedly: …"
        self.cancelled_by = cancelled_by

    def run(self) -> None:
        try:
            result = self.work()
        except self.cancelled_by as cancellation:
            self.cancelled.emit(str(cancellation))
        except UserFacingError as error:
            self.failed.emit(str(error))
        except Exception as error:  # the interface must survive any failure and say what it was
            log.exception("%s failed", self.description)
            self.failed.emit(f"{self.description} failed unexpectedly: {error}")
        else:
            self.finished.emit(result)


def start_task_thread(task: BackgroundTask) -> QThread:
    """Run ``task.run`` on a new QThread that quits when the task is done, whichever way."""
    thread = QThread()
    task.moveToThread(thread)
    thread.started.connect(task.run)
    for signal in (task.finished, task.cancelled, task.failed):
        signal.connect(thread.quit)
    thread.start()
    return thread
