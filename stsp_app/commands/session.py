"""``stsp-coach session add|list|show|edit|delete``: a child's filmed sessions in the records.

``session add`` analyses the video with the child's height (unless the same video was analysed with the
same settings before), runs the drill and stores the session with its analysis and result.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stsp_app.commands.video_arguments import add_capture_fps_argument
from stsp_app.drills import DRILL_NAMES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "session", help="add, list, show, edit or delete a child's sessions (video, analysis, drill result)",
        description="A child's filmed sessions in the records.")
    actions = parser.add_subparsers(dest="session_action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add", help="analyse a video of a child (unless done before), run a drill, store the session",
        description="Analyse VIDEO with the child's height as the 3D scale (an earlier analysis of the same "
                    "video with the same settings is reused), run the drill and store the session.")
    add.add_argument("name", metavar="NAME", help="the child's display name")
    add.add_argument("video", type=Path, metavar="VIDEO")
    add.add_argument("--drill", choices=DRILL_NAMES, required=True)
    add.add_argument("--notes", metavar="TEXT", default="", help="the coach's notes")
    add.add_argument("--date", metavar="YYYY-MM-DD[THH:MM]", help="when the video was filmed (default: now)")
    add_capture_fps_argument(add)
    add.add_argument("--json", action="store_true", help="end with the stored session as one JSON line")
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help="a child's sessions, oldest first")
    listing.add_argument("name", metavar="NAME")
    listing.add_argument("--json", action="store_true", help="one JSON list on stdout")
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", help="one session: video, analysis, drill result, notes")
    show.add_argument("id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="one JSON object on stdout")
    show.set_defaults(handler=run_show)

    edit = actions.add_parser("edit", help="change a session's notes")
    edit.add_argument("id", type=int, metavar="ID")
    edit.add_argument("--notes", metavar="TEXT", required=True, help="the coach's notes (replace the old ones)")
    edit.set_defaults(handler=run_edit)

    delete = actions.add_parser("delete", help="delete a session and its files",
                                description="Delete a session and its files (analysis, exports). Asks first "
                                            "on a terminal; scripts must pass --yes.")
    delete.add_argument("id", type=int, metavar="ID")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(handler=run_delete)


def run_add(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from stsp_app.core.analysis_cache import AnalysisCache
    from stsp_app.records import RecordStore, SessionWorkflow
    from stsp_app.records.validation import parse_date_time

    recorded_at = None if args.date is None else parse_date_time(args.date, "--date")
    with RecordStore() as store:
        child = store.child_named(args.name)
        workflow = SessionWorkflow(store, AnalysisCache())
        with tqdm(unit="frame", desc=args.video.name, leave=False, disable=None) as bar:  # no bar off a terminal
            def progress(done: int, total: int) -> None:
                bar.total = total
                bar.update(done - bar.n)

            added = workflow.add_session(child, args.video, args.drill, coach_notes=args.notes,
                                         recorded_at=recorded_at, capture_fps=args.capture_fps,
                                         on_progress=progress)
    session = added.session
    if added.reused_from is not None:
        print(f"Reused an earlier analysis of this video ({added.reused_from}, same settings).")
    else:
        analysis = added.analysis
        print(f"Analysed {len(analysis.frames)} frames of {args.video.name}; "
              f"{child.display_name} found in {analysis.frames_with_person}.")
    if session.stature_mm is not None:
        print(f"3D scaled to {child.display_name}'s height, {session.stature_mm / 10:g} cm.")
    else:
        print(f"{child.display_name}'s height is not recorded: 3D scaled from learnt proportions.")
    _print_drill(session)
    print(f"Saved session {session.id} for {child.display_name} "
          f"({session.recorded_at.strftime('%Y-%m-%d %H:%M')}).")
    if args.json:
        print(json.dumps(session.to_json_dict(), separators=(",", ":")))
    return 0


def run_list(args: argparse.Namespace) -> int:
    from stsp_app.commands.records_text import session_line
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        child = store.child_named(args.name)
        sessions = store.sessions_of(child.id)
    if args.json:
        print(json.dumps([session.to_json_dict() for session in sessions]))
        return 0
    print(f"{child.display_name}: {len(sessions)} session{'s' if len(sessions) != 1 else ''}")
    for session in sessions:
        print("  " + session_line(session))
    return 0


def run_show(args: argparse.Namespace) -> int:
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        session = store.get_session(args.id)
        child = store.get_child(session.child_id)
    if args.json:
        print(json.dumps({**session.to_json_dict(), "child": child.display_name}))
        return 0
    print(f"Session {session.id} of {child.display_name}, {session.recorded_at.strftime('%Y-%m-%d %H:%M')}")
    if session.video_path:
        content = f" (sha256 {session.video_sha256[:12]}…)" if session.video_sha256 else ""
        print(f"  video:     {session.video_path}{content}")
    if session.analysis_path:
        scale = "learnt proportions" if session.stature_mm is None else f"height {session.stature_mm / 10:g} cm"
        print(f"  analysis:  {session.analysis_path} (3D scale: {scale})")
    if session.coach_notes:
        print(f"  notes:     {session.coach_notes}")
    _print_drill(session)
    return 0


def _print_drill(session) -> None:
    """The session's drill result, or why the drill found no movement (nothing for a session without a drill)."""
    from stsp_app.commands.drill import format_result

    if session.drill_result is not None:
        print(format_result(session.drill_result))
    elif session.drill is not None:
        print(f"{session.drill}: {session.drill_note}")


def run_edit(args: argparse.Namespace) -> int:
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        session = store.set_session_notes(args.id, args.notes)
    print(f"Updated the notes of session {session.id}.")
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from stsp_app.commands.records_text import confirmed
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        session = store.get_session(args.id)
        child = store.get_child(session.child_id)
        question = (f"Delete session {session.id} of {child.display_name} "
                    f"({session.recorded_at.strftime('%Y-%m-%d')}, {session.drill or 'no drill'})?")
        if not confirmed(question, args.yes):
            print("Nothing was deleted.")
            return 1
        store.delete_session(session.id)
    print(f"Deleted session {session.id} and its files.")
    return 0
