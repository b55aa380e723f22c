"""GSR and TMP losses on hand-computed cases."""

import math

import numpy as np
import torch

from stsp_app.lifting.anthropometry import stature_mm
from stsp_app.lifting.losses import (
    acceleration_loss, angle_limit_loss, baseline_loss, bone_direction_loss, bone_length_loss, flexion_loss,
    gsr_loss, interior_angles, mpjpe, scale_aligned_mpjpe, stature_chain, tmp_loss, velocity_loss,
)


def straight_pose() -> torch.Tensor:
    """A standing skeleton (metres) with straight knees and elbows, arms out sideways."""
    p = torch.zeros(17, 3)
    p[1], p[2], p[3] = torch.tensor([-0.1, 0, 0]), torch.tensor([-0.1, -0.4, 0]), torch.tensor([-0.1, -0.8, 0])
    p[4], p[5], p[6] = torch.tensor([0.1, 0, 0]), torch.tensor([0.1, -0.4, 0]), torch.tensor([0.1, -0.8, 0])
    p[7], p[8], p[9], p[10] = (torch.tensor([0, y, 0]) for y in (0.25, 0.5, 0.6, 0.75))
    p[11], p[12], p[13] = torch.tensor([0.2, 0.5, 0]), torch.tensor([0.5, 0.5, 0]), torch.tensor([0.8, 0.5, 0])
    p[14], p[15], p[16] = torch.tensor([-0.2, 0.5, 0]), torch.tensor([-0.5, 0.5, 0]), torch.tensor([-0.8, 0.5, 0])
    return p


def test_mpjpe_by_hand():
    target = torch.zeros(17, 3)
    predicted = torch.zeros(17, 3)
    predicted[0] = torch.tensor([3.0, 4.0, 0.0])  # 5 m off
    predicted[5] = torch.tensor([0.0, 0.0, 1.7])
    assert math.isclose(mpjpe(predicted, target).item(), (5.0 + 1.7) / 17, rel_tol=1e-6)


def test_scale_aligned_mpjpe_ignores_size_only():
    target = straight_pose()[None]
    assert scale_aligned_mpjpe(0.7 * target, target).item() < 1e-6  # a smaller person, the same shape
    assert math.isclose(mpjpe(0.7 * target, target).item(), 0.3 * mpjpe(torch.zeros_like(target), target).item(),
                        rel_tol=1e-5)
    bent = target.clone()
    bent[0, 3] = torch.tensor([-0.1, -0.4, 0.4])  # right shank bent forwards
    assert scale_aligned_mpjpe(bent, target).item() > 0.01


def test_baseline_loss_is_the_papers_mpjpe_unless_asked():
    target = straight_pose()[None]
    smaller = 0.7 * target
    assert baseline_loss(smaller, target, 0.0).item() == mpjpe(smaller, target).item()
    bent = target.clone()
    bent[0, 3] = torch.tensor([-0.1, -0.4, 0.4])
    assert baseline_loss(bent, target, 2.0).item() > mpjpe(bent, target).item()


def test_bone_length_loss_by_hand():
    target = straight_pose()
    predicted = target.clone()
    predicted[3, 1] = -0.9  # right shank 0.5 m instead of 0.4 m: one bone of 16 off by 0.1
    assert math.isclose(bone_length_loss(predicted, target).item(), 0.1 / 16, rel_tol=1e-5)
    assert bone_length_loss(target, target).item() == 0.0


def test_bone_direction_loss_by_hand():
    target = straight_pose()
    assert bone_direction_loss(0.7 * target, target).item() < 1e-6  # a smaller person, the same directions
    bent = target.clone()
    bent[3] = torch.tensor([-0.1, -0.4, 0.4])  # right shank turned 90 degrees: one bone of 16, 1 - cos = 1
    assert math.isclose(bone_direction_loss(bent, target).item(), 1.0 / 16, rel_tol=1e-5)
    shipped = gsr_loss(bent[None], target[None], 1.0, 0.1, 3.0)
    assert gsr_loss(bent[None], target[None], 1.0, 0.1, 3.0, beta_direction=0.0).item() == shipped.item()
    assert math.isclose(gsr_loss(bent[None], target[None], 1.0, 0.1, 3.0, beta_direction=2.0).item(),
                        shipped.item() + 2.0 / 16, rel_tol=1e-5)


