"""The Report… action: a child's motion report (``stsp_app.report.write_report``), written off the interface
thread with a records connection of its own (a RecordStore serves the thread that opened it)."""

from __future__ import annotations

from pathlib import Path

from stsp_app.records import RecordStore
from stsp_app.report import write_report

REPORT_TIP = "Write the selected child's motion report (PDF) into their folder"


def write_child_report(database_path: Path, child_id: int, blur_faces: bool) -> Path:
    """Write every session of the child into a PDF in their reports folder; returns its path."""
    with RecordStore(database_path) as store:
        return write_report(store, child_id, out_path=None, session_ids=None, blur_faces=blur_faces)
