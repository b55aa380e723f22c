"""Motion-aware ROI: move the landmark network's crop with the person.

The ROI for frame t comes from frame t-1's landmarks. The flow from t-1 to t tells how far the person moved
in between, so the ROI centre is shifted by the median displacement of the moving part of its box (the
pixels at or above the 75th percentile of |O_t|, i.e. the salient region of Eq. 3). Growing the ROI with
the motion as well was tried and lost more frames than it saved (docs/method.md): a bigger crop shows the
person smaller to the network.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from stsp_app.epe.motion_saliency import MotionField


def follow_motion(roi, motion: MotionField):
    """A copy of ``roi`` (a stsp_app.blazepose.Roi) shifted along the motion field."""
    half = roi.size_px / 2
    box = np.array([roi.centre_px[0] - half, roi.centre_px[1] - half, roi.centre_px[0] + half, roi.centre_px[1] + half])
    shift_px = motion.region_shift_px(box)
    return dataclasses.replace(roi, centre_px=np.asarray(roi.centre_px) + shift_px)