def test_flexion_loss_by_hand():
    target = straight_pose()
    assert flexion_loss(0.7 * target, target).item() < 1e-6  # a smaller person, the same angles
    bent = target.clone()
    bent[3] = torch.tensor([-0.1, -0.4, 0.4])  # right knee bent 90 degrees: one of the 4 knees and elbows
    # (a straight limb's angle is read through acos clamped just below 1: 0.0014 rad short of 180 degrees)
    assert math.isclose(flexion_loss(bent, target).item(), math.radians(90.0) / 4, abs_tol=1e-3)
    swung = target.clone()
    swung[1:4] = swung[1:4] + torch.tensor([0.0, 0.0, 0.05])  # the whole right leg moved: no angle changes
    assert flexion_loss(swung, target).item() < 1e-5
    shipped = gsr_loss(bent[None], target[None], 1.0, 0.1, 3.0)
    assert math.isclose(gsr_loss(bent[None], target[None], 1.0, 0.1, 3.0, beta_flexion=2.0).item(),
                        shipped.item() + 2.0 * math.radians(90.0) / 4, abs_tol=2e-3)


def test_angle_limits_by_hand():
    pose = straight_pose()
    assert angle_limit_loss(pose).item() == 0.0  # straight limbs, upright spine: within every range
    # Fold the right knee to a 10 deg interior angle: 15 deg below its 25 deg minimum; 7 triplets.
    folded = pose.clone()
    angle = math.radians(10.0)
    folded[3] = folded[2] + 0.4 * torch.tensor([0.0, math.cos(angle), math.sin(angle)])
    theta = interior_angles(folded, [(1, 2, 3)])
    assert math.isclose(math.degrees(theta.item()), 10.0, abs_tol=1e-3)
    assert math.isclose(angle_limit_loss(folded).item(), math.radians(15.0) / 7, rel_tol=1e-4)


def test_velocity_and_acceleration_losses_by_hand():
    target = torch.zeros(1, 4, 17, 3)
    predicted = torch.zeros(1, 4, 17, 3)
    predicted[0, 2, :, 0] = 0.3  # one frame 0.3 m off: velocity errors +0.3, -0.3 over 3 steps
    assert math.isclose(velocity_loss(predicted, target).item(), 0.2, rel_tol=1e-6)
    # second differences: frames 1..2 -> 0.3, -0.6 ... [0.3, -0.6] and [-0.6, 0.3]: mean |.| = 0.45
    assert math.isclose(acceleration_loss(predicted, target).item(), 0.45, rel_tol=1e-6)
    moving = torch.arange(4.0).view(1, 4, 1, 1).expand(1, 4, 17, 3)
    assert velocity_loss(moving, moving).item() == 0.0
    assert acceleration_loss(moving + 1.0, moving).item() == 0.0  # a constant offset has no motion error


def test_stature_chain_is_the_lifters_stature_measure():
    pose = straight_pose()
    # legs 0.8 m, pelvis -> spine -> thorax 0.5 m, thorax -> neck -> head 0.25 m
    assert math.isclose(stature_chain(pose).item(), 1.55, rel_tol=1e-6)
    assert math.isclose(stature_chain(pose).item() / stature_chain(0.5 * pose).item(), 2.0, rel_tol=1e-6)
    ratio = stature_chain(pose).item() / float(stature_mm(pose.numpy()))
    assert math.isclose(ratio, stature_chain(pose * 1.3).item() / float(stature_mm(1.3 * pose.numpy())), rel_tol=1e-5)


def test_tmp_loss_scores_the_shape_the_app_shows_not_the_size():
    """The lifter rescales every pose to the person's stature, so TMP is scored after that rescaling."""
    target = straight_pose().expand(1, 5, 17, 3).clone()
    target[0, :, 13, 1] += 0.4 * torch.linspace(0.0, 1.0, 5) ** 2  # the left hand rises faster and faster
    assert tmp_loss(target, target, 1.0, 1.0).item() < 1e-6
    size_changing = target * torch.tensor([1.0, 0.8, 1.2, 0.9, 1.1]).view(1, 5, 1, 1)
    assert tmp_loss(size_changing, target, 1.0, 1.0).item() < 1e-6  # rescaled away, as in the app
    still_hand = target.clone()
    still_hand[0, :, 13] = target[0, 0, 13]
    assert tmp_loss(still_hand, target, 1.0, 1.0).item() > 0.01
    assert tmp_loss(still_hand, target, 1.0, 5.0).item() > tmp_loss(still_hand, target, 1.0, 1.0).item()


def test_losses_have_gradients():
    predicted = straight_pose().requires_grad_(True)
    loss = bone_length_loss(predicted, straight_pose() * 1.1) + angle_limit_loss(predicted)
    loss.backward()
    assert np.isfinite(predicted.grad.numpy()).all() and predicted.grad.abs().sum() > 0
