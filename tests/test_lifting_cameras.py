"""Virtual cameras: projection round trip, aiming, real-device focal lengths, placement ranges."""

import numpy as np

from stsp_app.core.lens import focal_px_from_equivalent_mm
from stsp_app.lifting.cameras import (
    back_project,
    focal_px_from_horizontal_fov,
    intrinsics,
    look_at_rotation,
    project_points,
    sample_camera,
)


def test_projection_round_trip_recovers_the_points():
    rng = np.random.default_rng(0)
    K = intrinsics(1400.0, (1920, 1080))
    points = rng.uniform([-2000, -1500, 2000], [2000, 1500, 9000], size=(50, 3))
    pixels = project_points(points, K)
    np.testing.assert_allclose(back_project(pixels, points[:, 2], K), points, rtol=1e-12)


def test_projection_of_a_known_point():
    K = intrinsics(1000.0, (1280, 720))
    np.testing.assert_allclose(project_points(np.array([200.0, -100.0, 4000.0]), K), [640 + 50, 360 - 25])


def test_look_at_puts_the_target_at_the_image_centre_with_world_up_pointing_up():
    eye = np.array([3000.0, 1500.0, -4000.0])
    target = np.array([0.0, 1000.0, 0.0])
    R = look_at_rotation(eye, target)
    np.testing.assert_allclose(R @ R.T, np.eye(3), atol=1e-12)
    assert np.linalg.det(R) > 0
    in_camera = R @ (target - eye)
    np.testing.assert_allclose(in_camera[:2], 0.0, atol=1e-9)
    above = R @ (target + np.array([0.0, 500.0, 0.0]) - eye)
    assert above[1] < 0  # higher in the world = smaller image y


def test_focal_lengths_of_real_devices():
    # A 26 mm-equivalent phone camera has a 79.6 deg diagonal field of view.
    size = (1920, 1080)
    focal = focal_px_from_equivalent_mm(26.0, size)
    diagonal_fov = np.degrees(2 * np.arctan(np.hypot(*size) / 2 / focal))
    assert abs(diagonal_fov - 79.53) < 0.05
    # A webcam with 70 deg horizontal field of view on a 640-wide frame.
    assert abs(focal_px_from_horizontal_fov(70.0, (640, 480)) - 320 / np.tan(np.radians(35))) < 1e-9


def test_sampled_cameras_stay_in_the_documented_ranges():
    rng = np.random.default_rng(1)
    centre = np.array([500.0, 950.0, -300.0])
    for _ in range(200):
        camera = sample_camera(rng, centre, floor_y_mm=40.0)
        eye = camera.camera_to_world(np.zeros(3))
        horizontal = np.hypot(eye[0] - centre[0], eye[2] - centre[2])
        assert 2000.0 - 1e-6 <= horizontal <= 10000.0 + 1e-6
        assert 540.0 - 1e-6 <= eye[1] <= 2540.0 + 1e-6
        width, height = camera.image_size_px
        assert {round(max(width, height) / min(width, height), 3)} <= {1.778, 1.333}
        assert camera.world_to_camera(centre)[2] > 0
