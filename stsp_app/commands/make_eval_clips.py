"""``stsp-coach make-eval-clips SOURCE OUT_DIR``: film mocap with virtual cameras into evaluation clips."""

from __future__ import annotations

import argparse
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "make-eval-clips", help="make *.npz evaluation clips from a mocap file or folder",
        description="Films every motion in SOURCE (BVH, ASF/AMC, Kinect CSV, HumanEva npz) with random phone/webcam "
                    "cameras (2-10 m away, 0.5-2.5 m high, any direction) and writes one npz clip per view.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE")
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--noise", choices=("clean", "epe"), default="clean",
                        help="clean 2D, or EPE-like 2D noise from models/epe_noise_profile.json (default clean)")
    parser.add_argument("--noise-strength", type=float, default=1.0, help="scale of the EPE-like noise (default 1)")
    parser.add_argument("--noise-profile", type=Path, help="a noise profile file instead of the shipped one")
    parser.add_argument("--seed", type=int, default=0, help="seed of the cameras and noise (default 0)")
    parser.add_argument("--fps", type=float, default=30.0, help="frame rate of the clips (default 30)")
    parser.add_argument("--views", type=int, default=1, help="cameras per motion (default 1)")
    parser.add_argument("--max-seconds", type=float, help="cut each motion to this length")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.errors import InputError
    from stsp_app.evaluation.clips import make_clips

    if args.views < 1 or args.fps <= 0:
        raise InputError("--views must be at least 1 and --fps positive")
    written = make_clips(args.source, args.out_dir, noise=args.noise, noise_strength=args.noise_strength,
                         noise_profile_path=args.noise_profile, seed=args.seed, fps=args.fps, views=args.views,
                         max_seconds=args.max_seconds)
    print(f"wrote {len(written)} clips to {args.out_dir}")
    return 0
