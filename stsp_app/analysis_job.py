"""A whole-video analysis run in a child process, reporting through a queue (used by the desktop app).

In its own process the analysis shares no interpreter lock with the interface, so the window keeps
answering within a few tens of milliseconds however busy the models are. The child also stores a complete
result in the analysis cache (writing JSON is slow work best kept out of the interface process). It reports,
in order, on ``messages``:

- ``("started", device_name, has_3d)`` once the models are loaded;
- ``("progress", frames_done, frame_count)`` after every frame;
- then one of ``("done", analysis, cancelled)``, ``("interrupted", analysis, reason)`` (the video broke off;
  ``analysis`` holds the frames before) or ``("failed", message)``. The VideoAnalysis travels pickled.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from pathlib import Path

from stsp_app.errors import UserFacingError

log = logging.getLogger(__name__)

# The child's scheduling priority is lowered by this much, so that on a busy machine the interface comes first.
CHILD_NICENESS = 5


def run_analysis_job(video_path: str, settings: dict, device: str, person_at: tuple | None,
                     cache_entry: tuple[str, str] | None, messages, cancel_event) -> None:
    """The child process's entry point (module level, so that the "spawn" start method can import it).

    ``person_at`` is (frame index, body box) of the person to analyse (None: the most prominent one);
    ``cache_entry`` is (cache folder, key) under which a complete analysis is stored, or None.
    """
    try:
        _lower_priority()
        from stsp_app.core.video_source import VideoSource
        from stsp_app.pipeline import AnalysisInterrupted, Pipeline, analyse_video

        video = VideoSource(video_path)
        pipeline = Pipeline(model=str(settings["model"]), device=device, person_at=person_at,
                            smoothing=float(settings["smoothing"]), fps=video.fps,
                            stature_mm=settings.get("stature_mm"))
        messages.put(("started", pipeline.device_name, bool(pipeline.has_3d)))
        try:
            analysis = analyse_video(video, pipeline,
                                     on_progress=lambda done, total: messages.put(("progress", done, total)),
                                     should_cancel=cancel_event.is_set)
        except AnalysisInterrupted as error:
            messages.put(("interrupted", error.analysis, str(error)))
            return
        cancelled = cancel_event.is_set()
        if cache_entry is not None and not cancelled:
            from stsp_app.core.analysis_cache import AnalysisCache

            AnalysisCache(cache_entry[0]).store(cache_entry[1], analysis.save_json)
        messages.put(("done", analysis, cancelled))
    except UserFacingError as error:
        messages.put(("failed", str(error)))
    except Exception as error:  # reported to the interface, which stays up
        log.exception("analysis of %s failed", video_path)
        messages.put(("failed", f"The analysis failed unexpectedly: {error}"))


def _lower_priority() -> None:
    try:
        os.nice(CHILD_NICENESS)
    except (AttributeError, OSError):  # not on this platform, or not allowed: run at normal priority
        pass


def start_analysis_job(video_path: str | Path, settings: dict, device: str, person_at: tuple | None,
                       cache_entry: tuple[str, str] | None):
    """Start the child; returns (process, messages queue, cancel event)."""
    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
    messages = context.Queue()
    cancel_event = context.Event()
    process = context.Process(
        target=run_analysis_job, name="stsp-analysis", daemon=True,
        args=(str(video_path), dict(settings), device, person_at, cache_entry, messages, cancel_event))
    process.start()
    return process, messages, cancel_event
