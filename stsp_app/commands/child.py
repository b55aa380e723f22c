"""``stsp-coach child add|edit|list|show|delete``: children's profiles in the records.

Children are addressed by their display name (any case). The records live in the per-user data folder
(docs/formats.md, "Records"); ``XDG_DATA_HOME`` moves it.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stsp_app.records import Consent


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "child", help="add, edit, list, show or delete a child's profile in the records",
        description="Children's profiles in the records (personal data, stored on this computer only).")
    actions = parser.add_subparsers(dest="child_action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a child", description="Add a child to the records.")
    add.add_argument("name", metavar="NAME", help="display name or pseudonym (unique, whatever its case)")
    _profile_options(add)
    add.set_defaults(handler=run_add)

    edit = actions.add_parser("edit", help="change a child's profile",
                              description="Change a child's profile; what is not given stays as it is.")
    edit.add_argument("name", metavar="NAME")
    edit.add_argument("--rename", metavar="NEW", help="a new display name")
    _profile_options(edit)
    edit.set_defaults(handler=run_edit)

    listing = actions.add_parser("list", help="list the children (or those whose name contains TEXT)")
    listing.add_argument("--search", metavar="TEXT", default="", help="only names containing TEXT (any case)")
    listing.add_argument("--json", action="store_true", help="one JSON list on stdout")
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", help="a child's profile and sessions")
    show.add_argument("name", metavar="NAME")
    show.add_argument("--json", action="store_true", help="one JSON object on stdout")
    show.set_defaults(handler=run_show)

    delete = actions.add_parser(
        "delete", help="delete a child with all of their sessions and files",
        description="Delete a child, all of their sessions and every file the app made for them (analyses, "
                    "exports, reports). Asks first on a terminal; scripts must pass --yes.")
    delete.add_argument("name", metavar="NAME")
    delete.add_argument("--yes", action="store_true", help="do not ask")
    delete.set_defaults(handler=run_delete)


def _profile_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--birth-year", type=int, metavar="Y")
    parser.add_argument("--height-cm", type=float, metavar="H",
                        help="height in centimetres: the metric scale of every session's 3D")
    parser.add_argument("--sex", type=str.upper, choices=("F", "M"))
    parser.add_argument("--dominant", type=str.lower, choices=("left", "right"), help="dominant side")
    parser.add_argument("--body-mass-kg", type=float, metavar="M")
    parser.add_argument("--notes", metavar="TEXT")
    parser.add_argument("--consent-date", metavar="YYYY-MM-DD", help="when consent was given (with --consent-by)")
    parser.add_argument("--consent-by", metavar="WHO", help="who gave consent (with --consent-date)")


def run_add(args: argparse.Namespace) -> int:
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        child = store.add_child(
            args.name, birth_year=args.birth_year, sex=args.sex, height_cm=args.height_cm,
            body_mass_kg=args.body_mass_kg, dominant_side=args.dominant, notes=args.notes or "",
            consent=_consent(args, None))
    print(f"Added {child.display_name} (id {child.id}).")
    if child.height_cm is None:
        print("  No height recorded: sessions will scale the 3D from learnt proportions "
              f"(stsp-coach child edit {_quoted(child.display_name)} --height-cm H).")
    return 0


def run_edit(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from stsp_app.records import RecordStore

    with RecordStore() as store:
        child = store.child_named(args.name)
        changes = {"display_name": args.rename, "birth_year": args.birth_year, "sex": args.sex,
                   "height_cm": args.height_cm, "body_mass_kg": args.body_mass_kg,
                   "dominant_side": args.dominant, "notes": args.notes, "consent": _consent(args, child.consent)}
        changes = {field: value for field, value in changes.items() if value is not None}
        child = store.update_child(replace(child, **changes))
    print(f"Updated {child.display_name}.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    from stsp_app.commands.records_text import child_line
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        children = [(child, store.count_sessions(child.id)) for child in store.find_children(args.search)]
        where = store.path
    if args.json:
        print(json.dumps([{**child.to_json_dict(), "sessions": count} for child, count in children]))
        return 0
    for child, count in children:
        print(child_line(child, count))
    if not children:
        print(f"No child{' whose name contains ' + repr(args.search) if args.search else ''} in the records.")
    print(f"({len(children)} in {where})")
    return 0


def run_show(args: argparse.Namespace) -> int:
    from stsp_app.commands.records_text import child_profile, session_line
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        child = store.child_named(args.name)
        sessions = store.sessions_of(child.id)
        folder = store.child_folder(child.id)
    if args.json:
        print(json.dumps({**child.to_json_dict(), "folder": str(folder),
                          "sessions": [session.to_json_dict() for session in sessions]}))
        return 0
    print("\n".join(child_profile(child)))
    print(f"  files:          {folder}")
    print(f"Sessions ({len(sessions)}):" if sessions else "No sessions yet.")
    for session in sessions:
        print("  " + session_line(session))
    return 0


def run_delete(args: argparse.Namespace) -> int:
    from stsp_app.commands.records_text import confirmed
    from stsp_app.records import RecordStore

    with RecordStore() as store:
        child = store.child_named(args.name)
        count = store.count_sessions(child.id)
        question = f"Delete {child.display_name} and all {count} session{'s' if count != 1 else ''}?"
        if not confirmed(question, args.yes):
            print("Nothing was deleted.")
            return 1
        store.delete_child(child.id)
    print(f"Deleted {child.display_name}, {count} session{'s' if count != 1 else ''} and their files.")
    return 0


def _consent(args: argparse.Namespace, current: Consent | None) -> Consent | None:
    """The consent the options give (completing ``current`` when only one of the two is given), or
    ``current`` when they give none."""
    from stsp_app.errors import InputError
    from stsp_app.records import Consent
    from stsp_app.records.validation import parse_date

    if args.consent_date is None and args.consent_by is None:
        return current
    if current is None and (args.consent_date is None or args.consent_by is None):
        raise InputError("consent: give both --consent-date YYYY-MM-DD and --consent-by WHO")
    when = current.date if args.consent_date is None else parse_date(args.consent_date, "--consent-date")
    return Consent(when, current.given_by if args.consent_by is None else args.consent_by)


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name
