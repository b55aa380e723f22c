"""Colours shared by the 2D overlay and the 3D view, so that a side looks the same everywhere."""

from __future__ import annotations

from stsp_app.core.skeleton import bone_side

# RGB in 0..1. Left: blue, right: orange-red, the midline: light grey (the person's own sides).
SIDE_COLOURS_RGB: dict[str, tuple[float, float, float]] = {
    "left": (0.22, 0.62, 1.00),
    "right": (1.00, 0.42, 0.20),
    "centre": (0.88, 0.88, 0.88),
}


def bone_colour_rgb(parent: int, child: int) -> tuple[float, float, float]:
    return SIDE_COLOURS_RGB[bone_side(parent, child)]
