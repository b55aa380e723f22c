"""What every drill shares (``stsp_app.drills.base``): a video stored on its side gives no drill's numbers, and
says why."""

from types import SimpleNamespace

import numpy as np
import pytest

from stsp_app.drills import MovementNotFound, Recording, recording_from_analysis, run_drill
from stsp_app.drills.base import lies_across_the_picture
from stsp_app.kinematics.motion_series import motion_series


def turned_a_quarter(recording: Recording) -> Recording:
    """The recording's 2D as a video stored on its side would give it (the picture turned 90 degrees clockwise,
    width and height exchanged), without 3D."""
    width, height = recording.image_size_px
    motion = recording.motion
    frames = []
    for row in range(len(motion)):
        kp2d = motion.kp2d[row].copy()
        kp2d[:, 0], kp2d[:, 1] = height - motion.kp2d[row, :, 1], motion.kp2d[row, :, 0]
        raw = motion.kp2d_raw33[row].copy()
        raw[:, 0], raw[:, 1] = height - motion.kp2d_raw33[row, :, 1], motion.kp2d_raw33[row, :, 0]
        frames.append(SimpleNamespace(index=int(motion.frame_indices[row]), time_s=float(motion.time_s[row]),
                                      kp2d=kp2d, kp3d_mm=None, kp2d_raw33=raw))
    return Recording(motion=motion_series(frames), fps=recording.fps, image_size_px=(height, width))


def test_a_jump_stored_on_its_side_says_so_and_upright_clips_do_not(analysed_clip):
    """The real jump clip's 2D turned a quarter (which the jump drill alone reads as two jumps of 14 cm): no jump,
    and the reason names the video's rotation. As filmed the jump is found; the sprinter, crouched in the blocks
    for most of the clip (across on about four fifths of the frames), gets no squat and no such word."""
    jump = recording_from_analysis(analysed_clip("cmj_teen_front.mp4"))
    assert not lies_across_the_picture(jump)
    run_drill("vertical-jump", jump)
    turned = turned_a_quarter(jump)
    assert lies_across_the_picture(turned)
    with pytest.raises(MovementNotFound, match="no jump found.*lies across the picture.*turn it"):
        run_drill("vertical-jump", turned)
    sprint = recording_from_analysis(analysed_clip("sprint_start_a1.mp4"))
    assert not lies_across_the_picture(sprint)
    with pytest.raises(MovementNotFound) as not_found:
        run_drill("squat", sprint)
    assert "across" not in str(not_found.value)
    assert np.isfinite(sprint.motion.kp2d[..., 0]).any()
