"""``stsp-coach eval-drills``: the drills' metrics against ground truth (docs/RESULTS.md, "Drill metrics")."""

from __future__ import annotations

import argparse
import importlib

# Each part is a module of stsp_app.evaluation with ``validate(shared_data_dir) -> str`` (a Markdown report:
# what was compared, per-case rows, the summary against the targets).
VALIDATIONS: dict[str, str] = {
    "jumps": "jump_validation",
    "valgus": "valgus_validation",
    "squat": "squat_validation",
    "run": "run_validation",
    "throw-kick": "throw_kick_validation",
    "hand-held": "hand_held_validation",
    "turned": "turned_validation",
    "pitched": "pitched_validation",
    "absent": "absent_movement_validation",
    "landing-items": "landing_items_validation",
    "live": "live_validation",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-drills",
        help="measure the drills against ground truth (mocap jumps, hand-labelled foot events, squat reps …)",
        description="Validate the drill metrics on the shared data: mocap jumps through virtual cameras, the "
                    "sprint clips' hand-labelled foot events, the squat clip's reps, the jump clip's knee "
                    "angles measured by hand, the labelled clips as a phone held by hand films them, held askew, "
                    "pitched, every drill on held-out motions with and without its movement, the drop-jump's "
                    "landing angles and LESS items by camera view, and the drills run "
                    "live against the same drills on the video file.",
    )
    parser.add_argument("--part", choices=tuple(VALIDATIONS), action="append",
                        help="only this part (repeatable); default: all")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.core.paths import shared_data_dir

    for part in args.part or VALIDATIONS:
        module = importlib.import_module(f"stsp_app.evaluation.{VALIDATIONS[part]}")
        print(f"## {part}\n")
        print(module.validate(shared_data_dir()))
        print()
    return 0
