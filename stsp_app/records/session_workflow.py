"""Adding a session from a video: find or make its analysis with the child's height, run the drill, store.

The same object serves the command line and the app (no GUI here): it takes a progress callback and a cancel
check, which it hands to :func:`stsp_app.pipeline.analyse_video`. An analysis is made only when none of the
same video content with the same settings exists: first an earlier session's (any child's: the analysis
depends on the video and the settings only), then the app's analysis cache, which is read but never written
(the child's analyses stay in their records, where deleting the child deletes them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from stsp_app.analysis_settings import AnalysisSettings
from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.analysis_cache import AnalysisCache
from stsp_app.core.content_hash import file_sha256
from stsp_app.drills import MovementNotFound, recording_from_analysis, run_drill
from stsp_app.errors import InputError, UserFacingError
from stsp_app.records import validation
from stsp_app.records.models import Child, Session
from stsp_app.records.store import RecordStore

log = logging.getLogger(__name__)


class SessionCancelled(Exception):
    """The analysis was cancelled through ``should_cancel``: nothing was stored."""


@dataclass(frozen=True)
class AddedSession:
    """The stored session, its analysis, and where that came from: ``reused_from`` is None when the video
    was analysed now, otherwise where the earlier analysis was: "session N" or "the app's analysis cache"."""

    session: Session
    analysis: VideoAnalysis
    reused_from: str | None


def analysis_settings(stature_mm: float | None, capture_fps: float | None = None) -> AnalysisSettings:
    """A session's analysis: the app's default settings with the child's height and, for a slow-motion video,
    the rate it was filmed at (so the app's own analysis of the same video with those settings is the same
    cache entry)."""
    return AnalysisSettings(stature_mm=stature_mm, capture_fps=capture_fps)


class SessionWorkflow:
    """Adds sessions to ``store``. ``analysis_cache``: the app's cache to look in first (None: do not);
    ``device``: where the pipeline runs ("auto", "cpu", "cuda"); ``separate_process``: analyse in a child
    process (:func:`stsp_app.analysis_job.run_analysis_job_to_end`, as the app does, so that its interface
    keeps answering) rather than in this one."""

    def __init__(self, store: RecordStore, analysis_cache: AnalysisCache | None = None,
                 device: str = "auto", *, separate_process: bool = False) -> None:
        self.store = store
        self.analysis_cache = analysis_cache
        self.device = device
        self.separate_process = separate_process

    def add_session(self, child: Child, video_path: str | Path, drill: str | None, *, coach_notes: str = "",
                    recorded_at: datetime | None = None, capture_fps: float | None = None,
                    on_progress: Callable[[int, int], None] | None = None,
                    should_cancel: Callable[[], bool] | None = None) -> AddedSession:
        """Analyse ``video_path`` (unless done before) with the child's height, run ``drill`` on it and store
        the session. ``capture_fps``: a slow-motion video's filming rate (``VideoSource``). A drill that does
        not find its movement leaves the session stored with its analysis and ``drill_note`` saying so. Raises
        :class:`SessionCancelled` when cancelled, :class:`InputError` for a video that cannot be read or shows
        nobody (nothing is stored then)."""
        drill = validation.check_drill(drill)
        video_path = Path(video_path).resolve()
        if not video_path.is_file():
            raise InputError(f"{video_path}: no such video file")
        video_sha256 = file_sha256(video_path)
        stature_mm = child.stature_mm
        settings = analysis_settings(stature_mm, capture_fps)
        key = settings.cache_key(video_sha256)
        analysis, reused_from = self._earlier_analysis(key)
        if analysis is None:
            analysis = self._analyse(video_path, settings, on_progress, should_cancel)
        if analysis.frames_with_person == 0:
            raise InputError(f"{video_path}: nobody was found in any of the {len(analysis.frames)} frames")
        drill_result = drill_note = None
        if drill is not None:
            try:
                drill_result = run_drill(drill, recording_from_analysis(analysis, stature_mm)).to_json_dict()
            except MovementNotFound as not_found:
                drill_note = str(not_found)
        session = self.store.add_session(
            child.id, recorded_at=recorded_at, drill=drill, video_path=video_path, video_sha256=video_sha256,
            analysis=analysis, analysis_key=key, drill_result=drill_result, drill_note=drill_note,
            coach_notes=coach_notes)
        return AddedSession(session, analysis, reused_from)

    def _earlier_analysis(self, key: str) -> tuple[VideoAnalysis | None, str | None]:
        earlier = self.store.session_with_analysis(key)
        if earlier is not None:
            try:
                return earlier.load_analysis(), f"session {earlier.id}"
            except InputError as error:  # damaged: analyse again
                log.warning("cannot reuse the analysis of session %d: %s", earlier.id, error)
        if self.analysis_cache is not None:
            cached = self.analysis_cache.load(key, VideoAnalysis.load_json)
            if cached is not None:
                return cached, "the app's analysis cache"
        return None, None

    def _analyse(self, video_path: Path, settings: AnalysisSettings,
                 on_progress: Callable[[int, int], None] | None,
                 should_cancel: Callable[[], bool] | None) -> VideoAnalysis:
        cancelled = False

        def cancel_requested() -> bool:
            nonlocal cancelled
            cancelled = cancelled or (should_cancel is not None and should_cancel())
            return cancelled

        if self.separate_process:
            analysis = self._analyse_in_child(video_path, settings, on_progress, cancel_requested)
        else:
            analysis = self._analyse_here(video_path, settings, on_progress, cancel_requested)
        if cancelled:
            raise SessionCancelled(f"the analysis of {video_path.name} was cancelled; no session was saved")
        return analysis

    def _analyse_here(self, video_path: Path, settings: AnalysisSettings,
                      on_progress: Callable[[int, int], None] | None,
                      should_cancel: Callable[[], bool]) -> VideoAnalysis:
        from stsp_app.core.video_source import VideoSource
        from stsp_app.pipeline import AnalysisInterrupted, Pipeline, analyse_video

        video = VideoSource(video_path, capture_fps=settings.capture_fps)
        pipeline = Pipeline(epe_config=settings.epe_config(self.device), fps=video.fps,
                            stature_mm=settings.stature_mm)
        try:
            return analyse_video(video, pipeline, on_progress=on_progress, should_cancel=should_cancel)
        except AnalysisInterrupted as interrupted:
            if not isinstance(interrupted.cause, UserFacingError):
                raise interrupted.cause  # a bug, not bad input: keep the traceback
            raise InputError(f"{interrupted.cause} (no session was saved)") from None

    def _analyse_in_child(self, video_path: Path, settings: AnalysisSettings,
                          on_progress: Callable[[int, int], None] | None,
                          should_cancel: Callable[[], bool]) -> VideoAnalysis:
        from stsp_app.analysis_job import run_analysis_job_to_end

        report = run_analysis_job_to_end(video_path, settings, self.device,
                                         on_progress=on_progress, should_cancel=should_cancel)
        if report[0] == "done":
            return report[1]
        if report[0] == "interrupted":
            raise InputError(f"{report[2]} (no session was saved)")
        raise InputError(f"{report[1]} (no session was saved)")
