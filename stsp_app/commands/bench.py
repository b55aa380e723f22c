"""``stsp-coach bench VIDEO``: per-stage milliseconds per frame and frames per second, 1 and 2 threads."""

from __future__ import annotations

import argparse
from pathlib import Path

from stsp_app.epe.config import DEVICES, MODEL_VARIANTS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="time each stage on a video (figures for docs/RESULTS.md)")
    parser.add_argument("video", type=Path)
    parser.add_argument("--model", choices=MODEL_VARIANTS, default="full")
    parser.add_argument("--frames", type=int, default=None, help="use only the first N frames")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=5,
                        help="rounds, each running every configuration once; each one's median is shown")
    parser.add_argument("--device", choices=DEVICES, default="cpu")
    parser.add_argument("--no-3d", action="store_true", help="skip the 3D lifting timings")
    parser.add_argument("--mediapipe-python", type=Path, metavar="PYTHON",
                        help="also time MediaPipe's own Pose solution on the same frames, run by this Python (an "
                             "environment with mediapipe==0.10.14: bash packaging/run.sh bench makes one), and "
                             "give our speed as a ratio to it")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from stsp_app.core.environment import machine_description
    from stsp_app.epe.config import EPEConfig
    from stsp_app.evaluation.epe_benchmark import (
        benchmark_epe, benchmark_mediapipe, format_table, median_of_rounds, plain_tracking_config,
    )

    runs = {}  # (configuration, threads) -> a callable timing one run of it
    for threads in args.threads:
        full = EPEConfig(model=args.model, device=args.device, threads=threads)
        for label, config in (("plain detect+track", plain_tracking_config(full)), ("EPE stage (default)", full)):
            runs[(label, threads)] = (lambda config=config, label=label:
                                      benchmark_epe(args.video, replace(config), f"{label}, {args.model}", args.frames))
    if args.mediapipe_python is not None:
        runs["MediaPipe"] = lambda: benchmark_mediapipe(args.mediapipe_python, args.video, args.model, args.frames)
    medians = median_of_rounds(runs, args.repeats)
    peer = medians.pop("MediaPipe", None)
    results = list(medians.values())
    print(f"{args.video.name}: {results[0].frames} frames, models on {results[0].device_name}; measured on "
          f"{machine_description()}")
    print(format_table(results + ([peer] if peer else [])))
    lifting = None
    if not args.no_3d:
        from stsp_app.lifting.bench import bench_lifting

        lifting = bench_lifting()
        print(
            f"3D lifting (ONNX Runtime, CPU, 1 thread, mirror averaging): causal GSR+TMP "
            f"{lifting['frame_ms_batch1_1thread']:.2f} ms per live frame (one frame at a time; 90th percentile "
            f"{lifting['frame_ms_p90']:.2f} ms), offline GSR+TMP {lifting['clip_s_1thread']:.3f} s for a "
            f"{lifting['clip_frames']}-frame clip in one batch"
        )
    if peer is not None:
        print("Speed against MediaPipe's Pose on the same frames (its frames/s = 1.00x):")
        for result in results:
            if result.label.startswith("EPE stage"):
                print(f"  EPE stage, {result.threads} thread(s): {peer.total_ms / result.total_ms:.2f}x")
                if lifting is not None:  # the whole pipeline: the 2D stage and the live 3D of each frame
                    whole_ms = result.total_ms + lifting["frame_ms_batch1_1thread"]
                    print(f"  whole pipeline (EPE stage + live GSR+TMP), {result.threads} thread(s): "
                          f"{peer.total_ms / whole_ms:.2f}x")
    return 0
