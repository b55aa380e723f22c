"""Training losses of GSR (paper Eq. 15-16) and TMP (Eq. 19-20, 22); poses in metres, (..., 17, 3).

Joint-angle limits (Eq. 16): interior angle at the middle joint of each triplet, in degrees, with the normal
ranges of motion they come from (docs/lifting.md):
- knee: flexion 0-150 deg in children (Soucie et al. 2011, Haemophilia 17:500-507, normal ROM of 674 healthy
  people aged 2-69: knee flexion ~ 142-153 deg); AAOS (Greene & Heckman 1994) 0-135 -> interior angle >= 25 deg
  (a 5 deg margin for marker placement);
- elbow: flexion 0-150 deg (AAOS; Soucie et al. 2011: ~ 145-150 deg) -> interior angle >= 25 deg;
- hip (pelvis-hip-knee): abduction 0-45 deg and adduction 0-30 deg (AAOS) alone would keep the thigh between
  ~60 and ~135 deg from the pelvis line, but combined with deep flexion (climbing, crouching) the CMU training
  mocap reaches 25-45 deg in up to 28 % of some trials' frames; we allow 20-170 deg so the limit only catches
  impossible poses;
- spine (pelvis-spine-thorax): lumbar plus thoracic flexion ~ 80 deg (AAOS) -> interior angle >= 90 deg.
Upper limits of 180 deg are implicit in an interior angle.
"""

from __future__ import annotations

import math

import torch

from stsp_app.core.skeleton import BONES
from stsp_app.lifting.anthropometry import LEG_BONES, THORAX_TO_HEAD, TRUNK_BONES

ANGLE_LIMITS_DEG: tuple[tuple[tuple[int, int, int], float, float], ...] = (
    ((1, 2, 3), 25.0, 180.0),  # right knee
    ((4, 5, 6), 25.0, 180.0),  # left knee
    ((11, 12, 13), 25.0, 180.0),  # left elbow
    ((14, 15, 16), 25.0, 180.0),  # right elbow
    ((0, 1, 2), 20.0, 170.0),  # right hip
    ((0, 4, 5), 20.0, 170.0),  # left hip
    ((0, 7, 8), 90.0, 180.0),  # spine
)

_PARENTS = torch.tensor([p for p, _ in BONES])
_CHILDREN = torch.tensor([c for _, c in BONES])


