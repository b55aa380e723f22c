"""``stsp-coach eval-2d --tables tracking``: does the analysis keep the person whenever BlazePose's own loop would?

The reference is the plain loop of shared/docs/blazepose.md, as MediaPipe's Pose solution runs it: detect, take
the best detection, then follow the person from the landmarks' own ROI (no detector call) while the pose
presence stays ≥ 0.5, and detect again on the next frame once it drops; landmarks with MediaPipe's 7x7 heatmap
refinement. Against it, the analysis as a video file gets it (``Pipeline``: the EPE stage per frame, then the
whole clip's left/right repair and zero-lag filter).

Each clip is run as it is and as variants a user's footage could be (mirrored, the middle cut out, half and
double size, one frame in four dropped). Per clip and variant: the share of the plain loop's frames with a
person on which the analysis has one too (issue 14's bar: ≥ 95 %), and the median distance between the two
runs' 17 joints (bar: ≤ 3 px) on joints the plain loop sees moving less than ``STILL_SHARE_PER_FRAME`` of the
person's size per frame (where a frame's exposure cannot smear them), in the variant's own pixels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from stsp_app.blazepose import PoseDetector, PoseLandmarker, Roi, decode_landmarks
from stsp_app.core.skeleton import box_size
from stsp_app.core.video_source import VideoSource
from stsp_app.epe.joint_mapping import blazepose_to_h36m
from stsp_app.pipeline import Pipeline, VideoAnalysis

CLIPS = ("basketball_youth_drill.mp4", "sprint_start_b1.mp4", "cmj_teen_front.mp4", "dribble_coach_and_player.mp4")
PRESENCE_THRESHOLD = 0.5  # shared/docs/blazepose.md: below it the pose is lost
STILL_SHARE_PER_FRAME = 0.02  # a joint moving more than 2 % of the person's size per frame may be smeared
TARGET_FOUND_SHARE = 0.95
TARGET_MEDIAN_GAP_PX = 3.0


def _cut_middle(frame: np.ndarray) -> np.ndarray:
    height, width = frame.shape[:2]
    return frame[height // 8: height - height // 8, width // 8: width - width // 8]


# name -> (frame -> variant frame, keep this frame index?)
VARIANTS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[int], bool]]] = {
    "as filmed": (lambda frame: frame, lambda index: True),
    "mirrored": (lambda frame: cv2.flip(frame, 1), lambda index: True),
    "middle 75 %": (_cut_middle, lambda index: True),
    "half size": (lambda frame: cv2.resize(frame, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA),
                  lambda index: True),
    "double size": (lambda frame: cv2.resize(frame, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_LINEAR),
                    lambda index: True),
    "1 in 4 dropped": (lambda frame: frame, lambda index: index % 4 != 3),
}


class PlainBlazePoseLoop:
    """BlazePose's own detect-then-track loop (see the module docstring); ``process`` gives (17, 3) joints or
    None."""

    def __init__(self, model: str = "full", threads: int = 2) -> None:
        self.detector = PoseDetector(threads=threads)
        self.landmarker = PoseLandmarker(model, threads=threads)
        self._roi: Roi | None = None
        self.track = 0  # counts the detections that started a track: frames of one track show one person

    def process(self, frame_bgr: np.ndarray) -> np.ndarray | None:
        image_rgb = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2RGB)
        if self._roi is None:
            detections = self.detector.detect(image_rgb)
            if not detections:
                return None
            self._roi = Roi.from_detection(max(detections, key=lambda detection: detection.score))
            self.track += 1
        output = self.landmarker.run(image_rgb, self._roi)
        if output.presence < PRESENCE_THRESHOLD:
            self._roi = None
            return None
        landmarks = decode_landmarks(output, refine="mediapipe")
        self._roi = Roi.from_auxiliary(landmarks.auxiliary_px)
        return blazepose_to_h36m(landmarks.xy_px, landmarks.visibility)


@dataclass
class AgreementRow:
    clip: str
    variant: str
    plain_found: int    # frames on which the plain loop follows the analysed person
    both_found: int     # … and the analysis has them too
    plain_elsewhere: int  # frames on which the plain loop follows someone or something else
    median_gap_px: float  # still joints, frames both found
    still_joints: int

    @property
    def found_share(self) -> float:
        return self.both_found / self.plain_found if self.plain_found else float("nan")


def variant_frames(video: VideoSource, variant: str, max_frames: int | None) -> Iterator[tuple[int, float, np.ndarray]]:
    transform, keep = VARIANTS[variant]
    stop = video.frame_count if max_frames is None else min(max_frames, video.frame_count)
    for index, time_s, frame in video.frames(0, stop):
        if keep(index):
            yield index, time_s, transform(frame)


def compare_clip_variant(path: Path, variant: str, max_frames: int | None) -> AgreementRow:
    video = VideoSource(path)
    plain, pipeline = PlainBlazePoseLoop(), Pipeline(fps=video.fps)
    analysis = VideoAnalysis(fps=video.fps, width=video.width, height=video.height, frame_count=video.frame_count)
    plain_kp, plain_tracks = [], []
    for index, time_s, frame in variant_frames(video, variant, max_frames):
        plain_kp.append(plain.process(frame))
        plain_tracks.append(plain.track)
        analysis.frames.append(pipeline.process_frame(frame, index, time_s))
    pipeline.lift(analysis)  # the whole clip's repair and filter, as for a video file
    return agreement_row(path.name, variant, plain_kp, plain_tracks, analysis.kp2d_array().astype(np.float64))


SAME_PERSON_GAP_SHARE = 0.1  # two poses whose joints lie a median 10 % of the person's size apart are one person
NEAR_FRAMES = 15  # a plain track the analysis never shares is the person if it starts where they were this recently


def agreement_row(clip: str, variant: str, plain_kp: list[np.ndarray | None], plain_tracks: list[int],
                  ours: np.ndarray) -> AgreementRow:
    """``plain_kp``: the plain loop's (17, 3) joints per frame (None: nobody) and ``plain_tracks`` its track
    number; ``ours``: (T, 17, 3), NaN rows where the analysis has nobody.

    The plain loop, once it has lost someone, takes whatever the detector scores best: another player, or clutter
    the landmarks then follow. Its frames count only where it follows the analysed person: a track on which the
    two agree (median joint gap under SAME_PERSON_GAP_SHARE of the size) on most shared frames, or, for a track
    the analysis shares no frame of, one that starts inside the box the analysis last had within NEAR_FRAMES."""
    ours_found = np.isfinite(ours[:, :, :2]).all(axis=(1, 2))
    same_person = {}
    for track in set(plain_tracks):
        rows = [row for row, (kp, t) in enumerate(zip(plain_kp, plain_tracks)) if t == track and kp is not None]
        shared = [row for row in rows if ours_found[row]]
        if shared:
            agree = [np.median(np.linalg.norm(ours[row, :, :2] - plain_kp[row][:, :2], axis=1))
                     <= SAME_PERSON_GAP_SHARE * box_size(plain_kp[row][:, :2]) for row in shared]
            same_person[track] = np.mean(agree) > 0.5
        elif rows:
            before = [row for row in range(max(0, rows[0] - NEAR_FRAMES), rows[0]) if ours_found[row]]
            same_person[track] = bool(before) and _centre_inside(plain_kp[rows[0]], ours[before[-1]])
    followed = [kp is not None and same_person.get(track, False) for kp, track in zip(plain_kp, plain_tracks)]
    elsewhere = sum(kp is not None for kp in plain_kp) - sum(followed)
    gaps = []
    for row, kp in enumerate(plain_kp):
        if not followed[row] or not ours_found[row]:
            continue
        neighbours = [plain_kp[other] for other in (row - 1, row + 1)
                      if 0 <= other < len(plain_kp) and followed[other]]
        if not neighbours:
            continue
        speed_px = np.max([np.linalg.norm(other[:, :2] - kp[:, :2], axis=1) for other in neighbours], axis=0)
        still = speed_px <= STILL_SHARE_PER_FRAME * box_size(kp[:, :2])
        gaps.extend(np.linalg.norm(ours[row, still, :2] - kp[still, :2], axis=1))
    return AgreementRow(clip, variant, int(np.sum(followed)), int(np.sum(np.asarray(followed) & ours_found)),
                        int(elsewhere), float(np.median(gaps)) if gaps else float("nan"), len(gaps))


def _centre_inside(points: np.ndarray, box_points: np.ndarray) -> bool:
    centre = np.nanmean(points[:, :2], axis=0)
    low, high = np.nanmin(box_points[:, :2], axis=0), np.nanmax(box_points[:, :2], axis=0)
    return bool(np.all(centre >= low) and np.all(centre <= high))


def validate(shared_data_dir: Path, clips: tuple[str, ...] = CLIPS, max_frames: int | None = 300) -> str:
    rows = [compare_clip_variant(Path(shared_data_dir) / "video" / clip, variant, max_frames)
            for clip in clips for variant in VARIANTS]
    lines = ["| clip | variant | plain loop on the person | analysis has them too | share | plain loop elsewhere "
             "| median gap px (still joints) |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        lines.append(f"| {row.clip} | {row.variant} | {row.plain_found} | {row.both_found} | "
                     f"{100 * row.found_share:.1f} % | {row.plain_elsewhere} | {row.median_gap_px:.2f} "
                     f"({row.still_joints}) |")
    plain, both = sum(row.plain_found for row in rows), sum(row.both_found for row in rows)
    worst = min(rows, key=lambda row: row.found_share if row.plain_found else 1.0)
    over_gap = [row for row in rows if row.median_gap_px > TARGET_MEDIAN_GAP_PX]
    lines += ["", f"All: {both} of {plain} plain-loop frames ({100 * both / max(plain, 1):.1f} %); lowest "
                  f"{worst.clip} {worst.variant} {100 * worst.found_share:.1f} % (bar {100 * TARGET_FOUND_SHARE:.0f} %"
                  " on each). Median gap over the bar of "
                  f"{TARGET_MEDIAN_GAP_PX:.0f} px: {', '.join(f'{r.clip} {r.variant}' for r in over_gap) or 'none'}."]
    return "\n".join(lines)
