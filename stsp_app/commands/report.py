"""``stsp-coach report CHILD [--session ID ...] [--out report.pdf] [--no-face-blur]``: a child's motion report.

The child is named as in ``stsp-coach child``. Everything is checked before the work (the child, their
sessions, the sessions asked for, the output file): bad input ends with one line and writes nothing. Without
``--out`` the PDF goes to the child's reports folder in the data folder, deleted with the child.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report",
        help="write a child's motion report (PDF): profile, metrics with ±, key frames, angles, trends",
        description="Write a PDF for a parent or a physiotherapist: the child's profile; per session the "
                    "drill's metrics with their uncertainty and, where a published one fits, the reference range "
                    "with its source; key frames with the skeleton and faces blurred; joint angles and the "
                    "jitter trace; trends over the sessions; short plain-language notes. What each page holds: "
                    "docs/formats.md, 'Report'.",
    )
    parser.add_argument("name", metavar="CHILD", help="the child's display name (any case)")
    parser.add_argument("--session", type=int, action="append", dest="sessions", metavar="ID",
                        help="report only this session (repeat for several; default: all the child's sessions)")
    parser.add_argument("--out", type=Path, default=None, metavar="REPORT_PDF",
                        help="where to write the PDF (default: the child's reports folder in the data folder)")
    parser.add_argument("--no-face-blur", action="store_true",
                        help="leave faces in the pictures unblurred (they are blurred by default)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.records import RecordStore
    from stsp_app.report import check_request, write_report

    with RecordStore() as store:
        child = store.child_named(args.name)
        check_request(store, child.id, args.out, args.sessions)
        path = write_report(store, child.id, args.out, session_ids=args.sessions,
                            blur_faces=not args.no_face_blur)
        count = len(args.sessions) if args.sessions else store.count_sessions(child.id)
    print(f"Wrote the motion report of {child.display_name} ({count} session{'s' if count != 1 else ''}): {path}")
    if args.no_face_blur:
        print("Note: faces are NOT blurred in this report's pictures (--no-face-blur).")
    return 0
