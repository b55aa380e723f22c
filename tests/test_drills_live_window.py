"""A live drill's window read as a video file's analysis reads a clip, update by update."""

from __future__ import annotations

import numpy as np

from stsp_app.drills.live_window import FINAL_S, FileLikeWindow
from stsp_app.kinematics.motion_series import motion_series
from tests.conftest import VIDEO_DIR


def _live_frames(clip: str, start: int, stop: int):
    from stsp_app.core.video_source import VideoSource
    from stsp_app.pipeline import Pipeline

    video = VideoSource(VIDEO_DIR / clip)
    pipeline = Pipeline(live=True, fps=video.fps)
    frames = [pipeline.process_frame(picture, index, time_s) for index, time_s, picture in video.frames(start, stop)]
    return frames, video.fps, (video.width, video.height)


def test_the_window_kept_update_by_update_reads_as_the_whole_window_at_once(blazepose_models):
    """The jump clip's take-off and landing played live: a window fed eight frames at a time (as the live drill's
    updates come), keeping each frame's 2D and 3D once FINAL_S old, gives the 2D and the knee angles that the
    whole window put through the steps and the lifter at once gives."""
    frames, fps, size = _live_frames("cmj_teen_front.mp4", 200, 320)
    kept = FileLikeWindow()
    for end in range(24, len(frames) + 1, 8):
        motion, _ = kept.motion(frames[:end], fps, size)
    at_once, _ = FileLikeWindow().motion(frames, fps, size)
    old = slice(0, len(frames) - round(FINAL_S * fps))
    gap_px = np.linalg.norm(motion.kp2d[old, :, :2] - at_once.kp2d[old, :, :2], axis=-1)
    assert np.nanmedian(gap_px) < 0.01 and np.nanmax(gap_px) < 0.5  # without the kept context: 0.26 and 20 px
    for knee in ("left_knee_flexion", "right_knee_flexion"):
        difference = np.abs(motion.angles.degrees[knee][old] - at_once.angles.degrees[knee][old])
        assert np.nanmax(difference) < 0.2, knee
    # the window's 2D is the unfiltered 2D through the file's steps, not the screen's causal filter
    screen = motion_series(frames)
    assert np.nanmedian(np.linalg.norm(screen.kp2d[old, :, :2] - motion.kp2d[old, :, :2], axis=-1)) > 0.1


def test_frames_without_the_unfiltered_2d_are_read_as_they_are(analysed_clip):
    """An analysed file's frames (their 2D already through the steps, their 3D the offline lifter's) go to the
    drill unchanged."""
    analysis = analysed_clip("cmj_teen_front.mp4")
    motion, lift_frames_alone = FileLikeWindow().motion(analysis.frames, analysis.fps,
                                                        (analysis.width, analysis.height))
    expected = motion_series(analysis.frames)
    np.testing.assert_array_equal(motion.kp2d, expected.kp2d)
    np.testing.assert_array_equal(motion.kp3d_mm, expected.kp3d_mm)
    assert lift_frames_alone is None
