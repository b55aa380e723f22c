"""``stsp-coach batch DIR_OR_LIST --out DIR [--workers N] [--ray ADDRESS]``: a club's archive in one go."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stsp_app.commands.video_arguments import add_capture_fps_argument
from stsp_app.epe.config import DEVICES, MODEL_VARIANTS

SUMMARY_FILE = "batch_summary.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "batch",
        help="analyse every video of a folder or list; resumable; one folder per video under DIR",
        description="Analyse every video of a folder (recursively) or of a list file (one path a line) with a pool "
                    "of worker processes, or on a Ray cluster. Each video goes to DIR/NAME-HASH/ (analysis/ and "
                    "keypoints.json, as `stsp-coach analyze` writes them); videos analysed before are skipped by "
                    "their content hash, interrupted ones continue, and a bad file is reported without stopping "
                    "the others. The summary is printed and written to DIR/batch_summary.json.",
    )
    parser.add_argument("source", type=Path, help="a folder of videos, a list file, or one video")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker processes (default: one per core); with --ray local, the CPUs Ray may use")
    parser.add_argument("--ray", metavar="ADDRESS", default=None,
                        help="run the analyses as tasks on the Ray cluster at ADDRESS (`ray start --head` prints it; "
                             "DIR must be a folder every node sees), or `local` for a Ray instance on this machine")
    parser.add_argument("--model", choices=MODEL_VARIANTS, default="full", help="landmark model size")
    parser.add_argument("--device", choices=DEVICES, default="auto")
    add_capture_fps_argument(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from stsp_app.batch_job import BatchSettings, default_workers, find_videos, run_batch, summary_json
    from stsp_app.core.atomic_write import ensure_writable_folder, write_text_atomic
    from stsp_app.errors import InputError

    workers = default_workers() if args.workers is None else args.workers
    if workers < 1:
        raise InputError(f"--workers {workers}: give 1 or more")
    videos = find_videos(args.source)
    ensure_writable_folder(args.out)
    settings = BatchSettings(model=args.model, device=args.device, capture_fps=args.capture_fps)
    with tqdm(total=len(videos), unit="video", desc="batch") as bar:
        def reported(outcome) -> None:
            bar.update(1)
            if outcome.failed:
                bar.write(f"failed: {outcome.message}")

        outcomes = run_batch(videos, args.out, settings, workers=workers, ray_address=args.ray,
                             on_outcome=reported)
    summary = summary_json(outcomes)
    write_text_atomic(args.out / SUMMARY_FILE, json.dumps(summary, indent=1) + "\n")
    counts = summary["counts"]
    print(f"{len(videos)} videos: {counts['analysed']} analysed, {counts['skipped']} skipped (analysed before), "
          f"{counts['failed']} failed. Summary: {args.out / SUMMARY_FILE}")
    for outcome in outcomes:
        if outcome.failed:
            print(f"  failed: {outcome.message}")
    return 1 if counts["failed"] else 0
