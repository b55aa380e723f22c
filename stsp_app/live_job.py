"""Live camera analysis in a child process, reporting through a queue (used by the desktop app).

The child reads the camera (LatestFrameCamera: only the newest frame is kept, the session can be recorded) and
analyses the newest frame each time the pipeline is free. Running in its own process, it shares no
interpreter lock with the interface. It reports on ``messages``:

- ``("started", device_name, has_3d)`` once the camera is open and the models are loaded;
- ``("frame", frame_bgr, frame_result, capture_time_s, frames_per_s)`` for every analysed frame, where
  ``capture_time_s`` is the ``time.monotonic()`` of the capture (a system-wide clock, comparable across
  processes);
- ``("drill", text)`` when the chosen drill (if any) has something new: a jump, a squat rep, the cadence
  (stsp_app.drills.live, the same drill code as for a video);
- then ``("finished", frames_analysed, frames_delivered)``, or ``("failed", message)`` (also when the camera
  stops sending pictures or the recording cannot be written).

``person_choice`` (a shared integer) holds the person to follow, -1 for the pipeline's own choice.
"""

from __future__ import annotations

import logging
import multiprocessing
import time
from pathlib import Path
from typing import TYPE_CHECKING

from stsp_app.errors import UserFacingError

if TYPE_CHECKING:  # the child imports the pipeline's modules itself, once it runs
    from stsp_app.analysis_settings import AnalysisSettings

log = logging.getLogger(__name__)

NO_PERSON = -1
# ONNX Runtime threads for the live models. One analyses 63-71 frames/s on a quiet machine, more than a camera
# delivers, and live the interface always wants the other core: with a core taken by another program, two
# threads showed fewer frames and longer hold-ups than one (docs/PERFORMANCE.md, "Every frame shown").
LIVE_THREADS = 1


def run_live_job(source, width: int, height: int, record_path: str | None, settings: AnalysisSettings, device: str,
                 messages, stop_event, person_choice, drill: str | None = None) -> None:
    """The child process's entry point (module level, so that the "spawn" start method can import it)."""
    try:
        from stsp_app.core.camera_capture import LatestFrameCamera
        from stsp_app.epe.config import EPEConfig
        from stsp_app.epe.trajectory_filter import LIVE_FILTER
        from stsp_app.pipeline import Pipeline

        camera = LatestFrameCamera(source, width, height, record_path=record_path)
        try:
            config = EPEConfig(model=settings.model, device=device, smoothing=settings.smoothing,
                               threads=LIVE_THREADS, temporal_filter=LIVE_FILTER, camera_motion=False)
            pipeline = Pipeline(live=True, fps=camera.fps, epe_config=config, stature_mm=settings.stature_mm)
            live_drill = None
            if drill is not None:
                from stsp_app.drills.live import LiveDrill

                live_drill = LiveDrill(drill, camera.fps, (width, height), settings.stature_mm,
                                       smoothing=settings.smoothing)
            camera.start()  # only now: frames read while the models loaded would be dropped
            messages.put(("started", pipeline.device_name, bool(pipeline.has_3d)))
            if live_drill is not None:
                messages.put(("drill", live_drill.summary_text()))
            analysed = _analyse_newest_frames(camera, pipeline, messages, stop_event, person_choice, live_drill)
        finally:
            camera.close()
        if camera.failure is not None:
            messages.put(("failed", f"The live session stopped: {camera.failure}"))
        else:
            messages.put(("finished", analysed, camera.frames_read))
    except UserFacingError as error:
        messages.put(("failed", str(error)))
    except Exception as error:  # reported to the interface, which stays up
        log.exception("live analysis failed")
        messages.put(("failed", f"The live analysis failed unexpectedly: {error}"))


def _analyse_newest_frames(camera, pipeline, messages, stop_event, person_choice, live_drill=None) -> int:
    analysed = 0
    last_sequence = -1
    followed = NO_PERSON
    start_s = time.monotonic()
    while not stop_event.is_set():
        if person_choice.value != followed:
            followed = person_choice.value
            pipeline.select_person(None if followed == NO_PERSON else followed)
        captured = camera.latest(newer_than=last_sequence)
        if captured is None:
            if camera.ended.is_set():
                break
            time.sleep(0.002)
            continue
        last_sequence = captured.sequence
        result = pipeline.process_frame(captured.frame_bgr, analysed, captured.capture_time_s - start_s)
        analysed += 1
        rate = analysed / max(time.monotonic() - start_s, 1e-6)
        messages.put(("frame", captured.frame_bgr, result, captured.capture_time_s, rate))
        height, width = captured.frame_bgr.shape[:2]
        if live_drill is not None and live_drill.push(result, (width, height), pipeline.live_roll_deg,
                                                        pipeline.live_pitch_deg):
            messages.put(("drill", live_drill.summary_text()))
    if live_drill is not None and live_drill.finish():
        messages.put(("drill", live_drill.summary_text()))
    return analysed


def start_live_job(source: int | str | Path, width: int, height: int, record_path: str | Path | None,
                   settings: AnalysisSettings, device: str, drill: str | None = None):
    """Start the child; returns (process, messages queue, stop event, person choice)."""
    context = multiprocessing.get_context("spawn")  # never fork a process that runs Qt threads
    messages = context.Queue()
    stop_event = context.Event()
    person_choice = context.Value("i", NO_PERSON)
    process = context.Process(
        target=run_live_job, name="stsp-live", daemon=True,
        args=(source if isinstance(source, int) else str(source), width, height,
              None if record_path is None else str(record_path), settings, device, messages, stop_event,
              person_choice, drill))
    process.start()
    return process, messages, stop_event, person_choice
