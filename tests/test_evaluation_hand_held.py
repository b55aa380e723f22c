"""The hand-held copies `eval-drills --part hand-held` films (stsp_app.evaluation.hand_held_validation)."""

import cv2
import numpy as np

from stsp_app.core.video_source import VideoSource
from stsp_app.evaluation.hand_held_validation import SWAY_SHARE, sway_px, write_hand_held
from tests.conftest import VIDEO_DIR, write_clip_start


def test_the_sway_stays_within_its_amplitude_and_differs_by_seed():
    size = (1280, 720)
    shifts = sway_px(300, 30.0, size, seed=1)
    assert shifts.shape == (300, 2)
    assert (np.abs(shifts) <= SWAY_SHARE * np.array(size) + 1e-9).all()
    assert np.abs(shifts).max(axis=0).min() > 0.5 * SWAY_SHARE * min(size)  # it does sway, on both axes
    assert not np.allclose(shifts, sway_px(300, 30.0, size, seed=2))


def test_a_hand_held_copy_shows_the_picture_moved_by_the_returned_shift(tmp_path):
    source = write_clip_start(tmp_path / "source.mp4", 12, VIDEO_DIR / "squat_side.mp4")  # a man standing still
    shifts = write_hand_held(source, tmp_path / "hand_held.mp4", seed=3)  # the window's corner in each frame
    assert len(shifts) == 12 and (shifts > 0).all()
    copy = VideoSource(tmp_path / "hand_held.mp4")
    first = cv2.cvtColor(copy.read(0), cv2.COLOR_BGR2GRAY).astype(np.float32)
    window = cv2.createHanningWindow(first.shape[::-1], cv2.CV_32F)
    for index in (5, 11):
        frame = cv2.cvtColor(copy.read(index), cv2.COLOR_BGR2GRAY).astype(np.float32)
        (shift_x, shift_y), _ = cv2.phaseCorrelate(first, frame, window)  # how far the picture's content moved
        np.testing.assert_allclose([-shift_x, -shift_y], shifts[index] - shifts[0], atol=2.0)  # MPEG-4
