"""Distances between poses and the similarity alignment of one pose onto another (P-MPJPE's Procrustes step).

Shared by training (validation scores) and evaluation (``stsp-coach eval-3d``), so it sits below both.
"""

from __future__ import annotations

import numpy as np


def joint_errors_mm(predicted: np.ndarray, target: np.ndarray) -> np.ndarray:
    """(..., 17, 3) -> (..., 17) Euclidean distance per joint."""
    return np.linalg.norm(predicted - target, axis=-1)


def procrustes_align(predicted: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Each frame of ``predicted`` (T, J, 3) moved onto ``target`` by the best similarity transform.

    Rotation, uniform scale and translation minimising the squared distance (Umeyama 1991), no reflection.
    """
    mu_p = predicted.mean(axis=1, keepdims=True)
    mu_t = target.mean(axis=1, keepdims=True)
    p = predicted - mu_p
    t = target - mu_t
    covariance = np.einsum("fji,fjk->fik", p, t)  # sum_j p_j t_j^T
    u, s, vt = np.linalg.svd(covariance)
    sign = np.sign(np.linalg.det(np.einsum("fij,fjk->fik", u, vt)))
    d = np.ones_like(s)
    d[:, -1] = sign
    rotation = np.einsum("fij,fj,fjk->fki", u, d, vt)  # R = V D U^T, so R p ~ t
    scale = (s * d).sum(axis=1) / (p ** 2).sum(axis=(1, 2))
    return scale[:, None, None] * np.einsum("fij,fkj->fki", rotation, p) + mu_t
