"""``stsp-coach eval-filters``: the temporal filters on real mocap trajectories with known 2D truth."""

from __future__ import annotations

import argparse


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval-filters", help="lag and jitter of the 2D temporal filters against mocap truth")
    parser.add_argument("--motions", type=int, default=24, help="how many mocap/train motions to draw")
    parser.add_argument("--noise", type=float, nargs="+", default=[0.005, 0.01], help="2D noise sd, box sizes")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.core.paths import shared_data_dir
    from stsp_app.evaluation.filter_comparison import compare_filters, load_trajectories

    trajectories = load_trajectories(shared_data_dir() / "mocap" / "train", args.motions)
    frames = sum(len(t) for t in trajectories.truth_px)
    print(f"{len(trajectories.names)} motions from mocap/train, {frames} frames at 30 frames/s")
    print("| 2D noise sd (box) | filter | RMSE (‰ box) | RMSE on fast joints (‰ box) | accel. error (‰ box/frame²) "
          "| lag (frames) |")
    print("|---|---|---|---|---|---|")
    for noise in args.noise:
        for name, r in compare_filters(trajectories, noise).items():
            print(f"| {noise} | {name} | {r['rmse']:.2f} | {r['rmse_fast']:.2f} | {r['accel_error']:.2f} | {r['lag_frames']} |")
    return 0
