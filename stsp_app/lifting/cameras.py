"""Virtual pinhole cameras like a coach's phone or a gym camera, and projection through them.

World frame of the mocap data: right-handed, Y up, millimetres. Camera frame: x right, y down, z away from the
camera (OpenCV convention), millimetres. ``world_to_camera`` is ``X_cam = R @ X_world + t``.

Focal lengths are drawn from real devices (docs/lifting.md):
- phone main cameras, 24-28 mm full-frame equivalent: diagonal field of view 2*atan(43.27 / (2 f_eq)),
  i.e. 75-84 degrees;
- phone 2x "tele" crops, 48-52 mm equivalent (45-48 degrees diagonal);
- webcams with a horizontal field of view of 60-78 degrees.
Frames are 16:9 or 4:3, landscape or (phones only) portrait.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stsp_app.core.lens import focal_px_from_equivalent_mm

LANDSCAPE_FRAME_SIZES_PX: tuple[tuple[int, int], ...] = (
    (1920, 1080), (1280, 720), (3840, 2160),  # 16:9
    (640, 480), (1440, 1080), (4032, 3024),  # 4:3
)


@dataclass(frozen=True)
class Camera:
    """A pinhole camera without lens distortion."""

    K: np.ndarray  # (3, 3) intrinsics, pixels
    R: np.ndarray  # (3, 3) world -> camera rotation
    t_mm: np.ndarray  # (3,) world -> camera translation, mm
    image_size_px: tuple[int, int]  # (width, height)

    def world_to_camera(self, points_world_mm: np.ndarray) -> np.ndarray:
        """(..., 3) world points -> (..., 3) camera-frame points, mm."""
        return points_world_mm @ self.R.T + self.t_mm

    def camera_to_world(self, points_camera_mm: np.ndarray) -> np.ndarray:
        return (points_camera_mm - self.t_mm) @ self.R

    def project(self, points_camera_mm: np.ndarray) -> np.ndarray:
        """(..., 3) camera-frame points (z > 0) -> (..., 2) pixel coordinates."""
        return project_points(points_camera_mm, self.K)


def project_points(points_camera_mm: np.ndarray, K: np.ndarray) -> np.ndarray:
    """Pinhole projection of camera-frame points (..., 3) with intrinsics K -> pixels (..., 2)."""
    z = points_camera_mm[..., 2:3]
    normalised = points_camera_mm[..., :2] / z
    return normalised * np.array([K[0, 0], K[1, 1]]) + np.array([K[0, 2], K[1, 2]])


def back_project(points_px: np.ndarray, depth_mm: np.ndarray, K: np.ndarray) -> np.ndarray:
    """Inverse of ``project_points`` given each point's depth z (mm): pixels (..., 2) -> camera points (..., 3)."""
    xy = (points_px - np.array([K[0, 2], K[1, 2]])) / np.array([K[0, 0], K[1, 1]])
    return np.concatenate([xy * depth_mm[..., None], depth_mm[..., None]], axis=-1)


def intrinsics(focal_px: float, image_size_px: tuple[int, int]) -> np.ndarray:
    width, height = image_size_px
    return np.array([[focal_px, 0.0, width / 2.0], [0.0, focal_px, height / 2.0], [0.0, 0.0, 1.0]])


def focal_px_from_horizontal_fov(hfov_deg: float, image_size_px: tuple[int, int]) -> float:
    return image_size_px[0] / (2.0 * np.tan(np.radians(hfov_deg) / 2.0))


def look_at_rotation(eye_mm: np.ndarray, target_mm: np.ndarray, roll_deg: float = 0.0) -> np.ndarray:
    """World -> camera rotation of a camera at ``eye`` looking at ``target`` with world Y up (image y down)."""
    forward = target_mm - eye_mm
    forward = forward / np.linalg.norm(forward)
    world_up = np.array([0.0, 1.0, 0.0])
    right = np.cross(forward, world_up)  # camera x: right in the image
    right = right / np.linalg.norm(right)
    down = np.cross(forward, right)  # camera y: down in the image
    R = np.stack([right, down, forward])  # rows: camera axes in world coordinates
    roll = np.radians(roll_deg)
    roll_matrix = np.array([[np.cos(roll), -np.sin(roll), 0.0], [np.sin(roll), np.cos(roll), 0.0], [0.0, 0.0, 1.0]])
    return roll_matrix @ R


def sample_intrinsics(rng: np.random.Generator) -> tuple[np.ndarray, tuple[int, int]]:
    """A random real-device camera: (K, (width, height))."""
    width, height = LANDSCAPE_FRAME_SIZES_PX[rng.integers(len(LANDSCAPE_FRAME_SIZES_PX))]
    kind = rng.choice(["phone_main", "phone_tele", "webcam"], p=[0.55, 0.15, 0.30])
    if kind != "webcam" and rng.random() < 0.4:
        width, height = height, width  # a phone held upright
    size = (int(width), int(height))
    if kind == "phone_main":
        focal = focal_px_from_equivalent_mm(rng.uniform(24.0, 28.0), size)
    elif kind == "phone_tele":
        focal = focal_px_from_equivalent_mm(rng.uniform(48.0, 52.0), size)
    else:
        focal = focal_px_from_horizontal_fov(rng.uniform(60.0, 78.0), size)
    return intrinsics(focal, size), size


def sample_camera(rng: np.random.Generator, subject_centre_world_mm: np.ndarray, floor_y_mm: float) -> Camera:
    """A camera 0.5-2.5 m above the floor, 2-10 m (horizontally) from the subject, any direction, aimed near them."""
    K, size = sample_intrinsics(rng)
    azimuth = rng.uniform(0.0, 2.0 * np.pi)
    distance_mm = rng.uniform(2000.0, 10000.0)
    height_mm = rng.uniform(500.0, 2500.0)
    eye = np.array([
        subject_centre_world_mm[0] + distance_mm * np.sin(azimuth),
        floor_y_mm + height_mm,
        subject_centre_world_mm[2] + distance_mm * np.cos(azimuth),
    ])
    # Aim roughly at the subject, not exactly: people are rarely framed dead centre.
    aim = subject_centre_world_mm + rng.normal(0.0, 0.06 * distance_mm, size=3) * np.array([1.0, 0.5, 1.0])
    R = look_at_rotation(eye, aim, roll_deg=rng.normal(0.0, 3.0))
    return Camera(K=K, R=R, t_mm=-R @ eye, image_size_px=size)