def mpjpe(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean per-joint position error (L_3D, L_seq)."""
    return torch.linalg.norm(predicted - target, dim=-1).mean()


def bone_vectors(poses: torch.Tensor) -> torch.Tensor:
    """(..., 16, 3): each bone of ``BONES`` as the vector from its parent joint to its child joint."""
    return poses[..., _CHILDREN, :] - poses[..., _PARENTS, :]


def bone_lengths(poses: torch.Tensor) -> torch.Tensor:
    return torch.linalg.norm(bone_vectors(poses), dim=-1)


def bone_length_loss(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Eq. 15 with l_ij the target person's own bone lengths: mean | |P_i - P_j| - l_ij |.

    (Our training people have many statures, so one reference length per bone would be wrong; the paper's
    equation also lacks the absolute value that makes it a loss.)
    """
    return (bone_lengths(predicted) - bone_lengths(target)).abs().mean()


def bone_direction_loss(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean over bones of 1 - cos(angle between the predicted and the target bone): the error of the limbs'
    directions, on which every joint angle depends, whatever the bones' lengths and the person's size."""
    cosine = torch.nn.functional.cosine_similarity(bone_vectors(predicted), bone_vectors(target), dim=-1, eps=1e-8)
    return (1.0 - cosine).mean()


def interior_angles(poses: torch.Tensor, triplets: list[tuple[int, int, int]]) -> torch.Tensor:
    """Angle (radians) at joint j between bones j->i and j->k for each (i, j, k): (..., len(triplets))."""
    i, j, k = (torch.tensor(column) for column in zip(*triplets))
    a = poses[..., i, :] - poses[..., j, :]
    b = poses[..., k, :] - poses[..., j, :]
    cosine = (a * b).sum(-1) / (torch.linalg.norm(a, dim=-1) * torch.linalg.norm(b, dim=-1) + 1e-8)
    return torch.acos(cosine.clamp(-1 + 1e-6, 1 - 1e-6))


def flexion_loss(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean absolute error (radians) of the knees' and elbows' interior angles. An absolute error is smallest
    at the median of what the 2D leaves open, where the position losses aim at its mean: a leg that looks
    straight is most often straight, but the few bent ones pull the mean towards a bend."""
    triplets = [triplet for triplet, _, _ in ANGLE_LIMITS_DEG[:4]]  # the knees and elbows
    return (interior_angles(predicted, triplets) - interior_angles(target, triplets)).abs().mean()


def angle_limit_loss(predicted: torch.Tensor) -> torch.Tensor:
    """Eq. 16: mean hinge (radians) of each triplet's interior angle outside its physiological range."""
    triplets = [triplet for triplet, _, _ in ANGLE_LIMITS_DEG]
    lower = torch.tensor([math.radians(low) for _, low, _ in ANGLE_LIMITS_DEG])
    upper = torch.tensor([math.radians(high) for _, _, high in ANGLE_LIMITS_DEG])
    theta = interior_angles(predicted, triplets)
    return (torch.relu(theta - upper) + torch.relu(lower - theta)).mean()


def velocity_loss(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Velocity term for sequences (B, T, 17, 3): mean norm of the error of the per-frame velocities.

    Eq. 19 as printed penalises the prediction's own change of velocity with no target, which pushes every
    motion towards stillness; we compare with the target's velocity instead (as VideoPose3D/MotionBERT do),
    and take the norm rather than its square so that the term has the scale of L_seq.
    """
    return torch.linalg.norm(torch.diff(predicted, dim=1) - torch.diff(target, dim=1), dim=-1).mean()


def acceleration_loss(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Eq. 20 against the target's acceleration: mean norm of the error of second differences, (B, T, 17, 3)."""
    return torch.linalg.norm(torch.diff(predicted, n=2, dim=1) - torch.diff(target, n=2, dim=1), dim=-1).mean()


def scale_aligned_mpjpe(predicted: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """MPJPE after scaling each root-relative pose (..., 17, 3) by its least-squares factor onto the target
    (N-MPJPE, Rhodin et al. 2018): the error of the pose's shape, without the guess of the person's size."""
    predicted = predicted - predicted[..., :1, :]
    target = target - target[..., :1, :]
    factor = (predicted * target).sum(dim=(-2, -1)) / (predicted * predicted).sum(dim=(-2, -1)).clamp_min(1e-8)
    return mpjpe(factor[..., None, None] * predicted, target)


def gsr_loss(predicted: torch.Tensor, target: torch.Tensor, beta_bone: float, beta_angle: float,
             beta_shape: float, beta_direction: float = 0.0, beta_flexion: float = 0.0) -> torch.Tensor:
    """L_GSR = L_3D + beta1 L_skel + beta2 L_angle + beta_shape L_shape + beta_direction L_direction
    + beta_flexion L_flexion.

    L_shape (N-MPJPE) is ours, not the paper's: the person's size cannot be read from box-normalised 2D
    (docs/lifting.md), so L_3D alone spends much of its gradient on guessing it; L_shape rewards the shape
    whatever the size guess. It cut validation P-MPJPE by 3 mm (docs/RESULTS.md). L_direction
    (``bone_direction_loss``, ours too) weighs every bone's direction alike, a forearm as much as the trunk.
    L_flexion (``flexion_loss``, ours) scores the knees' and elbows' angles themselves (shipped at 0.5).
    """
    loss = (mpjpe(predicted, target) + beta_bone * bone_length_loss(predicted, target)
            + beta_angle * angle_limit_loss(predicted) + beta_shape * scale_aligned_mpjpe(predicted, target))
    if beta_direction:
        loss = loss + beta_direction * bone_direction_loss(predicted, target)
    if beta_flexion:
        loss = loss + beta_flexion * flexion_loss(predicted, target)
    return loss


def baseline_loss(predicted: torch.Tensor, target: torch.Tensor, beta_shape: float) -> torch.Tensor:
    """The MLP and TCN baselines: MPJPE, as in their papers, plus optionally L_shape (a control: does the shape
    term help any lifter, or GSR only?)."""
    return mpjpe(predicted, target) + beta_shape * scale_aligned_mpjpe(predicted, target)


def stature_chain(poses: torch.Tensor) -> torch.Tensor:
    """(..., 17, 3) -> (...): the ankle-to-head joint chain whose length the lifter scales to the person's
    stature (``stsp_app.lifting.anthropometry.stature_mm`` without its constant share of stature)."""
    lengths = bone_lengths(poses)
    legs = lengths[..., [BONES.index(bone) for bone in LEG_BONES]].sum(dim=-1)
    body = lengths[..., [BONES.index(bone) for bone in TRUNK_BONES]].sum(dim=-1)
    head = torch.linalg.vector_norm(poses[..., THORAX_TO_HEAD[1], :] - poses[..., THORAX_TO_HEAD[0], :], dim=-1)
    return 0.5 * legs + body + head


def tmp_loss(predicted: torch.Tensor, target: torch.Tensor, gamma_velocity: float,
             gamma_acceleration: float) -> torch.Tensor:
    """L_TMP = L_seq + gamma1 L_vel + gamma2 L_acc (Eq. 22) on (B, T, 17, 3) sequences.

    Unlike the paper, the terms score the poses as the app shows them: each rescaled to the person's stature
    (``stsp_app.lifting.lifter``). TMP is then not rewarded for smoothing away frame-to-frame size changes
    that the rescaling removes anyway, nor for guessing the size (the lifter takes it from GSR).
    """
    predicted = predicted - predicted[..., :1, :]
    shown = predicted * (stature_chain(target) / stature_chain(predicted).clamp_min(1e-3))[..., None, None]
    return (mpjpe(shown, target) + gamma_velocity * velocity_loss(shown, target)
            + gamma_acceleration * acceleration_loss(shown, target))
