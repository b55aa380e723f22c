"""The pitched copies `eval-drills --part pitched` films (stsp_app.evaluation.pitched_validation)."""

import numpy as np

from stsp_app.core.lens import assumed_focal_px
from stsp_app.core.video_source import VideoSource
from stsp_app.evaluation.pitched_validation import pitch_homography, write_pitched
from tests.conftest import VIDEO_DIR, write_clip_start


def test_a_pitched_copy_moves_the_scene_up_by_the_pitch_and_keeps_no_black_side():
    """Looking 10 degrees further down, what was at the picture's centre rises by a focal length * tan(10°);
    the copy keeps the picture's height and centre, and is cut at both sides to columns that hold picture."""
    size = (608, 1080)
    homography = pitch_homography(size, 10.0)
    centre = homography @ np.array([304.0, 540.0, 1.0])
    assert abs(centre[0] / centre[2] - 304.0) < 1e-6
    assert abs((540.0 - centre[1] / centre[2]) - assumed_focal_px(size) * np.tan(np.radians(10.0))) < 1e-6


def test_a_pitched_copy_of_a_clip(tmp_path):
    source = write_clip_start(tmp_path / "source.mp4", 6, VIDEO_DIR / "squat_side.mp4")
    size = write_pitched(source, tmp_path / "pitched.mp4", 10.0)
    original, copy = VideoSource(source), VideoSource(tmp_path / "pitched.mp4")
    assert size == (copy.width, copy.height) and copy.height == original.height and copy.width < original.width
    frame = copy.read(3).astype(float)
    rows_with_picture = frame.mean(axis=(1, 2)) > 20
    assert rows_with_picture[: copy.height // 2].all()  # looking down: the picture rises, black only at the bottom
    assert not rows_with_picture[-10:].any()
    assert frame[rows_with_picture][:, :4].mean() > 20 and frame[rows_with_picture][:, -4:].mean() > 20
