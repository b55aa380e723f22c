"""Model shapes, graph locality of the GAT, causality of TMP, receptive field of the TCN baseline."""

import pytest
import torch

from stsp_app.lifting.models import (
    GSR, TMP, GraphAttentionLayer, MLPLifter, TCNLifter, context_window, image_plane_poses, refined_poses,
    run_gsr_tmp,
)


def test_shapes():
    torch.manual_seed(0)
    keypoints = torch.randn(4, 17, 3)
    gsr = GSR(layers=2).eval()
    pose, feature = gsr(keypoints)
    assert pose.shape == (4, 17, 3) and feature.shape == (4, gsr.feature_dim)
    tmp = TMP(tau=5).eval()
    weights, candidates, correction = tmp(feature, pose, torch.randn(4, 5, 17, 3), torch.rand(4, 6, 17, 3))
    assert weights.shape == candidates.shape == (4, 12, 17, 3) and correction.shape == (4, 17, 3)
    offline = TMP(tau=5, future=5).eval()
    weights, candidates, _ = offline(feature, pose, torch.randn(4, 10, 17, 3), torch.rand(4, 11, 17, 3))
    assert weights.shape == candidates.shape == (4, 22, 17, 3)
    torch.testing.assert_close(weights.sum(dim=1), torch.ones(4, 17, 3))
    assert MLPLifter().eval()(keypoints).shape == (4, 17, 3)
    tcn = TCNLifter(levels=3).eval()
    assert tcn.receptive_field == 27
    assert tcn(torch.randn(2, 27, 17, 3)).shape == (2, 17, 3)


def test_one_gat_layer_only_mixes_skeleton_neighbours():
    torch.manual_seed(0)
    layer = GraphAttentionLayer(16).eval()
    h = torch.randn(1, 17, 16)
    changed = h.clone()
    changed[0, 13] += 5.0  # left wrist: neighbours are the left elbow (12) and itself
    difference = (layer(changed) - layer(h)).abs().sum(-1)[0]
    assert set(torch.nonzero(difference > 1e-6).flatten().tolist()) == {12, 13}


def _keypoints_of(poses: torch.Tensor, metres_per_unit: float = 0.8) -> torch.Tensor:
    """Exact normalised 2D (weak perspective) of root-relative poses (..., 17, 3), confidence 1."""
    xy = (poses[..., :2] - poses[..., :1, :2]) / metres_per_unit
    return torch.cat([xy, torch.ones_like(xy[..., :1])], dim=-1)


def test_image_plane_poses_take_x_y_from_the_2d_and_z_from_the_pose():
    torch.manual_seed(0)
    true_pose = torch.randn(3, 17, 3)
    true_pose -= true_pose[:, :1].clone()
    wrong_xy = true_pose.clone()
    wrong_xy[..., :2] = 1.5 * true_pose[..., :2] + 0.01 * torch.randn(3, 17, 2)
    image_plane = image_plane_poses(wrong_xy, _keypoints_of(true_pose))
    torch.testing.assert_close(image_plane[..., 2], wrong_xy[..., 2])  # depth untouched
    # x, y: the 2D's shape at the pose's own size (1.5 times the truth)
    torch.testing.assert_close(image_plane[..., :2], 1.5 * true_pose[..., :2], atol=0.02, rtol=0.02)
    unseen = _keypoints_of(true_pose)
    unseen[:, 5, 2] = 0.0  # no confidence: the joint's 2D does not count and it gets x, y = 0
    unseen[:, 5, :2] = 100.0
    assert torch.isfinite(image_plane_poses(wrong_xy, unseen)).all()


def test_tmp_output_is_a_weighted_average_of_its_candidates_plus_a_correction():
    torch.manual_seed(0)
    tmp = TMP(tau=3, future=3).eval()  # its correction starts at zero
    feature, pose = torch.randn(2, 512), torch.randn(2, 17, 3)
    pose -= pose[:, :1].clone()
    keypoints_window = _keypoints_of(pose)[:, None].expand(2, 7, 17, 3)
    def refined(context):
        weights, candidates, correction = tmp(feature, pose, context, keypoints_window)
        return (weights * candidates).sum(dim=1) + correction

    with torch.no_grad():
        still = refined(pose[:, None].expand(2, 6, 17, 3))
        neighbours = torch.randn(2, 6, 17, 3)
        moved = refined(neighbours)
    torch.testing.assert_close(still, pose)  # the weights sum to one, and exact 2D agrees with the pose
    window = torch.cat([neighbours, pose[:, None]], dim=1)
    candidates = torch.cat([window, image_plane_poses(window, keypoints_window)], dim=1)
    low, high = candidates.min(dim=1).values - 1e-6, candidates.max(dim=1).values + 1e-6
    assert (moved >= low).all() and (moved <= high).all()
    assert ((moved - pose).abs().mean() < (neighbours.mean(dim=1) - pose).abs().mean() / 2)  # starts near frame t


