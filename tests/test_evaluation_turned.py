"""The turned copies `eval-drills --part turned` films (stsp_app.evaluation.turned_validation)."""

import cv2
import numpy as np

from stsp_app.core.video_source import VideoSource
from stsp_app.evaluation.turned_validation import KEPT_SHARE, write_turned
from tests.conftest import VIDEO_DIR, write_clip_start


def test_a_turned_copy_is_the_middle_of_the_turned_picture_with_no_black_corner(tmp_path):
    source = write_clip_start(tmp_path / "source.mp4", 6, VIDEO_DIR / "squat_side.mp4")
    size = write_turned(source, tmp_path / "turned.mp4", 8.0)
    original, copy = VideoSource(source), VideoSource(tmp_path / "turned.mp4")
    assert size == (copy.width, copy.height) and abs(copy.width / original.width - KEPT_SHARE) < 0.01
    frame = copy.read(3)
    corners = [frame[:8, :8], frame[:8, -8:], frame[-8:, :8], frame[-8:, -8:]]
    assert min(float(corner.mean()) for corner in corners) > 20  # picture, not the turn's black fill
    expected = cv2.warpAffine(original.read(3), cv2.getRotationMatrix2D(
        (original.width / 2, original.height / 2), 8.0, 1.0), (original.width, original.height))
    top, left = (original.height - size[1]) // 2, (original.width - size[0]) // 2
    difference = np.abs(frame.astype(float) - expected[top:top + size[1], left:left + size[0]].astype(float))
    assert np.median(difference) < 8  # MPEG-4 at default quality
