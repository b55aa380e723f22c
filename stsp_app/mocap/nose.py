"""Joint 9 of every motion: a nose, placed where the app's 2D stage has BlazePose's nose.

The app gives the lifter BlazePose's nose as joint 9 (``neck_nose``; ``stsp_app.epe.joint_mapping``). No
motion-capture rig records a nose, and each put a point on the neck there, so a lifter trained on the rigs
never saw the one 2D cue of which way the person faces (docs/RESULTS.md, "A nose in the lifter's 2D").
Every importer therefore places joint 9 from the thorax, the head and the trunk's facing:

    nose = thorax + ALONG * (head - thorax) + FORWARD * |head - thorax| * forward

``forward`` is the trunk's (:func:`~stsp_app.core.skeleton.trunk_forward`). ALONG and FORWARD are where the
app's nose sits on a real side view (``squat_side.mp4``'s standing frames: 0.57 of the way from the thorax to
the head top, 0.38 of that length forward of the line; measured like models/epe_noise_profile.json, on the
app's 2D output, not on any accuracy figure).
"""

from __future__ import annotations

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX, trunk_forward

NOSE_ALONG_THORAX_TO_HEAD = 0.57
NOSE_FORWARD_PER_THORAX_TO_HEAD = 0.38

_J = JOINT_INDEX


def place_nose(joints_mm: np.ndarray) -> np.ndarray:
    """(..., 3) nose positions from (..., 17, 3) joints whose joint 9 is ignored."""
    joints_mm = np.asarray(joints_mm, dtype=np.float64)
    thorax = joints_mm[..., _J["thorax"], :]
    thorax_to_head = joints_mm[..., _J["head"], :] - thorax
    reach = np.linalg.norm(thorax_to_head, axis=-1, keepdims=True)
    return (
        thorax
        + NOSE_ALONG_THORAX_TO_HEAD * thorax_to_head
        + NOSE_FORWARD_PER_THORAX_TO_HEAD * reach * trunk_forward(joints_mm)
    )
