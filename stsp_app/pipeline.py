"""The analysis pipeline: EPE (2D) -> GSR + TMP (3D) on frames from a video, an image folder or a camera.

This is the public API the CLI and the desktop app use. ``Pipeline.process_frame`` is the streaming path
(webcam, causal); ``analyse_video`` runs a whole file in memory and keeps what was analysed if it is cancelled
or the file turns out damaged; ``analyse_video_to_folder`` does the same for a video of any length, saving as
it goes, and resumes an interrupted analysis.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from stsp_app.core.analysis import (
    CAMERA_PITCH_SETTING,
    CAMERA_ROLL_SETTING,
    FILE_FPS_SETTING,
    FrameResult,
    TrackedPerson,
    VideoAnalysis,
)
from stsp_app.core.analysis_store import AnalysisStore
from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.core.video_source import VideoSource
from stsp_app.epe.camera_motion import columns_to_scene, to_scene
from stsp_app.epe.camera_roll import LIVE_SAMPLES, BackgroundVerticals, levelled_maps, levelling_map
from stsp_app.epe.config import EPEConfig
from stsp_app.epe.stage import EPEStage
from stsp_app.epe.trajectory_filter import LIVE_FILTER, OFFLINE_FILTERS
from stsp_app.errors import ModelsMissingError
from stsp_app.kinematics.clip_2d import person_stretches, repair_limb_side_columns, smooth_2d_columns
from stsp_app.kinematics.signals import DEFAULT_CUTOFF_HZ
from stsp_app.lifting.lifter import Lifter, LiveLifter
from stsp_app.lifting.upright import upright_poses

__all__ = ["Pipeline", "analyse_video", "analyse_video_to_folder", "FrameResult", "TrackedPerson", "VideoAnalysis",
           "AnalysisInterrupted", "FolderAnalysisInterrupted"]

log = logging.getLogger(__name__)
PELVIS = JOINT_INDEX["pelvis"]


class AnalysisInterrupted(Exception):
    """Raised by analyse_video when the source fails or the user interrupts (Ctrl-C, SIGTERM) mid-way;
    ``.analysis`` holds the frames done before."""

    def __init__(self, cause: BaseException, analysis: VideoAnalysis) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.analysis = analysis


class Pipeline:
    """EPE -> GSR + TMP. ``live=True``: 3D per frame, causally (webcam); otherwise ``process_frame`` gives 2D
    and :func:`analyse_video` lifts the whole clip at the end, where the lifter sees every frame."""

    def __init__(
        self,
        model: str = "full",
        device: str = "auto",
        person_id: int | None = None,
        smoothing: float = 1.0,
        live: bool = False,
        fps: float = 30.0,
        epe_config: EPEConfig | None = None,
        stature_mm: float | None = None,
        person_at: tuple[int, tuple[float, float, float, float]] | None = None,
        limb_side_repair: bool = True,
    ) -> None:
        config = epe_config or EPEConfig(model=model, device=device, person_id=person_id, person_at=person_at,
                                         smoothing=smoothing)
        if live and epe_config is None:
            config.temporal_filter = LIVE_FILTER
            config.camera_motion = False  # a live camera stands still, and the live drills read the picture
        if live and config.temporal_filter in OFFLINE_FILTERS:
            raise ValueError(f"the {config.temporal_filter} filter needs the whole clip: not for live use")
        self.live = live
        self.stature_mm = stature_mm
        self.limb_side_repair = limb_side_repair  # offline only (it looks ahead); off only to measure what it does
        self.epe = EPEStage(config, fps=fps)
        if live:  # a live camera's turn is read from its first seconds (epe.camera_roll.LIVE_SAMPLES)
            self.epe.verticals = BackgroundVerticals(fps, sample_limit=LIVE_SAMPLES)
        self.device_name = self.epe.device_name
        self._lifter = self._live_lifter = None
        try:
            if live:
                self._live_lifter = LiveLifter(fps=fps, stature_mm=stature_mm)
            else:
                self._lifter = Lifter()
        except ModelsMissingError as error:
            log.warning("3D unavailable: %s", error)
        self.has_3d = self._lifter is not None or self._live_lifter is not None

    @property
    def fps(self) -> float:
        return self.epe.fps

    @property
    def settings(self) -> dict:
        settings = asdict(self.epe.config)
        settings["fps"] = self.fps
        settings["stature_mm"] = self.stature_mm
        settings["lifting"] = None if not self.has_3d else "gsr-tmp" if self.live else self._lifter.model
        return settings

    def process_frame(self, frame_bgr: np.ndarray, index: int, time_s: float) -> FrameResult:
        epe = self.epe.process(frame_bgr, index)
        kp3d = self._live_3d(epe.kp2d) if self._live_lifter is not None else None
        return FrameResult(
            index=index,
            time_s=time_s,
            person_id=epe.person_id,
            kp2d=epe.kp2d,
            kp2d_raw33=epe.kp2d_raw33,
            kp3d_mm=kp3d,
            people=epe.people,
            scene_from_image=epe.scene_from_image,
            kp2d_unfiltered=epe.kp2d_unfiltered if self.live else None,  # for the live drill only
            kp2d_raw33_unfiltered=epe.kp2d_raw33_unfiltered if self.live else None,
        )

    def lift(self, analysis: VideoAnalysis) -> None:
        """The whole clip's offline steps (:meth:`finish_clip`) on an analysis in memory."""
        if not analysis.frames:
            return
        kp2d, raw33 = analysis.kp2d_array(), _raw33_array(analysis)
        kp3d, settings = self.finish_clip(kp2d, raw33, analysis.fps, analysis.scene_maps(), analysis.person_ids())
        _put_back_2d(analysis, kp2d, raw33)
        for frame, pose in zip(analysis.frames, kp3d):
            frame.kp3d_mm = pose.astype(np.float64) if np.isfinite(pose).all() else None
        analysis.settings.update(settings)

    def finish_clip(self, kp2d: np.ndarray, raw33: np.ndarray, fps: float,
                    scene_from_image: np.ndarray | None = None,
                    person_ids: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
        """The whole clip's offline steps on its (T, 17, 3) keypoints and (T, 33, 3) landmarks (NaN rows where
        nobody was found), which they change in place: left/right limb swaps undone, the offline 2D filter where
        chosen. ``scene_from_image`` (T, 2, 3), where the 2D stage followed the camera: the filter smooths the
        motion on the first frame's picture, so a hand-held camera's sway is not smoothed into the body's (the
        points go back onto each frame's picture after it). ``person_ids`` (T,), where the 2D stage followed one
        person after another (-1: nobody): each person's stretch goes through the steps alone, so no filter,
        temporal model or size guess mixes two people. Returns every frame's 3D from the whole clip's 2D
        ((T, 17, 3) float32 mm, NaN rows without a person or without the lifting models) and what the steps add
        to the settings.

        Where the background's upright lines tell how far the phone was turned (``epe.camera_roll``; in the
        settings as ``camera_roll_deg``), the lifter reads each frame's 2D turned level, so that the 3D stands
        upright in the camera's axes (trunk lean, the charts and the drills then read the body, not the phone);
        the 2D itself stays on the picture as filmed. Where the lines also tell the phone's pitch
        (``camera_pitch_deg``), the 3D is turned from the ray to the person and that pitch to stand along gravity
        (``lifting.upright``)."""
        settings = {}
        if self.epe.config.camera_motion:
            settings["camera_frames_not_followed"] = self.epe.camera.frames_not_followed
        lifter_maps = None
        pitch_deg = None
        if self.epe.config.camera_roll:
            roll_deg = self.epe.verticals.roll_deg()
            pitch_deg = self.epe.verticals.pitch_deg()
            settings[CAMERA_ROLL_SETTING] = None if roll_deg is None else round(roll_deg, 2)
            settings[CAMERA_PITCH_SETTING] = None if pitch_deg is None else round(pitch_deg, 2)
            if roll_deg is not None:
                levelling = levelling_map(roll_deg, self.epe.verticals.picture_size_px)
                lifter_maps = levelled_maps(levelling, scene_from_image, len(kp2d))
        stretches = [slice(0, len(kp2d))] if person_ids is None else person_stretches(person_ids)
        if self.limb_side_repair and np.isfinite(kp2d).any():
            settings["limb_swaps_repaired"] = repair_limb_side_columns(kp2d, raw33, stretches)
        if self.epe.config.temporal_filter in OFFLINE_FILTERS and self.epe.config.smoothing > 0:
            # strength 1: the measured 6 Hz; 2: twice as smooth (3 Hz)
            smooth_2d_columns(kp2d, raw33, fps, DEFAULT_CUTOFF_HZ / self.epe.config.smoothing, scene_from_image,
                              stretches)
        kp3d = np.full(kp2d.shape, np.nan, dtype=np.float32)
        for rows in stretches:
            if self._lifter is not None and rows.stop > rows.start:
                levelled = kp2d[rows] if lifter_maps is None else columns_to_scene(kp2d[rows], lifter_maps[rows])
                poses_mm = self._lifter.lift_sequence(levelled, fps, self.stature_mm)
                if pitch_deg is not None:
                    poses_mm = upright_poses(poses_mm, levelled[:, PELVIS, :2], self.epe.verticals.picture_size_px,
                                             pitch_deg)
                usable = ~np.isnan(kp2d[rows]).all(axis=(1, 2)) & np.isfinite(poses_mm).all(axis=(1, 2))
                kp3d[rows][usable] = poses_mm[usable]
        return kp3d, settings

    @property
    def live_roll_deg(self) -> float | None:
        """Live: how far the camera is turned, once its first seconds have told it (``epe.camera_roll``); the
        live lifter then reads the 2D turned level, and the live drill should too (``LiveDrill.push``). None
        before, where the background does not tell it, or offline (:meth:`finish_clip` reads the whole clip)."""
        verticals = self.epe.verticals
        if not (self.live and self.epe.config.camera_roll and verticals.complete):
            return None
        return verticals.roll_deg()

    @property
    def live_pitch_deg(self) -> float | None:
        """Live: the phone's pitch, where the background tells it, once the camera's turn is known (the live 3D is
        turned upright by it from then on, and the live drill's should be too: ``LiveDrill.push``); else None."""
        return self.epe.verticals.pitch_deg() if self.live_roll_deg is not None else None

    def _live_3d(self, kp2d: np.ndarray | None) -> np.ndarray | None:
        """Live: this frame's 3D from its 2D turned level where the camera's turn is known, upright as
        :meth:`finish_clip` makes it."""
        roll_deg = self.live_roll_deg
        if kp2d is not None and roll_deg is not None:
            kp2d = to_scene(kp2d, levelling_map(roll_deg, self.epe.verticals.picture_size_px))
        pose_mm = self._live_lifter.push(kp2d)
        pitch_deg = self.live_pitch_deg
        if pose_mm is None or pitch_deg is None:
            return pose_mm
        return upright_poses(pose_mm[None], kp2d[None, PELVIS, :2], self.epe.verticals.picture_size_px, pitch_deg)[0]

    def select_person(self, person_id: int | None) -> None:
        self.epe.select_person(person_id)
        if self._live_lifter is not None:
            self._live_lifter.reset()

    def reset(self) -> None:
        self.epe.reset()
        if self._live_lifter is not None:
            self._live_lifter.reset()


def repair_swapped_limbs(analysis: VideoAnalysis) -> None:
    """Undo the 2D stage's left/right limb swaps over the whole clip, each person's stretch alone, in every
    frame's keypoints and landmarks (``stsp_app.kinematics.limb_sides``); the count goes in
    ``settings["limb_swaps_repaired"]``."""
    if not any(frame.kp2d is not None for frame in analysis.frames):
        return
    kp2d = analysis.kp2d_array().astype(np.float64)  # NaN rows where nobody was found: gaps restart the choice
    raw33 = _raw33_array(analysis)
    analysis.settings["limb_swaps_repaired"] = repair_limb_side_columns(
        kp2d, raw33, person_stretches(analysis.person_ids()))
    _put_back_2d(analysis, kp2d, raw33)


def smooth_analysis_2d(analysis: VideoAnalysis) -> None:
    """The offline zero-lag filter (:func:`smooth_2d_columns`, 6 Hz, each person's stretch alone) on every frame's
    keypoints and landmarks of an analysis made without it: to measure a step that runs before the filter (the
    left/right repair) on the same 2D with and without that step."""
    if not any(frame.kp2d is not None for frame in analysis.frames):
        return
    kp2d, raw33 = analysis.kp2d_array().astype(np.float64), _raw33_array(analysis)
    smooth_2d_columns(kp2d, raw33, analysis.fps, DEFAULT_CUTOFF_HZ, analysis.scene_maps(),
                      person_stretches(analysis.person_ids()))
    _put_back_2d(analysis, kp2d, raw33)


def _put_back_2d(analysis: VideoAnalysis, kp2d: np.ndarray, raw33: np.ndarray) -> None:
    """The whole clip's (changed) keypoints and landmarks back into the frames that have them."""
    for row, frame in enumerate(analysis.frames):
        if frame.kp2d is not None:
            frame.kp2d = kp2d[row]
        if frame.kp2d_raw33 is not None:
            frame.kp2d_raw33 = raw33[row]


def _raw33_array(analysis: VideoAnalysis) -> np.ndarray:
    return np.stack([np.full((33, 3), np.nan) if frame.kp2d_raw33 is None else frame.kp2d_raw33
                     for frame in analysis.frames]).astype(np.float64)


def analyse_video(
    source: str | Path | VideoSource,
    pipeline: Pipeline | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    start_frame: int = 0,
    stop_frame: int | None = None,
    **pipeline_options,
) -> VideoAnalysis:
    """Analyse every frame of ``source`` (or frames ``start_frame`` to ``stop_frame - 1``: the stretch that
    matters in a long match; frames keep their index in the video). Cancelling returns the frames done so far;
    a damaged file or a KeyboardInterrupt raises :class:`AnalysisInterrupted` carrying them.
    ``on_progress(done, total)`` counts frames of the stretch."""
    video = source if isinstance(source, VideoSource) else VideoSource(source)
    if pipeline is None:
        pipeline = Pipeline(fps=video.fps, **pipeline_options)
    pipeline.reset()
    analysis = VideoAnalysis(
        fps=video.fps,
        width=video.width,
        height=video.height,
        frame_count=video.frame_count,
        source=str(video.path),
        settings=video_settings(pipeline, video),
    )
    stop_frame = video.frame_count if stop_frame is None else min(stop_frame, video.frame_count)
    analysis.note_stretch(start_frame, stop_frame)
    try:
        for index, time_s, frame in video.frames(start_frame, stop_frame):
            if should_cancel is not None and should_cancel():
                log.info("analysis cancelled after %d frames", index - start_frame)
                break
            analysis.frames.append(pipeline.process_frame(frame, index, time_s))
            if on_progress is not None:
                on_progress(index + 1 - start_frame, stop_frame - start_frame)
    except (Exception, KeyboardInterrupt) as error:
        pipeline.lift(analysis)
        raise AnalysisInterrupted(error, analysis) from error
    pipeline.lift(analysis)
    return analysis


def video_settings(pipeline: Pipeline, video: VideoSource) -> dict:
    """The settings an analysis of ``video`` records: the pipeline's, and for a slow-motion video the rate its
    file plays at (``fps`` is then the rate it was filmed at)."""
    settings = pipeline.settings
    if video.capture_fps is not None:
        settings[FILE_FPS_SETTING] = video.file_fps
    return settings


CHUNK_FRAMES = 600  # frames saved together when analysing to a folder: what an interruption can cost (20 s at 30 fps)


class FolderAnalysisInterrupted(Exception):
    """Raised by analyse_video_to_folder when the source fails or the user interrupts; every frame analysed is
    saved in ``.store`` (the same call resumes from there)."""

    def __init__(self, cause: BaseException, store: AnalysisStore) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.store = store


def analyse_video_to_folder(
    video: VideoSource,
    pipeline: Pipeline,
    folder: str | Path,
    source_sha256: str,
    start_frame: int = 0,
    stop_frame: int | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    chunk_frames: int = CHUNK_FRAMES,
) -> AnalysisStore:
    """Analyse ``video`` (frames ``start_frame`` to ``stop_frame - 1``) into an analysis folder
    (:mod:`stsp_app.core.analysis_store`), saving every ``chunk_frames`` frames as they are made: memory stays
    flat in the video's length. Where the folder holds an unfinished analysis of the same video (content hash),
    stretch and settings, it continues from its last saved frame and gives what an uninterrupted run gives; a
    finished one is returned as it is. ``on_progress(done, total)`` counts frames of the stretch."""
    stop_frame = video.frame_count if stop_frame is None else min(stop_frame, video.frame_count)
    wanted = {"source": str(video.path), "source_sha256": source_sha256, "fps": video.fps, "width": video.width,
              "height": video.height, "frame_count": video.frame_count, "start_frame": start_frame,
              "stop_frame": stop_frame, "settings": json.loads(json.dumps(video_settings(pipeline, video)))}
    store = AnalysisStore.open(folder)
    if store is None or any(store.meta.get(key) != value for key, value in wanted.items() if key != "source"):
        store = AnalysisStore.create(folder, wanted)
    store.moved_to(wanted["source"])  # the same video content, perhaps moved or renamed since
    if store.is_complete:
        log.info("%s holds this analysis complete: nothing to analyse again", store.folder)
        return store
    pipeline.reset()
    resume_at = store.next_frame_index
    if (state := store.stage_state()) is not None:
        pipeline.epe.restore_state(state)
        log.info("resuming the analysis at frame %d (%d frames saved before)", resume_at, store.frames_saved)
    chunk: list[FrameResult] = []
    state_after_last_frame = b""
    try:
        for index, time_s, frame in video.frames(resume_at, stop_frame):
            chunk.append(pipeline.process_frame(frame, index, time_s))
            state_after_last_frame = pipeline.epe.state()  # per frame: an interruption keeps every frame done
            if len(chunk) >= chunk_frames:
                store.append(chunk, state_after_last_frame)
                chunk = []
            if on_progress is not None:
                on_progress(index + 1 - start_frame, stop_frame - start_frame)
    except (Exception, KeyboardInterrupt) as error:
        store.append(chunk, state_after_last_frame)
        raise FolderAnalysisInterrupted(error, store) from error
    store.append(chunk, state_after_last_frame)
    kp2d, raw33 = store.column("kp2d"), store.column("kp2d_raw33")
    kp3d, settings = pipeline.finish_clip(kp2d, raw33, video.fps, store.scene_maps(), store.person_ids())
    store.complete({"kp2d": kp2d, "kp2d_raw33": raw33, "kp3d_mm": kp3d}, settings)
    return store
