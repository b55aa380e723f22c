"""Motion-aware ROI: move the landmark network's crop with the person and widen it for fast limbs.

The ROI for frame t comes from frame t-1's landmarks. The flow from t-1 to t tells how far the person moved
in between: the ROI centre is shifted by the median displacement of the moving part of the person's box,
and its size grows with the fastest motion inside it (95th-percentile speed), so that a kicking foot or a
throwing hand stays inside the crop. W_t (Eq. 4) at that speed sets the growth.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from stsp_app.epe.motion_saliency import MotionField, MotionWeighting

MAX_GROWTH = 1.25


def follow_motion(roi, motion: MotionField, weighting: MotionWeighting):
    """A copy of ``roi`` (a stsp_app.blazepose.Roi) shifted and grown along the motion field."""
    half = roi.size_px / 2
    box = np.array([roi.centre_px[0] - half, roi.centre_px[1] - half, roi.centre_px[0] + half, roi.centre_px[1] + half])
    shift_px, fast_speed_px = motion.region_motion_px(box)
    saliency = fast_speed_px / roi.size_px
    growth = min(MAX_GROWTH, float(weighting.weights(np.array(saliency)) / weighting.still_weight))
    return dataclasses.replace(roi, centre_px=np.asarray(roi.centre_px) + shift_px, size_px=roi.size_px * growth)
