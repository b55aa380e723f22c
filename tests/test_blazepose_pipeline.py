"""Detector -> ROI -> landmarks -> decoding on real images, against the LiteRT interpreter and ground truth."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stsp_app.blazepose import (
    PoseDetector,
    PoseLandmarker,
    Roi,
    decode_landmarks,
    refine_from_heatmap_7x7,
)
from stsp_app.blazepose.fetch import LANDMARK_VARIANTS, load_manifest, tflite_path
from stsp_app.blazepose.landmark_decoding import LANDMARK_NAMES
from stsp_app.blazepose.landmarker import landmark_output_from_tensors, preprocess_crop

NOSE, L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_WRIST, R_WRIST, L_HIP, R_HIP, L_KNEE, R_KNEE, L_ANKLE, R_ANKLE = (
    LANDMARK_NAMES.index(name)
    for name in (
        "nose", "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
        "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle",
    )
)


@pytest.fixture(scope="module")
def detector(blazepose_models):
    return PoseDetector(threads=2, device="cpu")


@pytest.fixture(scope="module")
def landmarker(blazepose_models):
    return PoseLandmarker("full", threads=2, device="cpu")


@pytest.fixture(scope="module")
def landmarkers(blazepose_models, landmarker):
    """Every available landmark model (lite and heavy need npm at fetch time)."""
    available = [v for v in LANDMARK_VARIANTS if v in blazepose_models.ready and v != "full"]
    return {"full": landmarker, **{v: PoseLandmarker(v, threads=2, device="cpu") for v in available}}


def test_detector_finds_the_footballer_and_landmarks_land_on_him(detector, landmarker, person_images):
    image = person_images["footballer"]
    height, width = image.shape[:2]
    detections = detector.detect(image)
    assert len(detections) == 1
    person = detections[0]
    assert person.score > 0.9
    x0, y0, x1, y1 = person.face_box_xyxy_px
    # The face is in the upper middle of this 548x342 picture.
    assert 150 < x0 < x1 < 350 and 40 < y0 < y1 < 220
    landmarks = decode_landmarks(landmarker.run(image, Roi.from_detection(person)))
    assert landmarks.presence > 0.9
    assert np.all(landmarks.xy_px >= 0)
    assert np.all(landmarks.xy_px[:, 0] < width) and np.all(landmarks.xy_px[:, 1] < height)
    nose = landmarks.xy_px[NOSE]
    assert x0 < nose[0] < x1 and y0 < nose[1] < y1, "the nose lies in the detected face box"
    shoulders_y = landmarks.xy_px[[L_SHOULDER, R_SHOULDER], 1].mean()
    hips_y = landmarks.xy_px[[L_HIP, R_HIP], 1].mean()
    ankles_y = landmarks.xy_px[[L_ANKLE, R_ANKLE], 1].mean()
    assert nose[1] < shoulders_y < hips_y < ankles_y
    assert landmarks.visibility[[NOSE, L_SHOULDER, R_SHOULDER, L_HIP, R_HIP]].min() > 0.9
    # World landmarks: hip-centred metres, shoulders about 0.3-0.6 m above the hips.
    world_hips = landmarks.world_m[[L_HIP, R_HIP]].mean(axis=0)
    assert np.linalg.norm(world_hips) < 0.05
    assert 0.3 < world_hips[1] - landmarks.world_m[[L_SHOULDER, R_SHOULDER], 1].mean() < 0.7


def test_landmarks_match_human36m_ground_truth(detector, landmarker, person_images):
    """Limb joints of the Human3.6M frame within 20 px of its 2D ground truth (a 1000x1002 image)."""
    from stsp_app.core.paths import shared_data_dir

    data = np.load(shared_data_dir() / "eval/h36m-3dhp-frames/h36m/test_h36m_body3d.npz")
    names = list(data["imgname"])
    ground_truth = data["part"][names.index("S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000001.jpg"), :, :2]
    image = person_images["h36m"]
    landmarks = decode_landmarks(landmarker.run(image, Roi.from_detection(detector.detect(image)[0])))
    # H36M joint -> BlazePose landmark: knees, ankles, shoulders, elbows, wrists (hips are defined differently).
    pairs = {
        2: R_KNEE, 3: R_ANKLE, 5: L_KNEE, 6: L_ANKLE, 11: L_SHOULDER, 12: L_ELBOW,
        13: L_WRIST, 14: R_SHOULDER, 15: R_ELBOW, 16: R_WRIST,
    }
    errors = np.linalg.norm(landmarks.xy_px[list(pairs.values())] - ground_truth[list(pairs.keys())], axis=1)
    assert errors.max() < 20.0, dict(zip(pairs, errors.round(1)))


@pytest.mark.parametrize("image_name", ["footballer", "h36m", "basketball"])
def test_decoding_onnx_outputs_equals_decoding_litert_outputs(
    image_name, detector, landmarkers, litert_reference, person_images
):
    """The same decoding on ONNX and on LiteRT outputs: within 0.05 px (detector keypoints and landmarks of
    every available landmark model)."""
    image = person_images[image_name]
    manifest = load_manifest()
    tensor, matrix = detector.preprocess(image)
    reference = litert_reference(tflite_path(manifest.models["detector"]), tensor)
    onnx_detections = detector.detect(image)
    litert_detections = detector.decode(reference["Identity"][0], reference["Identity_1"][0, :, 0], matrix)
    assert len(onnx_detections) == len(litert_detections) >= 1
    for ours, theirs in zip(onnx_detections, litert_detections):
        assert np.abs(ours.keypoints_px - theirs.keypoints_px).max() < 0.05
        assert np.abs(ours.face_box_xyxy_px - theirs.face_box_xyxy_px).max() < 0.05

    roi = Roi.from_detection(onnx_detections[0])
    for variant, landmarker in landmarkers.items():
        onnx_output = landmarker.run(image, roi)
        litert_tensors = litert_reference(tflite_path(manifest.models[variant]), preprocess_crop(image, roi))
        litert_output = landmark_output_from_tensors(litert_tensors, roi, onnx_output.image_size_wh)
        for refine in ("mediapipe", None):
            ours, theirs = decode_landmarks(onnx_output, refine), decode_landmarks(litert_output, refine)
            assert np.abs(ours.xy_px - theirs.xy_px).max() < 0.05, (variant, refine)
            assert np.abs(ours.auxiliary_px - theirs.auxiliary_px).max() < 0.05, (variant, refine)
            assert np.abs(ours.world_m - theirs.world_m).max() < 1e-3, variant
            assert np.abs(ours.visibility - theirs.visibility).max() < 1e-3, variant


def test_tracking_roi_from_auxiliary_points_keeps_the_person(detector, landmarker, person_images):
    image = person_images["footballer"]
    first = decode_landmarks(landmarker.run(image, Roi.from_detection(detector.detect(image)[0])))
    second = decode_landmarks(landmarker.run(image, Roi.from_auxiliary(first.auxiliary_px)))
    assert second.presence > 0.9
    assert np.median(np.linalg.norm(second.xy_px - first.xy_px, axis=1)) < 5.0


def test_roi_rule_and_crop_transform_round_trip():
    upright = Roi.from_points(np.array([100.0, 200.0]), np.array([100.0, 120.0]))
    assert upright.rotation_rad == pytest.approx(0.0)
    assert upright.size_px == pytest.approx(2 * 80 * 1.25)
    # Scale point to the right of the centre: the body lies horizontally, the crop is turned a quarter.
    lying = Roi.from_points(np.array([100.0, 200.0]), np.array([160.0, 200.0]))
    assert lying.rotation_rad == pytest.approx(math.pi / 2)
    points = np.array([[0.0, 0.0], [256.0, 256.0], [128.0, 128.0], [10.5, 200.25]])
    for roi in (upright, lying, Roi(np.array([50.0, 60.0]), 123.0, -0.7)):
        np.testing.assert_allclose(roi.image_to_crop(roi.crop_to_image(points)), points, atol=1e-9)
        # Crop centre is the ROI centre; crop corner (0,0) is the rotated top-left corner.
        np.testing.assert_allclose(roi.crop_to_image(np.array([[128.0, 128.0]]))[0], roi.centre_px, atol=1e-9)
    np.testing.assert_allclose(upright.crop_to_image(np.array([[0.0, 0.0]]))[0], [0.0, 100.0], atol=1e-9)
    with pytest.raises(ValueError, match="degenerate ROI"):
        Roi.from_points(np.array([5.0, 5.0]), np.array([5.0, 5.0])).crop_transform()


def test_crop_samples_the_image_where_the_transform_says():
    """A bright pixel in the image shows up in the crop at roi.image_to_crop of its position."""
    image = np.zeros((300, 400, 3), np.uint8)
    image[150, 220] = 255
    roi = Roi(np.array([200.0, 150.0]), 64.0, 0.4)
    crop = roi.crop(image)
    expected = roi.image_to_crop(np.array([[220.0, 150.0]]))[0]
    brightest = np.unravel_index(np.argmax(crop[:, :, 0].astype(float)), crop.shape[:2])
    assert np.hypot(brightest[1] - expected[0], brightest[0] - expected[1]) <= 1.5


def test_heatmap_refinement_moves_to_the_confident_peak_only():
    heatmap = np.full((64, 64, 4), -10.0, np.float32)
    rows, columns = np.mgrid[0:64, 0:64]
    # Landmark 0: a symmetric confident blob centred on cell (row 20, column 30).
    heatmap[:, :, 0] = 8.0 - ((rows - 20) ** 2 + (columns - 30) ** 2)
    # Landmark 1: nothing above 0.5 probability -> unchanged. Landmark 2: left of the heatmap -> unchanged.
    heatmap[:, :, 1] = -1.0
    # Landmark 3: one cell below the heatmap; only the last window rows (61..63) remain, all equally confident
    # in column 10 -> refined to their mean row 62 (MediaPipe's bounds check lets such points through).
    heatmap[61:64, 10, 3] = 5.0
    # The model's point sits in cell (20, 30) but 1.5 / 2 crop px off its corner: refined onto the blob centre.
    crop_xy = np.array([[30 * 4 + 1.5, 20 * 4 + 2.0], [100.0, 100.0], [-20.0, 50.0], [10 * 4 + 1.0, 64 * 4 + 2.0]])
    refined = refine_from_heatmap_7x7(crop_xy, heatmap)
    np.testing.assert_allclose(refined[0], [30 * 4, 20 * 4], atol=1e-6)
    np.testing.assert_array_equal(refined[1:3], crop_xy[1:3])
    assert refined[3, 1] == pytest.approx(62 * 4, abs=0.05)
    assert refined[3, 0] == pytest.approx(10 * 4, abs=0.5)


def _refine_cell_by_cell(crop_xy, heatmap_logits, crop_size=256, kernel=7, min_confidence=0.5):
    """MediaPipe's RefineLandmarksFromHeatMap restated loop by loop (the reference for the vectorised one)."""
    height, width, _ = heatmap_logits.shape
    refined = np.array(crop_xy, np.float64)
    offset = (kernel - 1) // 2
    for index, (x, y) in enumerate(crop_xy):
        column, row = int(x / crop_size * width), int(y / crop_size * height)
        if column < 0 or column >= width or row < 0 or column >= height:  # sic: MediaPipe tests the column twice
            continue
        total = weighted_column = weighted_row = best = 0.0
        for r in range(max(0, row - offset), min(height, row + offset + 1)):
            for c in range(max(0, column - offset), min(width, column + offset + 1)):
                confidence = 1.0 / (1.0 + math.exp(-float(heatmap_logits[r, c, index])))
                total += confidence
                best = max(best, confidence)
                weighted_column += c * confidence
                weighted_row += r * confidence
        if best >= min_confidence and total > 0:
            refined[index] = [weighted_column / width / total * crop_size, weighted_row / height / total * crop_size]
    return refined


