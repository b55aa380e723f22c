"""How a hand-held camera moved: each frame's map onto the first frame's picture, from the background.

A coach often films holding the phone. The picture then sways by tens of pixels while the child jumps, and a
drill that reads the feet's height in the picture reads the sway with it (docs/RESULTS.md, "Hand-held
camera"). The background shows the sway: corners found on a key frame's background (outside everyone's body
box) are followed into each frame with pyramidal Lucas-Kanade, and a similarity (shift, turn, zoom) is fitted
to them with RANSAC, which leaves out corners that moved otherwise (a passer-by, a corner the child uncovered).
Each frame is registered to the key frame directly, not to the frame before, so a still camera gives the
identity on every frame with no drift; the key frame moves on only when fewer than 60 % of its corners still
fit (the child has covered them, or the camera has panned away), and the new key frame's own map is chained on.
Where the key frame's corners are lost at once, the frame before becomes the key frame. On the 320 px picture
of the optical flow, with 100 corners and a 9 px window, it costs about 1 ms a frame and follows the camera to
about a pixel (docs/RESULTS.md; docs/PERFORMANCE.md).

``scene_from_image`` maps a frame's pixels onto the first analysed frame's: (2, 3), ``scene = A @ [x, y, 1]``.
Where the background cannot be followed (a blank wall, nobody's corners left) the camera is taken to be where
it was on the frame before, and the frame is counted in :attr:`CameraMotion.frames_not_followed`.
"""

from __future__ import annotations

import cv2
import numpy as np

MAX_CORNERS = 100
CORNER_QUALITY = 0.005
CORNER_SPACING_PX = 6  # on the downscaled picture
MIN_FITTED_CORNERS = 20
REKEY_SHARE = 0.6  # a new key frame once fewer than this share of the key frame's corners still fit
FIT_TOLERANCE_PX = 1.0  # RANSAC's reprojection bound, downscaled pixels
# Around a body box, the part also kept out of the background: loose clothes, hair, a ball held out.
BOX_MARGIN_X, BOX_MARGIN_Y = 0.15, 0.10
LK_WINDOW = (9, 9)
LK_LEVELS = 3  # pyramid levels: follows sways of up to about 2**3 * 5 downscaled pixels from the key frame


