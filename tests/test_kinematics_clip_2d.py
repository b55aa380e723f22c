"""The whole clip's 2D steps (limb swaps undone, the zero-lag filter), as a video file and the live drill run them."""

from __future__ import annotations

import numpy as np

from stsp_app.epe.camera_motion import columns_to_scene
from stsp_app.kinematics import clip_2d
from stsp_app.kinematics.clip_2d import person_stretches, smooth_2d_columns
from stsp_app.kinematics.signals import butterworth_lowpass


def test_the_whole_clip_filter_leaves_a_hand_held_cameras_sway_in_the_picture():
    """A body standing still, filmed by a phone that trembles at 8 Hz: on each frame's picture the body moves with
    the tremor. Smoothed on the first frame's picture (the camera's maps given), the body stays still there and
    the keypoints follow the tremor on each picture, as filmed; smoothed on each picture, the 6 Hz filter would
    take most of the tremor out, and the skeleton would lag the picture it is drawn on."""
    frames = 90
    sway_px = np.stack([12.0 * np.sin(2 * np.pi * 8.0 * np.arange(frames) / 30.0), np.zeros(frames)], axis=-1)
    body = np.random.default_rng(0).uniform(100, 500, (17, 2))
    kp2d = np.concatenate([body[None] - sway_px[:, None], np.ones((frames, 17, 1))], axis=-1)
    raw33 = np.full((frames, 33, 3), np.nan)
    maps = np.zeros((frames, 2, 3))
    maps[:, 0, 0] = maps[:, 1, 1] = 1.0
    maps[:, :, 2] = sway_px  # each picture onto the first: add the sway back
    followed = kp2d.copy()
    smooth_2d_columns(followed, raw33.copy(), 30.0, 6.0, maps)
    np.testing.assert_allclose(followed, kp2d, atol=1e-6)
    np.testing.assert_allclose(columns_to_scene(followed, maps)[..., :2], np.broadcast_to(body, (frames, 17, 2)),
                               atol=1e-6)
    on_each_picture = kp2d.copy()
    smooth_2d_columns(on_each_picture, raw33.copy(), 30.0, 6.0)
    assert np.abs(on_each_picture[20:70, :, 0] - kp2d[20:70, :, 0]).max() > 5.0  # the tremor smoothed away


def test_person_stretches_cut_the_clip_where_the_analysed_person_changes():
    ids = np.array([-1, 1, 1, -1, 1, 2, 2, -1, -1, 3, 1])
    assert person_stretches(ids) == [slice(0, 5), slice(5, 9), slice(9, 10), slice(10, 11)]
    assert person_stretches(np.array([-1, 4, 4, -1])) == [slice(0, 4)]
    assert person_stretches(np.array([-1, -1])) == [slice(0, 2)]


def test_points_filtered_together_read_as_each_point_filtered_alone(monkeypatch):
    """Points go through the filter in batches of points seen on the same frames; each point still has its own
    runs of seen frames filtered alone, whatever the batch size."""
    rng = np.random.default_rng(3)
    kp2d = np.concatenate([np.cumsum(rng.normal(0, 3, (120, 17, 2)), axis=0), np.ones((120, 17, 1))], axis=-1)
    raw33 = np.concatenate([np.cumsum(rng.normal(0, 3, (120, 33, 2)), axis=0), np.ones((120, 33, 1))], axis=-1)
    kp2d[40:45] = np.nan  # nobody on these frames
    kp2d[70:73, 5] = np.nan  # one point unseen on these
    raw33[10:12, 20:25] = np.nan
    expected_kp2d, expected_raw33 = kp2d.copy(), raw33.copy()
    for expected in (expected_kp2d, expected_raw33):
        for point in range(expected.shape[1]):
            expected[:, point, :2] = butterworth_lowpass(expected[:, point, :2], 30.0, 6.0)
    monkeypatch.setattr(clip_2d, "SMOOTH_BATCH_VALUES", 4 * len(kp2d))  # 4 points a batch
    smooth_2d_columns(kp2d, raw33, 30.0, 6.0)
    np.testing.assert_allclose(kp2d, expected_kp2d)
    np.testing.assert_allclose(raw33, expected_raw33)