def test_heatmap_refinement_equals_the_cell_by_cell_algorithm_on_real_heatmaps(detector, landmarker, person_images):
    rng = np.random.default_rng(0)
    for image in person_images.values():
        output = landmarker.run(image, Roi.from_detection(detector.detect(image)[0]))
        # The model's own points, and the same points shifted around, some off the crop on every side.
        for shift_px in (0.0, 6.0, 40.0):
            crop_xy = output.raw_crop[:, :2] + rng.normal(0.0, shift_px, (39, 2))
            np.testing.assert_allclose(
                refine_from_heatmap_7x7(crop_xy, output.heatmap_logits),
                _refine_cell_by_cell(crop_xy, output.heatmap_logits),
                atol=1e-9,
            )


def test_detector_returns_nothing_on_an_empty_picture_and_rejects_non_rgb(detector):
    from stsp_app.errors import InputError

    assert detector.detect(np.zeros((240, 426, 3), np.uint8)) == []
    with pytest.raises(InputError, match="RGB"):
        detector.detect(np.zeros((240, 426), np.uint8))


def test_rotating_image_and_roi_together_rotates_landmarks_and_world_points(detector, landmarker, person_images):
    """Checks the ROI's rotation sign, the crop/decode pixel convention and the world-landmark back-rotation
    at once: a quarter turn of the picture with the same quarter turn of the ROI samples the same crop, so the
    outputs must be the first ones turned by 90 degrees (clockwise on screen: (x, y) -> (H-1-y, x))."""
    image = person_images["footballer"]
    height = image.shape[0]
    roi = Roi.from_detection(detector.detect(image)[0])
    upright = decode_landmarks(landmarker.run(image, roi))
    turned_image = np.ascontiguousarray(np.rot90(image, k=-1))
    turned_centre = np.array([height - 1 - roi.centre_px[1], roi.centre_px[0]])
    turned_roi = Roi(turned_centre, roi.size_px, roi.rotation_rad + math.pi / 2)
    assert np.abs(turned_roi.crop(turned_image).astype(int) - roi.crop(image).astype(int)).max() <= 1
    turned = decode_landmarks(landmarker.run(turned_image, turned_roi))
    expected_xy = np.stack([height - 1 - upright.xy_px[:, 1], upright.xy_px[:, 0]], axis=1)
    assert np.abs(turned.xy_px - expected_xy).max() < 0.1
    expected_world = np.stack([-upright.world_m[:, 1], upright.world_m[:, 0], upright.world_m[:, 2]], axis=1)
    assert np.abs(turned.world_m - expected_world).max() < 0.002


