"""``stsp-coach eval-3d CLIPS_DIR``: 3D accuracy and smoothness of the lifter on evaluation clips."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stsp_app.lifting.model_files import MODEL_CHOICES, OFFLINE_MODEL


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval-3d", help="measure the 2D->3D lifter on clips (*.npz from make-eval-clips)",
        description="Runs the lifter on the 2D keypoints of every *.npz clip in CLIPS_DIR and prints MPJPE, "
                    "P-MPJPE, PCK3D@150mm, AUC, smoothness, acceleration and velocity errors, and joint-angle errors "
                    "(docs/metrics.md).",
    )
    parser.add_argument("clips_dir", type=Path, metavar="CLIPS_DIR")
    parser.add_argument("--window", type=int, metavar="N",
                        help="the TMP window tau the models must have been trained with (checked; default: theirs)")
    parser.add_argument("--model", default=OFFLINE_MODEL, choices=MODEL_CHOICES,
                        help=f"which lifter to run (default {OFFLINE_MODEL}, as for a whole video; gsr-tmp is the "
                             "causal live one; baselines need their ONNX files in --models-dir)")
    parser.add_argument("--models-dir", type=Path, help="folder of lifting_*.onnx files (default: the shipped models/)")
    parser.add_argument("--known-stature", action="store_true",
                        help="give the lifter each person's stature (from the clip's ground truth), as when the "
                             "coach types in the child's height")
    parser.add_argument("--no-mirror-average", action="store_true",
                        help="lift the 2D as it is only, without averaging with the lifted mirror image "
                             "(docs/lifting.md)")
    parser.add_argument("--json", action="store_true", help="print only the JSON object")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.core.environment import machine_description
    from stsp_app.core.paths import REPO_MODELS_DIR
    from stsp_app.errors import InputError
    from stsp_app.evaluation.lifting_eval import evaluate_clips_dir
    from stsp_app.lifting.lifter import Lifter

    if not Path(args.clips_dir).is_dir():
        raise InputError(f"clips folder not found: {args.clips_dir}")
    lifter = Lifter(args.model, args.models_dir or REPO_MODELS_DIR, mirror_average=not args.no_mirror_average)
    if args.window is not None:
        if not args.model.startswith("gsr-tmp"):
            raise InputError("--window applies to the gsr-tmp models only")
        if args.window != lifter.tau:
            raise InputError(f"the TMP model was trained with a window of {lifter.tau} frames, not {args.window}; "
                             f"train one with `stsp-coach train --tau {args.window} --out DIR` "
                             "and pass --models-dir DIR")
    result = evaluate_clips_dir(args.clips_dir, lifter, known_stature=args.known_stature)
    result["measured_on"] = machine_description()
    if not args.json:
        print(f"{'measured on':>22}: {result['measured_on']}")
        for key in ("mpjpe_mm", "pmpjpe_mm", "pck3d_150", "auc", "ts_mm_per_frame2", "ts_gt_mm_per_frame2",
                    "accel_err", "mpjve_mm"):
            print(f"{key:>22}: {result[key]}")
        for family, errors in result["angles"].items():
            print(f"{family:>22}: " + ", ".join(f"{name} {value}" for name, value in errors.items()))
        for band, facing in result["facing"]["view_by_band"].items():
            print(f"{'facing, view ' + band:>22}: " + ", ".join(f"{name} {value}" for name, value in facing.items()))
    print(json.dumps(result))
    return 0
