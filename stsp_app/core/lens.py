"""Focal lengths in pixels, and the lens a video is taken to be filmed through.

A video file does not say through which lens it was filmed. Where the geometry needs one (a phone's pitch from the
uprights behind the child, ``epe.camera_roll``; the direction in which the camera sees the child,
``lifting.upright``), a phone's main camera is taken: 24-28 mm-equivalent on the phones of recent years, and a 16:9
webcam's 60-78 degrees across are 22-32 mm. A 2x lens taken for it reads half a pitch, which still mends most of
it; an ultra-wide (13 mm) reads twice the pitch, which from high up leans the 3D further than reading none
(docs/RESULTS.md, "A phone pitched down").
"""

from __future__ import annotations

import numpy as np

FULL_FRAME_DIAGONAL_MM = 43.27
ASSUMED_FOCAL_EQUIVALENT_MM = 26.0


def focal_px_from_equivalent_mm(focal_equivalent_mm: float, image_size_px: tuple[int, int]) -> float:
    """Focal length in pixels of a camera with the given 35 mm-equivalent focal length (diagonal convention)."""
    diagonal_px = float(np.hypot(*image_size_px))
    return focal_equivalent_mm * diagonal_px / FULL_FRAME_DIAGONAL_MM


def assumed_focal_px(image_size_px: tuple[int, int]) -> float:
    """The focal length in pixels taken for a video of this size (:data:`ASSUMED_FOCAL_EQUIVALENT_MM`)."""
    return focal_px_from_equivalent_mm(ASSUMED_FOCAL_EQUIVALENT_MM, image_size_px)
