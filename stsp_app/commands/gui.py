"""``stsp-coach gui``: the desktop application (built in issue 4)."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gui", help="start the desktop app (the default with no subcommand)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print("The STSP Coach desktop app is not built yet; use `stsp-coach analyze VIDEO --out DIR` meanwhile.")
    return 0
