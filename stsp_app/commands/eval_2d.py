"""``stsp-coach eval-2d``: the EPE stage under degraded footage and on labelled frames (docs/RESULTS.md)."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval-2d", help="robustness of the 2D stage on real footage, and PCK on labels")
    parser.add_argument("videos", type=Path, nargs="*", help="clips (default: basketball and pedestrians)")
    parser.add_argument("--frames", type=int, default=300, help="at most N frames of each clip")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tables", choices=("enhancement", "decoders", "labelled", "sides", "tracking", "all"),
                        default="all",
                        help="which tables (sides: left/right ankle swaps against hand labels, without and with "
                             "the swap repair; tracking: the analysis against BlazePose's own loop on the shared "
                             "clips and variants of them)")
    parser.add_argument("--rounding", choices=ROUNDING_VARIANTS, default="as-built",
                        help="change only the floating-point rounding: ONNX Runtime's operator fusions off, "
                             "OpenCV's optimised (SIMD) code off, or both, to see how far the figures move "
                             "between machines")
    parser.set_defaults(handler=run)


ROUNDING_VARIANTS = ("as-built", "no-graph-fusion", "no-opencv-simd", "both")


def _set_rounding(variant: str) -> None:
    import cv2

    from stsp_app.blazepose.runtime import set_graph_fusion

    set_graph_fusion(variant not in ("no-graph-fusion", "both"))
    cv2.setUseOptimized(variant not in ("no-opencv-simd", "both"))


def run(args: argparse.Namespace) -> int:
    from stsp_app.core.paths import shared_data_dir
    from stsp_app.epe.config import EPEConfig
    from stsp_app.epe.trajectory_filter import LIVE_FILTER
    from stsp_app.evaluation import robustness_2d as r2d

    from stsp_app.core.environment import machine_description

    print(f"Measured on: {machine_description()}", flush=True)
    _set_rounding(args.rounding)
    if args.rounding != "as-built":
        print(f"Rounding changed: {args.rounding}", flush=True)
    # The per-frame stage as the live view runs it (its causal filter): the whole-clip filter a video file gets
    # on top is measured by eval-filters and eval-drills.
    base = EPEConfig(threads=args.threads, temporal_filter=LIVE_FILTER)
    videos = args.videos or [shared_data_dir() / "video" / n for n in
                             ("basketball_youth_drill.mp4", "pedestrians_vtest.avi")]
    if args.tables in ("labelled", "all"):
        items = r2d.labelled_frames(shared_data_dir())
        print(f"PCK of the 12 limb joints on {len(items)} labelled frames (JHMDB, Human3.6M):")
        for name, config in r2d.decoder_and_filter_configs(base).items():
            if name.startswith("decoder"):
                print(f"  {name}: {r2d.pck_on_labelled(config, items)}")
    if args.tables in ("sides", "all"):
        from stsp_app.evaluation.limb_side_validation import validate

        print("Left/right ankle swaps against the hand labels (resources/hand_labels/leg_sides_*.csv):")
        print(validate(shared_data_dir()), flush=True)
    if args.tables in ("tracking", "all"):
        from stsp_app.evaluation.tracking_agreement import validate as tracking_validate

        print("The analysis against BlazePose's own detect-then-track loop:")
        print(tracking_validate(shared_data_dir(), max_frames=args.frames), flush=True)
    tables = {"enhancement": r2d.enhancement_configs, "decoders": r2d.decoder_and_filter_configs}
    for table, make in tables.items():
        if args.tables not in (table, "all"):
            continue
        rows = [row for video in videos for row in r2d.evaluate_clip(video, make(base), args.frames)]
        print(f"\n{table}:")
        print(r2d.format_rows(rows), flush=True)
    return 0
