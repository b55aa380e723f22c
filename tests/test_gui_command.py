"""`stsp-coach gui --open VIDEO --analyse [--drill DRILL] --screenshot PNG --quit`, run as a user would (with a
settings and a data folder of the test's own)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import cv2
import numpy as np
import pytest

from stsp_app.core.paths import REPO_DIR, shared_data_dir
from tests.conftest import write_clip_start

pytestmark = pytest.mark.gui

CLIP = shared_data_dir() / "video" / "basketball_youth_drill.mp4"


def run_gui(args, tmp_path, **env_changes):
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(REPO_DIR))
    env.update(env_changes)
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run([sys.executable, "-m", "stsp_app", "gui", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_screenshot_of_an_analysed_clip(tmp_path):
    clip = write_clip_start(tmp_path / "drill_start.mp4", 40)
    screenshot = tmp_path / "shot.png"
    result = run_gui(["--open", str(clip), "--analyse", "--drill", "squat", "--screenshot", str(screenshot), "--quit",
                      "--no-cache"], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "data" / "stsp-coach" / "records.sqlite3").is_file()  # the app's records, in its data folder
    image = cv2.imread(str(screenshot))
    assert image is not None and image.shape[0] >= 600 and image.shape[1] >= 1000
    # The picture holds the video, the dark 3D panel and the charts, not a blank window.
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 2000


def test_missing_video_is_one_clear_error(tmp_path):
    result = run_gui(["--open", str(tmp_path / "nope.mp4"), "--quit"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"stsp-coach: error: no such video: {tmp_path / 'nope.mp4'}"


def test_a_file_that_is_not_a_video_is_one_clear_error_before_any_window(tmp_path):
    notes = tmp_path / "notes.mp4"
    notes.write_text("the coach's notes, not a video\n" * 100)
    for option in ("--open", "--live"):
        result = run_gui([option, str(notes), "--quit"], tmp_path)
        assert result.returncode == 2
        assert result.stderr.strip() == f"stsp-coach: error: {notes}: not a video OpenCV can read"


def test_no_display_is_one_clear_error(tmp_path):
    result = run_gui(["--quit"], tmp_path, DISPLAY=None, WAYLAND_DISPLAY=None, QT_QPA_PLATFORM=None)
    assert result.returncode == 2
    assert result.stderr.startswith("stsp-coach: error: no display to open a window on")


def test_live_view_of_a_video_file_with_a_timing_report(tmp_path):
    """--live plays a video file as a camera; --report-timing says how responsive the window was."""
    clip = write_clip_start(tmp_path / "camera.mp4", 60)
    result = run_gui(["--live", str(clip), "--quit", "--report-timing"], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    held_up = next(line for line in lines if line.startswith("interface held up (gaps between the ticks of a 10 ms"))
    live = next(line for line in lines if line.startswith("live, camera to screen: median "))
    assert int(re.search(r"\(n=(\d+)\)", held_up).group(1)) > 50  # 2 s of video, and start and stop
    assert 10 <= int(re.search(r"\(n=(\d+)\)", live).group(1)) <= 60  # frames shown of the 60 sent


def test_live_source_that_is_neither_a_camera_nor_a_file_is_one_clear_error(tmp_path):
    result = run_gui(["--live", str(tmp_path / "nope.mp4"), "--quit"], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == f"stsp-coach: error: no such video: {tmp_path / 'nope.mp4'}"


CLOSE_DURING_ANALYSIS = """
from PySide6.QtCore import QTimer
from stsp_app._qt.app import create_application
from stsp_app._qt.main_window import MainWindow

if __name__ == "__main__":
    app = create_application()
    window = MainWindow(cache=None)
    window.show()
    window.open_video({clip!r})
    QTimer.singleShot(3000, window.close)  # File -> Quit (Ctrl+Q) closes the window, mid-analysis
    raise SystemExit(app.exec())
"""


def test_closing_the_window_mid_analysis_ends_the_program(tmp_path):
    script = tmp_path / "close_mid_analysis.py"
    script.write_text(CLOSE_DURING_ANALYSIS.format(clip=str(CLIP)))
    env = dict(os.environ, QT_QPA_PLATFORM="xcb", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(REPO_DIR))
    # Before, the hidden 3D canvas kept the program running with no window until it was killed.
    result = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]


def test_open_a_stored_analysis_folder_and_screenshot_it(tmp_path):
    """`gui --open DIR` on what `stsp-coach analyze --out DIR` saved: shown with its video, nothing analysed."""
    clip = write_clip_start(tmp_path / "start.mp4", 40)
    out = tmp_path / "analysed"
    analysed = subprocess.run([sys.executable, "-m", "stsp_app", "analyze", str(clip), "--out", str(out)],
                              capture_output=True, text=True, timeout=300)
    assert analysed.returncode == 0, analysed.stderr
    screenshot = tmp_path / "stored.png"
    # A cache without the models: had the app analysed the video again, that would have failed.
    result = run_gui(["--open", str(out), "--analyse", "--screenshot", str(screenshot), "--quit"], tmp_path,
                     STSP_COACH_CACHE=str(tmp_path / "empty_cache"))
    assert result.returncode == 0, result.stderr[-3000:]
    image = cv2.imread(str(screenshot))
    assert image is not None and len(np.unique(image.reshape(-1, 3), axis=0)) > 2000
