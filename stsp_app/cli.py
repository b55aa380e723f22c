"""The ``stsp-coach`` command: one console script, one module per subcommand under ``stsp_app.commands``.

Each command module exposes ``register(subparsers)``, which adds its parser and sets ``handler`` to a
function taking the parsed arguments and returning an exit code. Command modules import their heavy
dependencies inside the handler, so ``stsp-coach --help`` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
from contextlib import contextmanager

from stsp_app import __version__
from stsp_app.errors import UserFacingError, describe_os_error

# Modules under stsp_app.commands, in the order ``--help`` lists them.
COMMAND_MODULES: tuple[str, ...] = (
    "analyze",
    "batch",
    "drill",
    "child",
    "session",
    "export",
    "report",
    "bench",
    "eval_2d",
    "eval_filters",
    "gui",
    "measure_noise",
    "models",
    "train",
    "make_eval_clips",
    "eval_3d",
    "eval_drills",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stsp-coach",
        description="3D motion analysis of children's sport from video. With no subcommand, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"stsp_app.commands.{name}").register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        if args.command == "gui":
            return int(args.handler(args) or 0)  # Qt handles the window's end itself
        with sigterm_as_keyboard_interrupt():
            return int(args.handler(args) or 0)
    except UserFacingError as error:
        print(f"stsp-coach: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("stsp-coach: interrupted", file=sys.stderr)
        return 130
    except OSError as error:  # the disk, the permissions, the network: the user's to fix, in one line
        print(f"stsp-coach: error: {describe_os_error(error)}", file=sys.stderr)
        return 1


@contextmanager
def sigterm_as_keyboard_interrupt():
    """SIGTERM (a service manager, ``kill``, a closing terminal) stops a command as Ctrl-C does, so it keeps
    what it has made instead of dying with nothing."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
