"""The EPE stage: frames in, the analysed person's 2D keypoints (17 H36M joints + raw 33) out.

Per frame (docs/method.md):
1. optical flow from the previous frame and motion saliency (Eq. 2-4);
2. the detector, when the analysed person is lost or at a low rate to follow everyone else;
3. the landmark network on the analysed person's ROI, moved/grown along the motion (motion-aware ROI);
4. keypoints decoded from the heatmaps by soft-argmax (Eq. 7), motion-weighted (Eq. 5);
5. the local trajectory constraint (Eq. 8), motion-aware, as a causal filter;
6. BlazePose 33 -> H36M 17;
7. how the camera moved, from the background (``camera_motion``), for the drills that read the picture over time;
8. once a second, the background's upright lines (``camera_roll``), which tell how far the phone was turned.
"""

from __future__ import annotations

import pickle
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from stsp_app import blazepose
from stsp_app.blazepose.landmarker import CROP_SIZE
from stsp_app.blazepose.roi import ROI_SCALE
from stsp_app.core.analysis import TrackedPerson
from stsp_app.epe.camera_motion import CameraMotion
from stsp_app.epe.camera_roll import BackgroundVerticals
from stsp_app.epe.config import EPEConfig
from stsp_app.epe.heatmap_decoding import HEATMAP_SIZE, soft_argmax_decode
from stsp_app.epe.joint_mapping import blazepose_to_h36m
from stsp_app.epe.motion_saliency import MotionField, OpticalFlow, downscaled_grey
from stsp_app.epe.person_tracking import PersonTracker, torso_histogram
from stsp_app.epe.roi_motion import follow_motion
from stsp_app.epe.trajectory_filter import NoFilter, make_filter

PRESENCE_THRESHOLD = 0.5
# A pose counts only if its shoulders or its hips are visible: the landmark network sometimes "finds" a body
# in person-like clutter (a backboard), with near-zero torso visibility. Real people measured >= 0.99 here
# (docs/method.md); the OR keeps upper-body close-ups and people cut off at the waist.
MIN_TORSO_VISIBILITY = 0.8
# ... and one of its limb joints: in a blurred or compressed wide shot the network can make a "person" of a lamp
# post and trees, face, shoulders and hips at full visibility but every elbow, wrist, knee and ankle under 0.5,
# while the sprinter it missed is in plain view (docs/RESULTS.md, "Keeping the person"); every person followed in
# the shared clips has a limb joint at 0.6 or more on every frame. A track seen without limbs more often than with
# them is no person: its poses without limbs are nobody, and it is passed over when the person to follow is chosen
# automatically, the picture's quarters searched for another (_detect). A child whose limbs leave the picture for
# a frame (the youth basketball clip cut to its middle) keeps her track and that frame.
MIN_LIMB_VISIBILITY = 0.5
SHOULDERS, HIPS = [11, 12], [23, 24]  # BlazePose landmark indices
LIMB_JOINTS = [13, 14, 15, 16, 25, 26, 27, 28]  # elbows, wrists, knees, ankles
LANDMARK_COUNT = 33
# A person chosen by place (EPEConfig.person_at) is the one whose body box overlaps the given box this much.
MIN_PLACE_OVERLAP = 0.3
STAGE_TIMERS = ("flow", "detector", "landmarks", "decoding", "filter", "camera")
# What the stage carries from frame to frame (EPEStage.state); the networks and the config are not state.
_CARRIED_STATE = ("flow", "camera", "verticals", "tracker", "_filter", "selected_id", "_person_at",
                  "_choose_automatically", "_roi", "_last_detection_index", "_last_tiled_index", "_limb_counts")


@dataclass
class EPEFrame:
    person_id: int | None
    kp2d: np.ndarray | None          # (17, 3) x_px, y_px, confidence
    kp2d_raw33: np.ndarray | None    # (33, 3) x_px, y_px, visibility
    people: list[TrackedPerson]
    timings_ms: dict[str, float] = field(default_factory=dict)
    scene_from_image: np.ndarray | None = None  # (2, 3) this frame onto the first one's picture (camera_motion)
    # The same before the per-frame (causal) filter, where it has one (live): what the live drill reads
    kp2d_unfiltered: np.ndarray | None = None
    kp2d_raw33_unfiltered: np.ndarray | None = None


