"""The installable app (`bash packaging/run.sh build`): PyInstaller builds the one-folder app from
packaging/stsp-coach.spec, and the built app, started as a user would under the test's virtual X screen, opens
a video, analyses it (in its own child process, frozen too) and shows the skeleton, with no Python set-up."""

from __future__ import annotations

import os
import subprocess
import sys

import cv2
import numpy as np
import pytest

from stsp_app.core.paths import REPO_DIR
from tests.conftest import write_clip_start

pytestmark = pytest.mark.gui


@pytest.fixture(scope="module")
def built_app(tmp_path_factory, blazepose_models):
    """The app built once for this module (about 2 minutes on 2 cores)."""
    work = tmp_path_factory.mktemp("pyinstaller")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", str(REPO_DIR / "packaging" / "stsp-coach.spec"), "--noconfirm",
         "--log-level", "WARN", "--distpath", str(work / "dist"), "--workpath", str(work / "build")],
        capture_output=True, text=True, timeout=1200, cwd=work)
    assert result.returncode == 0, result.stderr[-3000:]
    return work / "dist" / "stsp-coach"


def run_built(app, args, tmp_path, timeout_s=300):
    """The built app with nothing of this Python set-up: its own settings, data and cache folders, and no
    PYTHONPATH or virtual environment to lean on."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env.update(QT_QPA_PLATFORM="xcb", XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_DATA_HOME=str(tmp_path / "data"),
               STSP_COACH_CACHE=str(tmp_path / "cache"), PATH="/usr/bin:/bin")
    return subprocess.run([str(app / "stsp-coach"), *args], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=timeout_s)


def test_the_built_app_holds_its_models_and_no_torch(built_app):
    bundled = built_app / "_internal"
    assert (bundled / "models" / "lifting_tmp_offline.onnx").is_file()
    assert (bundled / "blazepose_models" / "pose_landmark_full.onnx").is_file()
    assert not list(bundled.glob("torch*")), "torch is for training only"


def test_the_built_app_analyses_a_video_and_shows_it(built_app, tmp_path):
    clip = write_clip_start(tmp_path / "start.mp4", 40)
    screenshot = tmp_path / "shot.png"
    result = run_built(built_app, ["gui", "--open", str(clip), "--analyse", "--screenshot", str(screenshot),
                                   "--quit"], tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    # The analysis ran to its end (in the frozen child process) and was stored in the app's own cache.
    assert list((tmp_path / "cache" / "analyses").glob("*.analysis.json"))
    image = cv2.imread(str(screenshot))
    assert image is not None and image.shape[0] >= 600 and image.shape[1] >= 1000
    assert len(np.unique(image.reshape(-1, 3), axis=0)) > 2000  # video, 3D panel and charts, not a blank window


def test_the_built_app_says_training_needs_a_python_set_up(built_app, tmp_path):
    result = run_built(built_app, ["train"], tmp_path, timeout_s=60)
    assert result.returncode != 0
    assert "training needs torch" in result.stderr and "Traceback" not in result.stderr
