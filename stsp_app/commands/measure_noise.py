"""``stsp-coach measure-noise VIDEO... --out FILE``: the EPE stage's 2D error profile for lifter training."""

from __future__ import annotations

import argparse
from pathlib import Path

from stsp_app.core.atomic_write import write_text_atomic
from stsp_app.core.paths import REPO_MODELS_DIR


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "measure-noise", help="measure the EPE stage's 2D errors on videos (writes the lifters' noise profile)"
    )
    parser.add_argument("videos", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=REPO_MODELS_DIR / "epe_noise_profile.json")
    parser.add_argument("--frames", type=int, default=None, help="use at most N frames of each video")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import json

    from stsp_app.core.video_source import VideoSource
    from stsp_app.epe.config import EPEConfig
    from stsp_app.epe.trajectory_filter import LIVE_FILTER
    from stsp_app.evaluation.epe_noise import measure_noise_profile
    from stsp_app.pipeline import Pipeline, analyse_video

    sequences, sources = [], []
    for path in args.videos:
        video = VideoSource(path)
        limit = args.frames or video.frame_count
        # The live view's causal filter, the noisier of the two the lifters are fed (the profile they are trained
        # with was measured so; a video file's whole-clip filter leaves less).
        analysis = analyse_video(video, Pipeline(fps=video.fps, epe_config=EPEConfig(temporal_filter=LIVE_FILTER)),
                                 should_cancel=_stop_after(limit))
        sequences.append(analysis.kp2d_array())
        sources.append(f"{path.name} ({len(analysis.frames)} frames)")
    profile = measure_noise_profile(sequences, sources)
    write_text_atomic(args.out, json.dumps(profile, indent=1) + "\n")
    print(json.dumps({k: v for k, v in profile.items() if k != "notes"}, indent=1))
    print(f"Wrote {args.out}")
    return 0


def _stop_after(limit: int):
    count = iter(range(limit + 1))
    return lambda: next(count, limit) >= limit
