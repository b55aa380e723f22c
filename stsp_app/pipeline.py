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
from stsp_app.errors import ModelsMissingError
from stsp_app.lifting.lifter import Lifter, LiveLifter

__all__ = ["Pipeline", "analyse_video", "FrameResult", "TrackedPerson", "VideoAnalysis", "AnalysisInterrupted"]

log = logging.getLogger(__name__)


class AnalysisInterrupted(Exception):
    """Raised by analyse_video when the source fails mid-way; ``.analysis`` holds the frames done before."""

    def __init__(self, cause: Exception, analysis: VideoAnalysis) -> None:
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
    ) -> None:
        config = epe_config or EPEConfig(model=model, device=device, person_id=person_id, person_at=person_at,
                                         smoothing=smoothing)
        self.live = live
        self.stature_mm = stature_mm
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
        """Fill every frame's 3D from the whole clip's 2D (offline; no-op without the lifting models)."""
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


def analyse_video(
    source: str | Path | VideoSource,
    pipeline: Pipeline | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    **pipeline_options,
) -> VideoAnalysis:
    """Analyse every frame of ``source``. Cancelling returns the frames done so far; a damaged file raises
    :class:`AnalysisInterrupted` carrying them."""
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
    try:
        for index, time_s, frame in video:
            if should_cancel is not None and should_cancel():
                log.info("analysis cancelled after %d frames", index)
                break
            analysis.frames.append(pipeline.process_frame(frame, index, time_s))
            if on_progress is not None:
                on_progress(index + 1, video.frame_count)
    except Exception as error:
        pipeline.lift(analysis)
        raise AnalysisInterrupted(error, analysis) from error
    pipeline.lift(analysis)
    return analysis