def test_tmp_is_causal():
    torch.manual_seed(0)
    gsr, tmp = GSR().eval(), TMP(tau=5).eval()
    keypoints = torch.randn(2, 20, 17, 3)
    later_changed = keypoints.clone()
    later_changed[:, 12:] = torch.randn(2, 8, 17, 3)
    with torch.no_grad():
        _, before = run_gsr_tmp(gsr, tmp, keypoints)
        _, after = run_gsr_tmp(gsr, tmp, later_changed)
    torch.testing.assert_close(before[:, :12], after[:, :12])
    assert (before[:, 12:] - after[:, 12:]).abs().max() > 1e-4


def test_tmp_sees_exactly_tau_past_frames():
    torch.manual_seed(0)
    gsr, tmp = GSR().eval(), TMP(tau=3).eval()
    torch.nn.init.normal_(tmp.predict[-1].weight, std=0.1)  # a trained-looking TMP (its last layer starts at zero)
    keypoints = torch.randn(1, 12, 17, 3)
    old_changed = keypoints.clone()
    old_changed[:, 5] += 1.0  # frame 5 is in the window of frames 6, 7 and 8 only
    with torch.no_grad():
        _, before = run_gsr_tmp(gsr, tmp, keypoints)
        _, after = run_gsr_tmp(gsr, tmp, old_changed)
    changed = [t for t in range(12) if (before[0, t] - after[0, t]).abs().max() > 1e-6]
    assert changed == [5, 6, 7, 8]


def test_offline_tmp_sees_tau_past_and_tau_next_frames():
    torch.manual_seed(0)
    gsr, tmp = GSR().eval(), TMP(tau=2, future=2).eval()
    torch.nn.init.normal_(tmp.predict[-1].weight, std=0.1)
    keypoints = torch.randn(1, 12, 17, 3)
    changed_input = keypoints.clone()
    changed_input[:, 5] += 1.0  # in the context of frames 3, 4 (future) and 6, 7 (past)
    with torch.no_grad():
        _, before = run_gsr_tmp(gsr, tmp, keypoints)
        _, after = run_gsr_tmp(gsr, tmp, changed_input)
    changed = [t for t in range(12) if (before[0, t] - after[0, t]).abs().max() > 1e-6]
    assert changed == [3, 4, 5, 6, 7]


@pytest.mark.parametrize("future, changed_frames", [(0, [5, 6, 7, 8, 9]), (2, [2, 3, 4, 5, 6, 7, 8, 9])])
def test_averaging_filter_weights_widens_what_a_frame_depends_on_by_the_smoothing(future, changed_frames):
    torch.manual_seed(0)
    gsr, tmp = GSR().eval(), TMP(tau=3, future=future, weight_smoothing=1).eval()
    assert tmp.smoothing_offsets == ([-1, 0] if future == 0 else [-1, 0, 1])
    torch.nn.init.normal_(tmp.filter_weights[1].weight, std=0.1)
    keypoints = torch.randn(1, 12, 17, 3)
    changed_input = keypoints.clone()
    changed_input[:, 5] += 1.0  # without smoothing: frames 5-8 (causal) or 3-8 (offline)
    with torch.no_grad():
        _, before = run_gsr_tmp(gsr, tmp, keypoints)
        _, after = run_gsr_tmp(gsr, tmp, changed_input)
    changed = [t for t in range(12) if (before[0, t] - after[0, t]).abs().max() > 1e-6]
    assert changed == changed_frames


def test_refined_poses_average_the_filter_weights_of_neighbouring_frames():
    candidates = torch.zeros(1, 4, 2, 17, 3)
    candidates[:, :, 1] = 1.0  # two candidates per frame: 0 and 1
    weights = torch.zeros(1, 4, 2, 17, 3)
    weights[:, 0::2, 0] = 1.0  # frames 0, 2 choose candidate 0; frames 1, 3 candidate 1
    weights[:, 1::2, 1] = 1.0
    poses = refined_poses(weights, candidates, torch.zeros(1, 4, 17, 3), [-1, 0, 1])[0, :, 0, 0]
    torch.testing.assert_close(poses, torch.tensor([1 / 3, 1 / 3, 2 / 3, 2 / 3]))  # the ends repeat the end frames


def test_context_window_clamps_at_both_ends_and_honours_the_stride():
    poses = torch.arange(6.0).view(1, 6, 1, 1).expand(1, 6, 17, 3)
    window = context_window(poses, [-2, -1, 1], stride=2)[0, :, :, 0, 0]
    assert window.tolist() == [[0, 0, 2], [0, 0, 3], [0, 0, 4], [0, 1, 5], [0, 2, 5], [1, 3, 5]]