def test_without_graph_fusion_the_landmarks_change_only_in_their_rounding(detector, landmarker, person_images):
    """``eval-2d --rounding no-graph-fusion`` (how far the 2D figures move between machines) runs the same
    arithmetic with other rounding: the landmarks agree to well under a thousandth of a pixel."""
    from stsp_app.blazepose.runtime import set_graph_fusion

    image = person_images["footballer"]
    roi = Roi.from_detection(detector.detect(image)[0])
    fused = decode_landmarks(landmarker.run(image, roi)).xy_px
    set_graph_fusion(False)
    try:
        unfused = decode_landmarks(PoseLandmarker("full", threads=2, device="cpu").run(image, roi)).xy_px
    finally:
        set_graph_fusion(True)
    np.testing.assert_allclose(unfused, fused, atol=1e-3)


def test_tiles_find_the_people_too_small_for_the_whole_pictures_detector(detector):
    """Four copies of the squat clip's athlete in a 2x2 grid: squeezed whole into 224x224 their faces are a few
    pixels and the detector misses some; on the picture's quarters it finds each once."""
    import cv2

    from stsp_app.core.paths import shared_data_dir
    from stsp_app.core.video_source import VideoSource

    frame = cv2.cvtColor(VideoSource(shared_data_dir() / "video/squat_side.mp4").read(30), cv2.COLOR_BGR2RGB)
    grid = np.vstack([np.hstack([frame, frame]), np.hstack([frame, frame])])
    assert len(detector.detect(grid)) < 4
    found = detector.detect_with_tiles(grid)
    assert len(found) == 4
    height, width = frame.shape[:2]
    quarters = {(int(d.keypoints_px[0, 0] // width), int(d.keypoints_px[0, 1] // height)) for d in found}
    assert quarters == {(0, 0), (1, 0), (0, 1), (1, 1)}  # one in each copy: no duplicates across the tiles
