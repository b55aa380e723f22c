"""A whole-video analysis run in a child process, reporting through a queue (used by the desktop app).

In its own process the analysis shares no interpreter lock with the interface, so the window keeps
answering within a few tens of milliseconds however busy the models are. The child also stores a complete
result in the analysis cache (writing JSON is slow work best kept out of the interface process). It reports,
in order, on ``messages``:

- ``("started", device_name, has_3d)`` once the models are loaded;
- ``("progress", frames_done, frame_count)`` after every frame;
- then one of ``("done", analysis, cancelled)``, ``("interrupted", analysis, reason)`` (the video broke off;
  ``analysis`` holds the frames before) or ``("failed", message)``. The VideoAnalysis travels pickled.

:func:`run_analysis_job_to_end` starts the child and supervises it (reports relayed to callbacks, cancel
passed on, a child that hangs on cancel or dies is ended and said so): the app's offline analysis and its new
sessions (``SessionWorkflow(separate_process=True)``) both go through it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from stsp_app.errors import UserFacingError

if TYPE_CHECKING:  # the child imports the pipeline's modules itself, once it runs
    from stsp_app.analysis_settings import AnalysisSettings

log = logging.getLogger(__name__)

# The child's scheduling priority is lowered by this much, so that on a busy machine the interface comes first.
CHILD_NICENESS = 5
# How long a cancelled child may take to stop by itself before it is terminated.
CANCEL_GRACE_S = 5.0
# Progress reaches the caller at most this often (and at the last frame): in the app each update repaints.
PROGRESS_INTERVAL_S = 0.1


def run_analysis_job(video_path: str, settings: AnalysisSettings, device: str, person_at: tuple | None,
                     cache_entry: tuple[str, str] | None, messages, cancel_event) -> None:
    """The child process's entry point (module level, so that the "spawn" start method can import it).

    ``person_at`` is (frame index, body box) of the person to analyse (None: the most prominent one);
    ``cache_entry`` is (cache folder, key) under which a complete analysis is stored, or None.
    """
    try:
        _lower_priority()
        from stsp_app.core.video_source import VideoSource
        from stsp_app.pipeline import AnalysisInterrupted, Pipeline, analyse_video

        video = VideoSource(video_path, capture_fps=settings.capture_fps)
        pipeline = Pipeline(epe_config=settings.epe_config(device, person_at), fps=video.fps,
                            stature_mm=settings.stature_mm)
        messages.put(("started", pipeline.device_name, bool(pipeline.has_3d)))
        start_frame, stop_frame = settings.stretch or (0, None)  # in and out points, when set
        try:
            analysis = analyse_video(video, pipeline,
                                     on_progress=lambda done, total: messages.put(("progress", done, total)),
                                     should_cancel=cancel_event.is_set, start_frame=start_frame,
                                     stop_frame=stop_frame)
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


def start_analysis_job(video_path: str | Path, settings: AnalysisSettings, device: str, person_at: tuple | None,
                       cache_entry: tuple[str, str] | None):
    """Start the child; returns (process, messages queue, cancel event)."""
    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
    messages = context.Queue()
    cancel_event = context.Event()
    process = context.Process(
        target=run_analysis_job, name="stsp-analysis", daemon=True,
        args=(str(video_path), settings, device, person_at, cache_entry, messages, cancel_event))
    process.start()
    return process, messages, cancel_event


def run_analysis_job_to_end(video_path: str | Path, settings: AnalysisSettings, device: str,
                            person_at: tuple | None = None,
                            cache_entry: tuple[str, str] | None = None, *,
                            on_started: Callable[[str, bool], None] | None = None,
                            on_progress: Callable[[int, int], None] | None = None,
                            should_cancel: Callable[[], bool] | None = None) -> tuple:
    """Run the analysis in a child process to its end and return its last report (``"done"``,
    ``"interrupted"`` or ``"failed"``, as above). ``on_started(device_name, has_3d)`` and
    ``on_progress(frames_done, frame_count)`` are called on the calling thread; ``should_cancel`` is polled
    and, once true, the child is asked to stop (and ended if it has not within ``CANCEL_GRACE_S``)."""
    process, messages, cancel_event = start_analysis_job(video_path, settings, device, person_at, cache_entry)
    cancel_sent_s = None
    last_progress_s = 0.0
    try:
        while True:
            if cancel_sent_s is None and should_cancel is not None and should_cancel():
                cancel_event.set()
                cancel_sent_s = time.monotonic()
            if cancel_sent_s is not None and time.monotonic() - cancel_sent_s > CANCEL_GRACE_S:
                process.terminate()
                return ("failed", "The analysis did not stop when asked and was ended.")
            try:
                report = messages.get(timeout=0.05)
            except queue.Empty:
                if not process.is_alive() and messages.empty():
                    return ("failed", f"The analysis process ended unexpectedly (exit code {process.exitcode}).")
                continue
            if report[0] == "started":
                if on_started is not None:
                    on_started(report[1], report[2])
            elif report[0] == "progress":
                now_s = time.monotonic()
                if on_progress is not None and (now_s - last_progress_s >= PROGRESS_INTERVAL_S
                                                or report[1] == report[2]):
                    last_progress_s = now_s
                    on_progress(report[1], report[2])
            else:
                return report
    finally:
        process.join(timeout=CANCEL_GRACE_S)
        if process.is_alive():
            process.terminate()
            process.join()
        messages.close()
