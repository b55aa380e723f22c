"""``stsp-coach gui``: the desktop application (also what ``stsp-coach`` with no subcommand starts)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from stsp_app.commands.video_arguments import add_capture_fps_argument
from stsp_app.drills import DRILL_NAMES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gui", help="start the desktop app (the default with no subcommand)")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--open", metavar="VIDEO|DIR", type=Path,
                       help="open this video (and analyse it) at start, or the analysis `stsp-coach analyze --out DIR` saved")
    start.add_argument("--live", metavar="SOURCE",
                       help="start the live view at once on a camera (its number: 0, 1...), a network camera "
                            "(its stream URL: rtsp://user:password@host/stream, http://...) or on a video file "
                            "played at its own frame rate as if it were a camera; with --quit, quit when it ends")
    parser.add_argument("--drill", choices=DRILL_NAMES, default=None,
                        help="with --live: run this drill as the child moves (jump heights, squat reps, cadence); "
                             "with --open VIDEO --analyse: run it on the analysis and show it in the drill panel")
    parser.add_argument("--analyse", "--analyze", action="store_true",
                        help="wait until the video's analysis is complete (with --screenshot/--quit)")
    parser.add_argument("--screenshot", metavar="PNG", type=Path,
                        help="save a screenshot of the whole window once the video is open (and analysed)")
    add_capture_fps_argument(parser)
    parser.add_argument("--quit", action="store_true", help="quit after the steps above; exit code 0 if all worked")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor store the analysis in the per-video cache")
    parser.add_argument("--report-timing", action="store_true",
                        help="on exit, print how long the interface was held up (gaps between the ticks of a "
                             "10 ms timer) and, live, how far the skeleton on screen was behind the camera")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.core.camera_capture import is_stream_url
    from stsp_app.errors import InputError, UserFacingError

    if (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        # Without this check Qt aborts the process with a core dump.
        raise UserFacingError("no display to open a window on (DISPLAY is not set): run the app on a desktop, "
                              "or under a virtual screen with `xvfb-run stsp-coach gui ...`")
    stored_analysis = False
    if args.open is not None:
        if not args.open.exists():
            raise InputError(f"no such video: {args.open}")
        from stsp_app.core.analysis_store import finished_analysis_store

        stored_analysis = args.open.is_dir() and finished_analysis_store(args.open) is not None
        if not stored_analysis:
            _check_video(args.open, args.capture_fps)
    if args.capture_fps is not None and (args.open is None or stored_analysis):
        raise InputError("--capture-fps is for the video of --open: a stored analysis already has its times")
    live = None
    if args.live is not None:
        live = int(args.live) if args.live.isdigit() else args.live if is_stream_url(args.live) else Path(args.live)
        if isinstance(live, Path):
            if not live.exists():
                raise InputError(f"no such video: {live}")
            _check_video(live)
    if args.drill is not None and live is None and not (args.open is not None and args.analyse):
        raise InputError("--drill needs --live CAMERA|VIDEO, or --open VIDEO --analyse")
    if args.analyse and args.open is None:
        raise InputError("--analyse needs a video to analyse: add --open VIDEO")
    from stsp_app._qt.app import run_app

    return run_app(open_path=args.open, analyse=args.analyse, screenshot=args.screenshot, quit_after=args.quit,
                   use_cache=not args.no_cache, live_source=live, report_timing=args.report_timing,
                   drill=args.drill, stored_analysis=stored_analysis, capture_fps=args.capture_fps)


def _check_video(path: Path, capture_fps: float | None = None) -> None:
    """One clear error before any window opens when ``path`` is not a video (or image folder) we can read, or
    ``capture_fps`` no rate it can have been filmed at."""
    from stsp_app.core.video_source import VideoSource

    VideoSource(path, capture_fps=capture_fps).close()
