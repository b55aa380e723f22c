"""Scaling adult motion-capture skeletons to children's statures and proportions.

Children are not small adults: at smaller statures the head is a larger share of the body and the legs a
smaller one. We model two published growth quantities as functions of stature (docs/lifting.md has the
sources and how exact they are):

- the sitting-height ratio SH/H (sitting height over stature): about 0.57 at 1.0 m (3-4 years), falling to
  the adult 0.52 by 1.6 m (Fredriks et al. 2005, Dutch growth references, Arch Dis Child 90:807-812; CDC
  NHANES anthropometric reference data show the same trend);
- head height (vertex to chin): about 190 mm at 1.0 m stature, 228 mm in adults, i.e. 19 % of stature at
  1.0 m against 12.7 % at 1.8 m (Farkas 1994, "Anthropometry of the Head and Face", age norms of head height).

Legs (hip to floor) are 1 - SH/H of stature, head and neck bones follow head height, trunk bones the rest of
sitting height; arms and widths scale with stature (arm span stays close to stature through childhood).
The source subjects (CMU adults) are assumed to have the adult proportions of their own stature.
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import BONES, PARENTS

# Share of stature spanned by the chain ankle -> knee -> hip plus pelvis -> spine -> thorax, then straight
# from the thorax to the head joint (joint 9 is a nose in front of that line, stsp_app.mocap.nose, so the
# chain does not pass through it): stature minus ankle height (0.039 H, Drillis & Contini 1966) and the crown
# above the head joint (about 0.02 H). An assumption of this module, used consistently for measuring and for scaling.
CHAIN_SHARE_OF_STATURE = 0.94

_STATURE_GRID_M = np.array([1.0, 1.2, 1.4, 1.6, 1.8])
_SITTING_HEIGHT_RATIO = np.array([0.565, 0.545, 0.527, 0.520, 0.520])
_HEAD_HEIGHT_MM = np.array([190.0, 200.0, 210.0, 220.0, 228.0])

LEG_BONES = ((1, 2), (2, 3), (4, 5), (5, 6))
TRUNK_BONES = ((0, 7), (7, 8))
HEAD_BONES = ((8, 9), (9, 10))
THORAX_TO_HEAD = (8, 10)  # the stature chain's last segment, straight, not along HEAD_BONES


def sitting_height_ratio(stature_mm: float) -> float:
    return float(np.interp(stature_mm / 1000.0, _STATURE_GRID_M, _SITTING_HEIGHT_RATIO))


def head_height_ratio(stature_mm: float) -> float:
    return float(np.interp(stature_mm / 1000.0, _STATURE_GRID_M, _HEAD_HEIGHT_MM) / stature_mm)


def _bone_length(joints: np.ndarray, bone: tuple[int, int]) -> np.ndarray:
    return np.linalg.norm(joints[..., bone[1], :] - joints[..., bone[0], :], axis=-1)


def stature_mm(joints_mm: np.ndarray) -> np.ndarray:
    """Stature implied by a 17-joint skeleton (..., 17, 3): the ankle-to-head joint chain / CHAIN_SHARE_OF_STATURE.

    Uses bone lengths only, so the pose does not matter.
    """
    right_leg = _bone_length(joints_mm, (1, 2)) + _bone_length(joints_mm, (2, 3))
    left_leg = _bone_length(joints_mm, (4, 5)) + _bone_length(joints_mm, (5, 6))
    body = sum(_bone_length(joints_mm, bone) for bone in TRUNK_BONES + (THORAX_TO_HEAD,))
    return (0.5 * (right_leg + left_leg) + body) / CHAIN_SHARE_OF_STATURE


def segment_scale_factors(source_stature_mm: float, target_stature_mm: float) -> np.ndarray:
    """Per-bone length factors (16,) (in BONES order) turning a source skeleton into the target's proportions.

    Before the final uniform rescale to the exact target stature.
    """
    uniform = target_stature_mm / source_stature_mm
    leg = (1.0 - sitting_height_ratio(target_stature_mm)) / (1.0 - sitting_height_ratio(source_stature_mm))
    head = head_height_ratio(target_stature_mm) / head_height_ratio(source_stature_mm)
    trunk = (sitting_height_ratio(target_stature_mm) - head_height_ratio(target_stature_mm)) / (
        sitting_height_ratio(source_stature_mm) - head_height_ratio(source_stature_mm)
    )
    factors = np.full(len(BONES), uniform)
    for index, bone in enumerate(BONES):
        if bone in LEG_BONES:
            factors[index] *= leg
        elif bone in TRUNK_BONES:
            factors[index] *= trunk
        elif bone in HEAD_BONES:
            factors[index] *= head
    return factors


def rebuild_with_bone_factors(joints_mm: np.ndarray, factors: np.ndarray) -> np.ndarray:
    """Scale each bone of (..., 17, 3) joints by its factor keeping every bone's direction and the root."""
    out = np.empty_like(joints_mm)
    out[..., 0, :] = joints_mm[..., 0, :]
    for index, (parent, child) in enumerate(BONES):
        assert PARENTS[child] == parent and parent < child
        bone = joints_mm[..., child, :] - joints_mm[..., parent, :]
        out[..., child, :] = out[..., parent, :] + factors[index] * bone
    return out


def scale_to_stature(joints_mm: np.ndarray, target_stature_mm: float) -> np.ndarray:
    """A motion (T, 17, 3) of an adult, re-proportioned to a person of ``target_stature_mm``.

    The root trajectory is scaled with the body (a child covers less ground with each stride).
    """
    source = float(np.median(stature_mm(joints_mm)))
    factors = segment_scale_factors(source, target_stature_mm)
    root = joints_mm[..., :1, :]
    rebuilt = rebuild_with_bone_factors(joints_mm - root, factors)
    reached = float(np.median(stature_mm(rebuilt)))
    exact = target_stature_mm / reached
    return rebuilt * exact + root * (target_stature_mm / source)
