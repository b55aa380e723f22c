"""The camera's own motion, followed on the background (stsp_app.epe.camera_motion)."""

import cv2
import numpy as np
import pytest

from stsp_app.epe.camera_motion import CameraMotion, columns_to_scene, inverse_maps, to_scene
from stsp_app.epe.motion_saliency import downscaled_grey

WIDTH, HEIGHT = 640, 360
CORNERS_PX = np.array([[0, 0], [WIDTH, 0], [0, HEIGHT], [WIDTH, HEIGHT], [WIDTH / 2, HEIGHT / 2]], dtype=float)


def _background(seed: int = 0) -> np.ndarray:
    """A textured scene larger than the picture (blobs and edges, as a gym's or a track's background has)."""
    rng = np.random.default_rng(seed)
    scene = cv2.GaussianBlur(rng.integers(0, 255, (HEIGHT + 200, WIDTH + 200), dtype=np.uint8), (0, 0), 3)
    scene = cv2.normalize(scene, None, 0, 255, cv2.NORM_MINMAX)
    for _ in range(60):
        x, y = rng.integers(0, WIDTH + 200), rng.integers(0, HEIGHT + 200)
        cv2.rectangle(scene, (int(x), int(y)), (int(x + rng.integers(5, 40)), int(y + rng.integers(5, 40))),
                      int(rng.integers(0, 255)), -1)
    return cv2.cvtColor(scene, cv2.COLOR_GRAY2BGR)


def _picture(scene: np.ndarray, image_to_scene: np.ndarray, person_x: float) -> tuple[np.ndarray, np.ndarray]:
    """The camera's picture of ``scene`` (image pixel p shows scene point image_to_scene @ p), with a flat grey
    "person" walking across it; (picture, the person's body box)."""
    picture = cv2.warpAffine(scene, image_to_scene[:2], (WIDTH, HEIGHT),
                             flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP)
    box = np.array([person_x, 60.0, person_x + 90.0, 330.0])
    cv2.rectangle(picture, (int(box[0]), int(box[1])), (int(box[2]), int(box[3])), (90, 60, 200), -1)
    return picture, box


def _similarity(shift_x: float, shift_y: float, turn_deg: float = 0.0, zoom: float = 1.0) -> np.ndarray:
    """A camera map about the picture's centre, as a hand-held phone sways: image -> scene, (3, 3), plus the
    margin of 100 px by which the scene extends beyond the picture."""
    centre = np.array([WIDTH / 2, HEIGHT / 2])
    turn = cv2.getRotationMatrix2D(tuple(centre), turn_deg, zoom)
    matrix = np.vstack([turn, [0, 0, 1]])
    matrix[:2, 2] += [100 + shift_x, 100 + shift_y]
    return matrix


def _follow(frames: list[tuple[np.ndarray, np.ndarray]]) -> tuple[list[np.ndarray], CameraMotion]:
    camera = CameraMotion()
    maps = []
    for picture, box in frames:
        grey, scale = downscaled_grey(picture)
        maps.append(camera.update(grey, scale, [box]))
    return maps, camera


def test_a_still_camera_maps_every_frame_onto_the_first_without_drift():
    scene = _background()
    frames = [_picture(scene, _similarity(0, 0), 20 + 3 * t) for t in range(150)]
    maps, camera = _follow(frames)
    worst = max(np.abs(to_scene(CORNERS_PX, scene_map) - CORNERS_PX).max() for scene_map in maps)
    assert worst < 0.1
    assert camera.frames_not_followed == 0


