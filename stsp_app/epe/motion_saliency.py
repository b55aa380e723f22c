"""Motion saliency from dense optical flow (paper Eq. 2-4).

O_t = Psi(I_{t-1}, I_t) is OpenCV's DIS optical flow on a downscaled grey image; the saliency S_t = |O_t| is
expressed as a fraction of the person's size per frame (so it means the same at any resolution), and the
enhancement weights are W_t = 1 + gamma * exp(lambda * S_t). The weights act in three places (docs/method.md):
on the heatmaps before decoding, on the ROI, and on the temporal filter.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# Flow is computed on a grey image whose longer side is at most this many pixels: DIS "ultrafast" then costs
# about 1-2 ms a frame on one core, and limb motion of a person filling part of the frame is still resolved.
FLOW_MAX_SIDE_PX = 320
# Saliency is clipped here (fraction of the person's size per frame) so exp(lambda * S) stays bounded.
SALIENCY_CLIP = 0.5


@dataclass(frozen=True)
class MotionWeighting:
    """gamma and lambda of Eq. 4; W = 1 + gamma * exp(lambda * S) with S in person sizes per frame."""

    gamma: float = 1.0
    lam: float = 20.0

    def weights(self, saliency: np.ndarray) -> np.ndarray:
        return 1.0 + self.gamma * np.exp(self.lam * np.clip(saliency, 0.0, SALIENCY_CLIP))

    @property
    def still_weight(self) -> float:
        """W where nothing moves (S = 0)."""
        return 1.0 + self.gamma


class OpticalFlow:
    """Dense flow between consecutive frames, in full-resolution pixels per frame."""

    def __init__(self) -> None:
        self._dis = cv2.DISOpticalFlow.create(cv2.DISOPTICAL_FLOW_PRESET_ULTRAFAST)
        self._previous_grey: np.ndarray | None = None
        self.scale = 1.0  # flow-image pixels per full-image pixel

    def reset(self) -> None:
        self._previous_grey = None

    def __getstate__(self) -> dict:
        """The previous frame and scale (to resume an analysis); OpenCV's flow object holds nothing between
        frames and is made afresh."""
        return {"previous_grey": self._previous_grey, "scale": self.scale}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self._previous_grey, self.scale = state["previous_grey"], state["scale"]

    def update(self, grey: np.ndarray, scale: float) -> np.ndarray | None:
        """Flow (h, w, 2) from the previous frame to this one, on the downscaled grid; None on the first frame.
        ``grey``, ``scale``: this frame as :func:`downscaled_grey` gives it."""
        self.scale = scale
        previous, self._previous_grey = self._previous_grey, grey
        if previous is None or previous.shape != grey.shape:
            return None
        flow = self._dis.calc(previous, grey, None)
        return flow / self.scale  # displacement in full-resolution pixels, sampled on the small grid


def downscaled_grey(frame_bgr: np.ndarray) -> tuple[np.ndarray, float]:
    """(the frame in grey, its longer side at most FLOW_MAX_SIDE_PX; its pixels per full-size pixel): the picture
    the optical flow and the camera's motion (``stsp_app.epe.camera_motion``) are measured on."""
    height, width = frame_bgr.shape[:2]
    scale = min(1.0, FLOW_MAX_SIDE_PX / max(height, width))
    grey = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
    if scale < 1.0:
        grey = cv2.resize(grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    return grey, scale


class MotionField:
    """Flow of one frame plus what the stage reads from it."""

    def __init__(self, flow_px: np.ndarray, grid_scale: float) -> None:
        self.flow_px = flow_px        # (h, w, 2) displacement in full-resolution px per frame, downscaled grid
        self.grid_scale = grid_scale  # downscaled-grid pixels per full-resolution pixel
        self.speed_px = cv2.magnitude(flow_px[..., 0], flow_px[..., 1])  # |O_t| (Eq. 3), float32

    def sample_speed_px(self, points_px: np.ndarray) -> np.ndarray:
        """|O_t| at image points (N, 2), bilinear (points outside the frame take the border value)."""
        speed = self.speed_px
        grid = (np.asarray(points_px, dtype=np.float32) * self.grid_scale).reshape(-1, 1, 2)
        sampled = cv2.remap(speed, grid[..., 0], grid[..., 1], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        return sampled.reshape(-1)

    def speed_in_crop(self, image_to_crop: np.ndarray, crop_size: int) -> np.ndarray:
        """|O_t| resampled onto a crop grid given the 2x3 image->crop affine of that grid."""
        # grid px -> image px is a scaling by 1/grid_scale; compose it in front of image -> crop.
        grid_to_crop = np.array(image_to_crop, dtype=np.float64)
        grid_to_crop[:, :2] /= self.grid_scale
        return cv2.warpAffine(
            self.speed_px, grid_to_crop, (crop_size, crop_size),
            flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE,
        )

    def region_shift_px(self, box_xyxy_px: np.ndarray) -> np.ndarray:
        """Median displacement (2,) of the moving part of a box: its pixels at or above the 75th percentile
        of |O_t| (sampled on every second grid pixel, which changes the median by a fraction of a pixel)."""
        x0, y0, x1, y1 = np.round(np.asarray(box_xyxy_px) * self.grid_scale).astype(int)
        h, w = self.flow_px.shape[:2]
        x0, x1 = np.clip([x0, x1], 0, w)
        y0, y1 = np.clip([y0, y1], 0, h)
        if x1 - x0 < 2 or y1 - y0 < 2:
            return np.zeros(2)
        region = self.flow_px[y0:y1:2, x0:x1:2].reshape(-1, 2)
        speed = self.speed_px[y0:y1:2, x0:x1:2].reshape(-1)
        fast = speed >= np.partition(speed, (3 * len(speed)) // 4)[(3 * len(speed)) // 4]
        return np.median(region[fast], axis=0)
