"""The analysis pipeline: EPE (2D) -> GSR + TMP (3D) on frames from a video, an image folder or a camera.

This is the public API the CLI and the desktop app use. ``Pipeline.process_frame`` is the streaming path
(webcam, causal); ``analyse_video`` runs a whole file and keeps what was analysed if it is cancelled or the
file turns out damaged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import numpy as np

from stsp_app.core.analysis import FrameResult, TrackedPerson, VideoAnalysis
from stsp_app.core.video_source import VideoSource
from stsp_app.epe.config import EPEConfig
from stsp_app.epe.stage import EPEStage
from stsp_app.epe.trajectory_filter import OFFLINE_FILTERS
from stsp_app.errors import ModelsMissingError
from stsp_app.kinematics.limb_sides import repair_limb_sides
from stsp_app.kinematics.signals import butterworth_lowpass
from stsp_app.lifting.lifter import Lifter, LiveLifter

__all__ = ["Pipeline", "analyse_video", "FrameResult", "TrackedPerson", "VideoAnalysis", "AnalysisInterrupted"]

log = logging.getLogger(__name__)


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
        if live and config.temporal_filter in OFFLINE_FILTERS:
            raise ValueError(f"the {config.temporal_filter} filter needs the whole clip: not for live use")
        self.live = live
        self.stature_mm = stature_mm
        self.limb_side_repair = limb_side_repair  # offline only (it looks ahead); off only to measure what it does
        self.epe = EPEStage(config, fps=fps)
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
        kp3d = self._live_lifter.push(epe.kp2d) if self._live_lifter is not None else None
        return FrameResult(
            index=index,
            time_s=time_s,
            person_id=epe.person_id,
            kp2d=epe.kp2d,
            kp2d_raw33=epe.kp2d_raw33,
            kp3d_mm=kp3d,
            people=epe.people,
        )

    def lift(self, analysis: VideoAnalysis) -> None:
        """The whole clip's offline steps: left/right limb swaps undone, the offline 2D filter where chosen, and
        every frame's 3D from the whole clip's 2D (no 3D without the lifting models)."""
        if self.limb_side_repair:
            repair_swapped_limbs(analysis)
        if self.epe.config.temporal_filter in OFFLINE_FILTERS:
            smooth_2d_zero_lag(analysis)
        if self._lifter is None or not analysis.frames:
            return
        poses_mm = self._lifter.lift_sequence(analysis.kp2d_array(), analysis.fps, self.stature_mm)
        for frame, pose in zip(analysis.frames, poses_mm):
            frame.kp3d_mm = None if frame.kp2d is None or not np.isfinite(pose).all() else pose.astype(np.float64)

    def select_person(self, person_id: int | None) -> None:
        self.epe.select_person(person_id)
        if self._live_lifter is not None:
            self._live_lifter.reset()

    def reset(self) -> None:
        self.epe.reset()
        if self._live_lifter is not None:
            self._live_lifter.reset()


def repair_swapped_limbs(analysis: VideoAnalysis) -> None:
    """Undo the 2D stage's left/right limb swaps over the whole clip, in every frame's keypoints and landmarks
    (``stsp_app.kinematics.limb_sides``); the count goes in ``settings["limb_swaps_repaired"]``."""
    if not any(frame.kp2d is not None for frame in analysis.frames):
        return
    kp2d = analysis.kp2d_array().astype(np.float64)  # NaN rows where nobody was found: gaps restart the choice
    raw33 = np.stack([np.full((33, 3), np.nan) if frame.kp2d_raw33 is None else frame.kp2d_raw33
                      for frame in analysis.frames]).astype(np.float64)
    exchanged = repair_limb_sides(kp2d, raw33)
    for row, frame in enumerate(analysis.frames):
        if frame.kp2d is not None:
            frame.kp2d = kp2d[row]
        if frame.kp2d_raw33 is not None:
            frame.kp2d_raw33 = raw33[row]
    analysis.settings["limb_swaps_repaired"] = {group: int(frames.sum()) for group, frames in exchanged.items()}


def smooth_2d_zero_lag(analysis: VideoAnalysis) -> None:
    """The offline filter: every frame's 2D keypoints and BlazePose landmarks low-passed over the whole clip
    (4th-order Butterworth at 6 Hz, forwards and backwards: no lag; docs/RESULTS.md, "Temporal filters")."""
    for field_name in ("kp2d", "kp2d_raw33"):
        rows = [frame for frame in analysis.frames if getattr(frame, field_name) is not None]
        if not rows:
            continue
        joints = getattr(rows[0], field_name).shape[0]
        positions = np.full((len(analysis.frames), joints, 2), np.nan)
        for row, frame in enumerate(analysis.frames):
            value = getattr(frame, field_name)
            if value is not None:
                positions[row] = value[:, :2]
        smoothed = butterworth_lowpass(positions, analysis.fps)
        for row, frame in enumerate(analysis.frames):
            value = getattr(frame, field_name)
            if value is not None:
                value[:, :2] = smoothed[row]


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
        settings=pipeline.settings,
    )
    stop_frame = video.frame_count if stop_frame is None else min(stop_frame, video.frame_count)
    if (start_frame, stop_frame) != (0, video.frame_count):
        analysis.settings["frames_analysed"] = [start_frame, stop_frame]
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