def test_a_swaying_turning_zooming_camera_is_followed_to_a_pixel():
    scene = _background(1)
    times = np.arange(120) / 30.0
    truth = [_similarity(25 * np.sin(2 * np.pi * 0.8 * t) + 6 * np.sin(2 * np.pi * 4.3 * t),
                         15 * np.sin(2 * np.pi * 1.1 * t + 1.0), 1.5 * np.sin(2 * np.pi * 0.5 * t),
                         1.0 + 0.03 * np.sin(2 * np.pi * 0.3 * t)) for t in times]
    frames = [_picture(scene, image_to_scene, 30 + 4 * row) for row, image_to_scene in enumerate(truth)]
    maps, camera = _follow(frames)
    first_from_scene = np.linalg.inv(truth[0])
    errors = []
    for scene_map, image_to_scene in zip(maps, truth):
        expected = (first_from_scene @ image_to_scene)[:2]  # this picture onto the first one's
        errors.append(np.abs(to_scene(CORNERS_PX, scene_map) - to_scene(CORNERS_PX, expected)).max())
    assert max(errors) < 1.0, f"worst {max(errors):.2f} px at frame {int(np.argmax(errors))}"
    assert camera.frames_not_followed == 0


def test_a_blank_picture_is_counted_and_the_camera_kept_where_it_was():
    scene = _background(2)
    frames = [_picture(scene, _similarity(2.0 * t, 0), 40) for t in range(10)]
    blank = (np.full((HEIGHT, WIDTH, 3), 128, dtype=np.uint8), frames[-1][1])
    maps, camera = _follow(frames + [blank, blank])
    assert camera.frames_not_followed == 2
    np.testing.assert_allclose(maps[-1], maps[-3], atol=1e-9)


def test_to_scene_keeps_the_other_channels():
    points = np.array([[10.0, 20.0, 0.7], [np.nan, np.nan, 0.0]])
    moved = to_scene(points, np.array([[1.0, 0.0, 5.0], [0.0, 1.0, -3.0]]))
    np.testing.assert_allclose(moved[0], [15.0, 17.0, 0.7])
    assert np.isnan(moved[1, :2]).all() and moved[1, 2] == 0.0


def test_a_clips_maps_apply_frame_by_frame_and_invert():
    maps = np.stack([_similarity(3.0, -2.0, 4.0, 1.05)[:2], np.full((2, 3), np.nan), _similarity(0, 0)[:2]])
    points = np.random.default_rng(3).uniform(0, 600, (3, 5, 3))
    on_scene = columns_to_scene(points, maps)
    np.testing.assert_allclose(on_scene[0], to_scene(points[0], maps[0]))
    np.testing.assert_allclose(on_scene[1], points[1])  # a frame without a map is left as it is
    np.testing.assert_allclose(columns_to_scene(on_scene, inverse_maps(maps)), points, atol=1e-9)
    assert np.isnan(inverse_maps(maps)[1]).all()


@pytest.mark.parametrize("clip", ["sprint_start_b1.mp4"])
def test_a_real_hand_held_clip_is_followed_as_its_background_shows(analysed_clip, shared_data, clip):
    """The sprint clips were filmed holding the phone: their background drifts by tens of pixels. The analysis's
    maps agree with the stands' own shift, measured apart by phase correlation on the picture's top."""
    analysis = analysed_clip(clip)
    capture = cv2.VideoCapture(str(shared_data / "video" / clip))
    tops = {}
    for index in range(201):
        ok, frame = capture.read()
        assert ok
        if index in (0, 100, 200):
            tops[index] = cv2.cvtColor(frame[:300], cv2.COLOR_BGR2GRAY).astype(np.float32)
    capture.release()
    centre = np.array([[640.0, 150.0]])
    for index in (100, 200):
        (shift_x, shift_y), _ = cv2.phaseCorrelate(tops[0], tops[index])  # where frame 0's stands are in this one
        mapped = to_scene(centre, analysis.frames[index].scene_from_image)[0]
        assert np.hypot(*(mapped - centre[0] + [shift_x, shift_y])) < 4.0, (index, mapped - centre[0], shift_x,
                                                                              shift_y)
    assert max(np.abs(to_scene(centre, frame.scene_from_image) - centre).max() for frame in analysis.frames) > 20
