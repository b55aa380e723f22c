"""Command-line options that every command opening a video file shares."""

from __future__ import annotations

import argparse


def add_capture_fps_argument(parser: argparse.ArgumentParser) -> None:
    """``--capture-fps``: the rate a slow-motion video was filmed at (``VideoSource``'s ``capture_fps``)."""
    parser.add_argument("--capture-fps", type=float, default=None, metavar="FPS",
                        help="a slow-motion video: the frame rate it was filmed at (120, 240 …), so that times, "
                             "speeds and jump heights are real time (default: the video plays as it was filmed)")