def _box_around(points_px: np.ndarray, margin: float) -> np.ndarray:
    low, high = points_px.min(axis=0), points_px.max(axis=0)
    pad = margin * (high - low).max()
    return np.array([low[0] - pad, low[1] - pad, high[0] + pad, high[1] + pad])


def _square_box(centre_px: np.ndarray, side_px: float) -> np.ndarray:
    half = side_px / 2
    return np.array([centre_px[0] - half, centre_px[1] - half, centre_px[0] + half, centre_px[1] + half])


def _torso_box_of_detection(detection) -> np.ndarray:
    """Where an upright person's shirt is, from the detector's mid-hip (kp0) and scale point (kp1)."""
    hip, top = np.asarray(detection.keypoints_px[0]), np.asarray(detection.keypoints_px[1])
    length = float(np.linalg.norm(top - hip))
    low, high = hip + 0.15 * (top - hip), hip + 0.5 * (top - hip)
    half_width = 0.12 * length
    return np.array([
        min(low[0], high[0]) - half_width, min(low[1], high[1]), max(low[0], high[0]) + half_width, max(low[1], high[1])
    ])


def _body_box_of_roi(roi) -> np.ndarray:
    """The square a detection's ROI spans, without MediaPipe's 1.25 margin: roughly the body."""
    return _square_box(roi.centre_px, roi.size_px / ROI_SCALE)