class CameraMotion:
    """Follows the camera through a clip's frames, in order (:meth:`update` once per frame)."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._key_grey: np.ndarray | None = None
        self._key_corners: np.ndarray | None = None  # (N, 1, 2) float32, downscaled pixels
        self._key_to_scene = np.eye(3)  # downscaled pixels
        self._last = np.eye(3)
        self._previous: tuple[np.ndarray, list[np.ndarray], np.ndarray] | None = None  # grey, boxes, map
        self._scale = 1.0
        self.frames_not_followed = 0

    def update(self, grey: np.ndarray, scale: float, body_boxes_px: list[np.ndarray]) -> np.ndarray:
        """This frame's ``scene_from_image`` (2, 3) in full-size pixels. ``grey``, ``scale``: the frame as
        ``motion_saliency.downscaled_grey`` gives it; ``body_boxes_px``: the people seen in it (x0, y0, x1, y1,
        full-size pixels), whose pixels are not background."""
        if self._key_grey is None or grey.shape != self._key_grey.shape:
            self._scale = scale
            self._new_key(grey, body_boxes_px, np.eye(3))
        else:
            image_to_key, still_fitting = self._register(grey, body_boxes_px)
            if image_to_key is None and self._previous is not None:
                # the key frame's corners are lost at once (a fast sway, the child in front): the frame before
                # is the nearest picture to register on
                self._new_key(*self._previous)
                image_to_key, still_fitting = self._register(grey, body_boxes_px)
            if image_to_key is None:
                self.frames_not_followed += 1  # taken to be where the camera was on the frame before
                self._new_key(grey, body_boxes_px, self._last)
            else:
                self._last = self._key_to_scene @ image_to_key
                if still_fitting < REKEY_SHARE * len(self._key_corners):
                    self._new_key(grey, body_boxes_px, self._last)
        self._previous = (grey, body_boxes_px, self._last)
        full_size = np.diag([1.0 / self._scale, 1.0 / self._scale, 1.0])
        return (full_size @ self._last @ np.linalg.inv(full_size))[:2]

    def _new_key(self, grey: np.ndarray, body_boxes_px: list[np.ndarray], key_to_scene: np.ndarray) -> None:
        self._key_grey = grey
        self._key_to_scene = self._last = key_to_scene
        mask = np.where(self._inside_bodies(grey.shape, body_boxes_px), 0, 255).astype(np.uint8)
        self._key_corners = cv2.goodFeaturesToTrack(grey, MAX_CORNERS, CORNER_QUALITY, CORNER_SPACING_PX, mask=mask)

    def _register(self, grey: np.ndarray, body_boxes_px: list[np.ndarray]) -> tuple[np.ndarray | None, int]:
        """(the map from this frame onto the key frame (3, 3, downscaled pixels) or None, how many corners fit)."""
        key = self._key_corners
        if key is None or len(key) < MIN_FITTED_CORNERS:
            return None, 0
        found, status, _ = cv2.calcOpticalFlowPyrLK(self._key_grey, grey, key, None, winSize=LK_WINDOW,
                                                     maxLevel=LK_LEVELS)
        usable = status[:, 0] == 1
        inside = self._inside_bodies(grey.shape, body_boxes_px)
        column = np.clip(found[:, 0, 0].round().astype(int), 0, grey.shape[1] - 1)
        row = np.clip(found[:, 0, 1].round().astype(int), 0, grey.shape[0] - 1)
        usable &= ~inside[row, column]
        if usable.sum() < MIN_FITTED_CORNERS:
            return None, 0
        fitted, inliers = cv2.estimateAffinePartial2D(found[usable], key[usable], method=cv2.RANSAC,
                                                      ransacReprojThreshold=FIT_TOLERANCE_PX)
        if fitted is None or inliers.sum() < MIN_FITTED_CORNERS:
            return None, 0
        return np.vstack([fitted, [0.0, 0.0, 1.0]]), int(inliers.sum())

    def _inside_bodies(self, shape: tuple[int, ...], body_boxes_px: list[np.ndarray]) -> np.ndarray:
        """(h, w) bool: the downscaled pixels within a body box and its margin."""
        inside = np.zeros(shape[:2], dtype=bool)
        for box in body_boxes_px:
            x0, y0, x1, y1 = np.asarray(box, dtype=np.float64) * self._scale
            margin_x, margin_y = BOX_MARGIN_X * (x1 - x0), BOX_MARGIN_Y * (y1 - y0)
            columns = slice(max(0, int(x0 - margin_x)), max(0, int(np.ceil(x1 + margin_x))))
            rows = slice(max(0, int(y0 - margin_y)), max(0, int(np.ceil(y1 + margin_y))))
            inside[rows, columns] = True
        return inside


def to_scene(points: np.ndarray, scene_from_image: np.ndarray) -> np.ndarray:
    """(..., C >= 2) image points (x, y first; other channels kept) mapped by a (2, 3) ``scene_from_image``, or
    by (..., 2, 3) maps that broadcast against the points' leading axes."""
    out = np.array(points, dtype=np.float64, copy=True)
    matrix = np.asarray(scene_from_image, dtype=np.float64)
    out[..., :2] = np.einsum("...ij,...j->...i", matrix[..., :2], out[..., :2]) + matrix[..., 2]
    return out


def columns_to_scene(points: np.ndarray, scene_from_image: np.ndarray) -> np.ndarray:
    """A clip's (T, J, C >= 2) image points mapped, frame by frame, by (T, 2, 3) maps; frames whose map is NaN
    (no map) are left as they are."""
    maps = np.asarray(scene_from_image, dtype=np.float64)
    out = np.array(points, dtype=np.float64, copy=True)
    mapped = np.isfinite(maps).all(axis=(1, 2))
    out[mapped] = to_scene(out[mapped], maps[mapped, None])
    return out


def inverse_maps(scene_from_image: np.ndarray) -> np.ndarray:
    """(T, 2, 3) maps from the first frame's picture back onto each frame's (NaN stays NaN)."""
    maps = np.asarray(scene_from_image, dtype=np.float64)
    inverse = np.full(maps.shape, np.nan)
    mapped = np.isfinite(maps).all(axis=(1, 2))
    square = np.concatenate([maps[mapped], np.broadcast_to([0.0, 0.0, 1.0], (int(mapped.sum()), 1, 3))], axis=1)
    inverse[mapped] = np.linalg.inv(square)[:, :2]
    return inverse
