"""The motion report: a PDF of a child's profile, sessions, drill metrics, trends and key frames.

Entry point: :func:`write_report` (the records, a child, optionally the sessions and where to write) → the PDF's
path. The app's Report button and ``stsp-coach report`` both call it. Checks that fail before any work
(:func:`check_request`: unknown child, a child without sessions, a session of another child, an output that
cannot be written) raise :class:`~stsp_app.errors.InputError` with one sentence.

Modules: ``content`` (what the report says, as plain values: :func:`~stsp_app.report.content.build_report`),
``references`` (published reference bands and their sources), ``notes`` (plain-language sentences),
``formatting`` (numbers rounded to their ±, units), ``key_frames`` (the pictures, faces blurred), ``plots``
(matplotlib charts as PNG bytes), ``pdf`` (the reportlab layout). What each page holds: docs/formats.md, "Report".
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from stsp_app.core.atomic_write import atomic_path, ensure_writable_folder
from stsp_app.errors import InputError
from stsp_app.records import RecordStore
from stsp_app.records.data_folder import REPORTS_FOLDER
from stsp_app.report.content import Report, build_report, select_sessions

__all__ = ["Report", "build_report", "check_request", "default_report_path", "write_report"]


def default_report_path(store: RecordStore, child_id: int, now: datetime | None = None) -> Path:
    """``CHILD_FOLDER/reports/report_YYYY-MM-DD_HHMM.pdf`` in the data folder (deleted with the child), with
    ``_2``, ``_3`` … added when a report of that minute exists."""
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M")
    folder = store.child_folder(child_id) / REPORTS_FOLDER
    path = folder / f"report_{stamp}.pdf"
    number = 2
    while path.exists():
        path = folder / f"report_{stamp}_{number}.pdf"
        number += 1
    return path


def check_request(store: RecordStore, child_id: int, out_path: Path | None,
                  session_ids: list[int] | None = None) -> None:
    """Everything that can be checked before the work: the child, their sessions, the output file."""
    select_sessions(store, child_id, session_ids)
    if out_path is not None:
        check_writable(Path(out_path))


def check_writable(out_path: Path) -> None:
    """A PDF can be written at ``out_path``: a ``.pdf`` name, not a folder, in a folder where files can be
    created (made if missing)."""
    if out_path.is_dir():
        raise InputError(f"{out_path}: a folder; give the report's file name (ending in .pdf)")
    if out_path.suffix.lower() != ".pdf":
        raise InputError(f"{out_path}: give the report a name ending in .pdf")
    if out_path.exists() and not os.access(out_path, os.W_OK):
        raise InputError(f"{out_path}: the file exists and cannot be replaced")
    ensure_writable_folder(out_path.parent)


def write_report(store: RecordStore, child_id: int, out_path: Path | None = None, *,
                 session_ids: list[int] | None = None, blur_faces: bool = True) -> Path:
    """Write the motion report of a child's sessions (all of them, or ``session_ids``) as a PDF and return its
    path: ``out_path``, or by default a new file in the child's reports folder (:func:`default_report_path`).
    Faces are blurred in every picture unless ``blur_faces`` is False. The PDF is written to a temporary file
    beside the destination and renamed over it when complete."""
    from stsp_app.report.pdf import write_pdf

    out_path = Path(out_path) if out_path is not None else default_report_path(store, child_id)
    check_request(store, child_id, out_path, session_ids)
    report = build_report(store, child_id, session_ids, blur_faces=blur_faces)
    with atomic_path(out_path) as temporary:
        with open(temporary, "wb") as stream:
            write_pdf(report, stream)
    return out_path