class EPEStage:
    def __init__(self, config: EPEConfig | None = None, fps: float = 30.0) -> None:
        self.config = config or EPEConfig()
        self.config.validate()
        self.fps = fps
        self.detector = blazepose.PoseDetector(threads=self.config.threads, device=self.config.device)
        self.landmarker = blazepose.PoseLandmarker(
            variant=self.config.model, threads=self.config.threads, device=self.config.device
        )
        self.device_name = self.landmarker.model.device_name
        self.flow = OpticalFlow()
        self.camera = CameraMotion()
        self.verticals = BackgroundVerticals(fps)
        self.tracker = PersonTracker(max_missing_frames=round(5 * fps))
        self._filter = make_filter(self.config.temporal_filter, fps, self.config.smoothing)
        self.reset()

    def reset(self) -> None:
        self.flow.reset()
        self.camera.reset()
        self.verticals.reset()
        self.tracker.reset()
        self.selected_id = self.config.person_id
        self._person_at = self.config.person_at  # (frame, body box) of the person to follow, until found
        self._choose_automatically = self.config.person_id is None and self.config.person_at is None
        self._roi = None                  # where the analysed person is expected in the next frame
        self._last_detection_index = self._last_tiled_index = -(10**9)
        self._limb_counts: dict[int, list[int]] = {}  # per track: poses with a limb seen, poses without
        self._filter.reset()

    def state(self) -> bytes:
        """Everything the stage carries from one frame to the next (the previous frame's flow image, the
        tracks, the chosen person, the ROI, the filter), to resume an analysis exactly where it stopped."""
        return pickle.dumps({name: getattr(self, name) for name in _CARRIED_STATE}, protocol=pickle.HIGHEST_PROTOCOL)

    def restore_state(self, state: bytes) -> None:
        """Continue from a :meth:`state` of this stage's configuration (saved by this app in the user's own
        analysis folder: never load one from elsewhere)."""
        for name, value in pickle.loads(state).items():
            setattr(self, name, value)

    def select_person(self, person_id: int | None) -> None:
        """Analyse another person from the next frame on (None: the most prominent one)."""
        self.selected_id = person_id
        self._person_at = None
        self._choose_automatically = person_id is None
        self._roi = None
        self._filter.reset()

    def process(self, frame_bgr: np.ndarray, index: int) -> EPEFrame:
        timings: dict[str, float] = dict.fromkeys(STAGE_TIMERS, 0.0)
        clock = time.perf_counter()
        grey, scale = downscaled_grey(frame_bgr) if self.config.uses_flow or self.config.camera_motion else (None, 1.0)
        motion = None
        if self.config.uses_flow:
            flow = self.flow.update(grey, scale)
            if flow is not None:
                motion = MotionField(flow, self.flow.scale)
        timings["flow"] = _elapsed_ms(clock)
        result = self._find_person(frame_bgr, index, motion, timings)
        boxes = [person.box_xyxy_px for person in result.people]
        if self.config.camera_motion:
            clock = time.perf_counter()
            result.scene_from_image = self.camera.update(grey, scale, boxes)
            timings["camera"] = _elapsed_ms(clock)
        if self.config.camera_roll:
            clock = time.perf_counter()
            self.verticals.update(frame_bgr, boxes, result.scene_from_image)
            timings["camera"] += _elapsed_ms(clock)
        return result

    def _find_person(self, frame_bgr: np.ndarray, index: int, motion: MotionField | None,
                     timings: dict[str, float]) -> EPEFrame:
        clock = time.perf_counter()
        image_rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        timings["flow"] += _elapsed_ms(clock)

        detected_now = False
        if self._roi is None or index - self._last_detection_index >= self.config.detection_interval_frames:
            self._detect(frame_bgr, image_rgb, index, timings)
            detected_now = True

        output = None
        if self._roi is not None:
            roi = self._roi
            if motion is not None and self.config.motion_roi and not detected_now:
                roi = follow_motion(roi, motion)
            output = self._run_landmarks(image_rgb, roi, timings)
            if output is None and not detected_now:
                # Lost: look for the person with the detector in this same frame and try once more.
                self._detect(frame_bgr, image_rgb, index, timings)
                if self._roi is not None:
                    output = self._run_landmarks(image_rgb, self._roi, timings)

        if output is None:
            self._roi = None
            self._filter.reset()
            return EPEFrame(None, None, None, self._people(index, None), timings)

        clock = time.perf_counter()
        xy_px, visibility, auxiliary_px = self._decode(output, motion)
        limbless = bool(visibility[LIMB_JOINTS].max() < MIN_LIMB_VISIBILITY)
        if self.selected_id is not None:
            self._limb_counts.setdefault(self.selected_id, [0, 0])[limbless] += 1
        if ((limbless and self.selected_id in self._limbless_ids())
                or max(visibility[SHOULDERS].mean(), visibility[HIPS].mean()) < MIN_TORSO_VISIBILITY):
            self._roi = None
            self._filter.reset()
            timings["decoding"] = _elapsed_ms(clock)
            return EPEFrame(None, None, None, self._people(index, None), timings)
        self._roi = blazepose.Roi.from_auxiliary(auxiliary_px)
        torso = _box_around(xy_px[SHOULDERS + HIPS], -0.1)
        self.tracker.see(
            self.selected_id, _square_box(self._roi.centre_px, self._roi.size_px), _box_around(xy_px, 0.05), index,
            torso_histogram(frame_bgr, torso),
        )
        timings["decoding"] = _elapsed_ms(clock)

        clock = time.perf_counter()
        smoothed_px = self._smooth(xy_px, visibility, motion)
        timings["filter"] = _elapsed_ms(clock)

        raw33 = np.column_stack([smoothed_px, visibility])
        kp2d = blazepose_to_h36m(smoothed_px, visibility)
        frame = EPEFrame(self.selected_id, kp2d, raw33, self._people(index, kp2d), timings)
        if not isinstance(self._filter, NoFilter):
            frame.kp2d_unfiltered = blazepose_to_h36m(xy_px, visibility)
            frame.kp2d_raw33_unfiltered = np.column_stack([xy_px, visibility])
        return frame

    # -- steps -----------------------------------------------------------------------------------------
    def _detect(self, frame_bgr: np.ndarray, image_rgb: np.ndarray, index: int, timings: dict[str, float]) -> None:
        clock = time.perf_counter()
        tiles_due = index - self._last_tiled_index >= self.config.detection_interval_frames
        limbless_ids = self._limbless_ids() if self._choose_automatically else set()  # the tracks to pass over
        if self.config.detection_tiles and tiles_due:
            detections = self.detector.detect_with_tiles(image_rgb)  # small people too, once an interval
            self._last_tiled_index = index
        else:
            detections = self.detector.detect(image_rgb)
            if (not detections or self.selected_id in limbless_ids) and self._roi is None and tiles_due:
                # Nobody followed and nobody in the whole picture (or only a "person" without limbs): the person
                # may be too small for the detector's view of it (a sprinter filmed from the side in a wide shot),
                # so look in its quarters, once an interval. Only then: with someone in view the quarters add
                # nobody a coach would choose.
                detections = self.detector.detect_with_tiles(image_rgb, whole_image=detections)
                self._last_tiled_index = index
        rois = [blazepose.Roi.from_detection(d) for d in detections]
        ids = self.tracker.update(
            [_square_box(r.centre_px, r.size_px) for r in rois],
            [_body_box_of_roi(r) for r in rois],
            index,
            [torso_histogram(frame_bgr, _torso_box_of_detection(d)) for d in detections],
        )
        self._last_detection_index = index
        height, width = image_rgb.shape[:2]
        if self._choose_automatically and self.selected_id not in self.tracker.tracks:
            # Nobody chosen yet, or the chosen person's track has ended: take the most prominent one now, passing
            # over those seen without limbs while anyone else is there.
            chosen = self.tracker.most_prominent(index, width, height, excluding=limbless_ids)
            self.selected_id = chosen if chosen is not None else self.tracker.most_prominent(index, width, height)
        elif self._roi is None and self.selected_id in limbless_ids:
            # The chosen "person" had no limbs: another one, if anyone else is there
            chosen = self.tracker.most_prominent(index, width, height, excluding=limbless_ids)
            self.selected_id = self.selected_id if chosen is None else chosen
        elif self._person_at is not None:
            self._find_person_at(index)
        # A person the landmarks still follow keeps their ROI: the landmarks place it better than a detection.
        if self._roi is None and self.selected_id in ids:
            self._roi = rois[ids.index(self.selected_id)]
        timings["detector"] += _elapsed_ms(clock)

    def _limbless_ids(self) -> set[int]:
        """The tracks seen without limbs more often than with them (MIN_LIMB_VISIBILITY)."""
        return {person_id for person_id, (with_limbs, without) in self._limb_counts.items() if without > with_limbs}

    def _find_person_at(self, index: int) -> None:
        """Choose the person at the place given in the config, in its frame (nobody is analysed before it, so
        the detector runs on every frame until then) or, failing that, within one detection interval."""
        frame_index, box = self._person_at
        if index < frame_index:
            return
        self.selected_id = self.tracker.person_at(np.asarray(box), index, MIN_PLACE_OVERLAP)
        if self.selected_id is not None or index >= frame_index + self.config.detection_interval_frames:
            self._person_at = None

    def _run_landmarks(self, image_rgb: np.ndarray, roi, timings: dict[str, float]):
        clock = time.perf_counter()
        output = self.landmarker.run(image_rgb, roi)
        timings["landmarks"] += _elapsed_ms(clock)
        return output if output.presence >= PRESENCE_THRESHOLD else None

    def _decode(self, output, motion: MotionField | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        decoder = self.config.decoder
        landmarks = blazepose.decode_landmarks(output, refine="mediapipe" if decoder == "mediapipe" else None)
        xy_px = np.asarray(landmarks.xy_px, dtype=np.float64)
        if decoder == "soft-argmax":
            weights = None
            if motion is not None and self.config.motion_heatmaps:
                image_to_heatmap = output.roi.crop_transform(HEATMAP_SIZE)
                saliency = motion.speed_in_crop(image_to_heatmap, HEATMAP_SIZE) / output.roi.size_px
                weights = self.config.motion.weights(saliency)
            crop_xy, _ = soft_argmax_decode(
                output.raw_crop[:LANDMARK_COUNT, :2], output.heatmap_logits, CROP_SIZE, motion_weights=weights
            )
            xy_px = output.crop_to_image(crop_xy)
        return xy_px, np.asarray(landmarks.visibility, dtype=np.float64), np.asarray(landmarks.auxiliary_px)

    def _smooth(self, xy_px: np.ndarray, visibility: np.ndarray, motion: MotionField | None) -> np.ndarray:
        ratio = None
        if motion is not None and self.config.motion_filter:
            saliency = motion.sample_speed_px(xy_px) / self._roi.size_px
            ratio = self.config.motion.weights(saliency) / self.config.motion.still_weight
        return self._filter(xy_px, visibility, motion_ratio=ratio, person_size_px=self._roi.size_px)

    def _people(self, index: int, kp2d: np.ndarray | None) -> list[TrackedPerson]:
        return [
            TrackedPerson(t.person_id, t.body_box_xyxy_px.copy(), kp2d if t.person_id == self.selected_id else None)
            for t in self.tracker.visible(index, within_frames=self.config.detection_interval_frames)
        ]


def _elapsed_ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000.0
