"""A club's archive analysed in one go: every video of a folder (or of a list) by a pool of worker processes,
or by the tasks of a Ray cluster; resumable, and one bad file never stops the rest.

Each video gets its own folder ``OUT/<name>-<first 12 hex of its sha256>/`` holding what ``stsp-coach analyze``
writes (``analysis/`` and ``keypoints.json``): a video analysed before with the same settings is skipped by
its content hash (renamed or moved, it is still found), and one interrupted part-way continues where it
stopped. :func:`run_batch` is the one supervisor: it hands out the videos, collects one
:class:`VideoOutcome` per video whatever happens in the worker (bad input, a bug, a crashed process), and
reports each as it arrives.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass
from pathlib import Path

from stsp_app.core.analysis import KEYPOINTS_FILE
from stsp_app.core.analysis_store import ANALYSIS_FOLDER
from stsp_app.errors import InputError, UserFacingError, describe_os_error

log = logging.getLogger(__name__)

# What counts as a video in a folder (a list file may name any file OpenCV reads).
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".mts",
                            ".3gp"})
LOCAL_RAY = "local"  # --ray local: start a Ray instance on this machine (the tests use it)


@dataclass(frozen=True)
class BatchSettings:
    """How every video of the batch is analysed (as ``stsp-coach analyze`` options)."""

    model: str = "full"
    device: str = "auto"
    threads: int = 1  # ONNX Runtime threads per worker: the workers share the machine's cores
    capture_fps: float | None = None  # a folder of slow-motion videos all filmed at this rate (VideoSource)


@dataclass(frozen=True)
class VideoOutcome:
    video: str
    status: str              # "analysed", "skipped" (analysed before) or "failed"
    folder: str | None = None
    frames: int = 0          # frames analysed by this run
    message: str = ""        # why it failed, in one line

    @property
    def failed(self) -> bool:
        return self.status == "failed"


def find_videos(source: str | Path) -> list[Path]:
    """The videos of a folder (recursively, by suffix, in sorted order), of a list file (one path a line,
    relative to the list's folder; blank lines and ``#`` comments skipped), or one video file."""
    source = Path(source)
    if source.is_dir():
        videos = sorted(path for path in source.rglob("*")
                        if path.suffix.lower() in VIDEO_SUFFIXES and path.is_file())
        if not videos:
            raise InputError(f"{source}: no videos in this folder ({', '.join(sorted(VIDEO_SUFFIXES))})")
        return videos
    if not source.is_file():
        raise InputError(f"{source}: no such file or folder")
    if source.suffix.lower() in VIDEO_SUFFIXES:
        return [source]
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{source}: neither a video nor a list of videos ({error})") from None
    videos = [source.parent / line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not videos:
        raise InputError(f"{source}: the list names no video")
    return videos


def output_folder(out_dir: Path, video: Path, content_sha256: str) -> Path:
    """``OUT/<name>-<first 12 hex of the sha256>``: one folder per video content, found by the hash alone when
    the video has been renamed since."""
    existing = sorted(out_dir.glob(f"*-{content_sha256[:12]}"))
    if existing:
        return existing[0]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", video.stem).strip("._") or "video"
    return out_dir / f"{name}-{content_sha256[:12]}"


def analyse_one(video_path: str, out_dir: str, settings: BatchSettings) -> VideoOutcome:
    """Analyse one video into its folder, in a worker. Never raises: a problem becomes a failed outcome."""
    from stsp_app.core.analysis import write_keypoints_json
    from stsp_app.core.video_source import VideoSource
    from stsp_app.epe.config import EPEConfig
    from stsp_app.pipeline import FolderAnalysisInterrupted, Pipeline, analyse_video_to_folder

    folder = None
    try:
        video = VideoSource(video_path, capture_fps=settings.capture_fps)
        content_sha256 = video.content_sha256()
        folder = output_folder(Path(out_dir), Path(video_path), content_sha256)
        pipeline = Pipeline(epe_config=EPEConfig(model=settings.model, device=settings.device,
                                                 threads=settings.threads), fps=video.fps)
        frames_done = []
        store = analyse_video_to_folder(video, pipeline, folder / ANALYSIS_FOLDER, content_sha256,
                                        on_progress=lambda done, total: frames_done.append(done))
        if not frames_done and (folder / KEYPOINTS_FILE).is_file():
            return VideoOutcome(video_path, "skipped", str(folder))
        write_keypoints_json(folder / KEYPOINTS_FILE, store.analysis_header(), store.frames())
        if video.shortfall_message:
            return VideoOutcome(video_path, "analysed", str(folder), len(frames_done), video.shortfall_message)
        return VideoOutcome(video_path, "analysed", str(folder), len(frames_done))
    except FolderAnalysisInterrupted as interrupted:
        if isinstance(interrupted.cause, KeyboardInterrupt):
            raise interrupted.cause
        kept = f"{interrupted.store.frames_saved} frames kept to continue from"
        return _failed(video_path, folder, interrupted.cause, kept)
    except Exception as error:  # bad input or a bug: reported for this video, the batch goes on
        return _failed(video_path, folder, error)


def _failed(video_path: str, folder: Path | None, error: BaseException, kept: str = "") -> VideoOutcome:
    """A failed outcome whose message names the video and says what went wrong in one line."""
    if isinstance(error, UserFacingError):
        what = str(error)
    elif isinstance(error, OSError):
        what = describe_os_error(error)
    else:
        log.error("analysing %s failed", video_path, exc_info=error)
        what = f"internal error: {error!r}"
    message = what if video_path in what else f"{video_path}: {what}"
    return VideoOutcome(video_path, "failed", None if folder is None else str(folder),
                        message=f"{message} ({kept})" if kept else message)


def run_batch(videos: list[Path], out_dir: Path, settings: BatchSettings, workers: int = 1,
              ray_address: str | None = None,
              on_outcome: Callable[[VideoOutcome], None] | None = None) -> list[VideoOutcome]:
    """Analyse every video, by ``workers`` processes here or, with ``ray_address`` (a cluster's address, or
    ``local`` for an instance on this machine), by Ray tasks. Returns one outcome per video, in the videos'
    order; ``on_outcome`` hears each as it arrives."""
    report = on_outcome or (lambda outcome: None)
    jobs = [(str(video), str(out_dir), settings) for video in videos]
    if ray_address is not None:
        outcomes = _run_on_ray(jobs, ray_address, workers, report)
    else:
        outcomes = _run_in_processes(jobs, workers, report)
    return [outcomes[str(video)] for video in videos]


def _run_in_processes(jobs: list[tuple], workers: int, report) -> dict[str, VideoOutcome]:
    """A pool of ``workers`` processes (spawned: ONNX Runtime's threads do not survive a fork), each given one
    video at a time. A worker that dies (a crash in a decoder, killed for memory) breaks the pool: the videos
    then in hand are tried again one by one, each alone, and fail only if their worker dies again."""
    outcomes: dict[str, VideoOutcome] = {}
    queue = list(jobs)
    while queue:
        in_hand = _run_until_a_worker_dies(queue, workers, outcomes, report)
        for job in in_hand:
            outcome = _run_alone(job)
            outcomes[job[0]] = outcome
            report(outcome)
    return outcomes


def _run_until_a_worker_dies(queue: list[tuple], workers: int, outcomes: dict[str, VideoOutcome],
                             report) -> list[tuple]:
    """Run ``queue`` (emptied as jobs are handed out); returns the jobs in hand when a worker died, if one did."""
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        running: dict = {}
        while queue or running:
            while queue and len(running) < workers:
                job = queue.pop(0)
                running[pool.submit(analyse_one, *job)] = job
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    return list(running.values())
                outcomes[running.pop(future)[0]] = outcome
                report(outcome)
    return []


def _run_alone(job: tuple) -> VideoOutcome:
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        try:
            return pool.submit(analyse_one, *job).result()
        except BrokenProcessPool:
            return VideoOutcome(job[0], "failed", message=f"{job[0]}: the worker process analysing it stopped "
                                                          "unexpectedly twice (a crash, or killed for memory)")


def _run_on_ray(jobs: list[tuple], address: str, workers: int, report) -> dict[str, VideoOutcome]:
    """One Ray task per video on the cluster at ``address`` (``local``: a fresh instance here with ``workers``
    CPUs, shut down at the end). The output folder must be one every node sees (a shared drive)."""
    import ray

    local = address == LOCAL_RAY
    ray.init(address=None if local else address, num_cpus=workers if local else None, include_dashboard=False,
             logging_level=logging.WARNING, log_to_driver=False, configure_logging=False)
    try:
        analyse = ray.remote(num_cpus=1, max_retries=0)(analyse_one)
        running = {analyse.remote(*job): job for job in jobs}
        outcomes: dict[str, VideoOutcome] = {}
        while running:
            done, _ = ray.wait(list(running), num_returns=1)
            job = running.pop(done[0])
            try:
                outcome = ray.get(done[0])
            except ray.exceptions.RayError as error:  # the task's worker or node died
                outcome = VideoOutcome(job[0], "failed", message=f"{job[0]}: the Ray task analysing it failed "
                                                                 f"({type(error).__name__})")
            outcomes[job[0]] = outcome
            report(outcome)
        return outcomes
    finally:
        ray.shutdown()


def default_workers() -> int:
    """One worker per core, and at least one."""
    return max(1, os.cpu_count() or 1)


def summary_json(outcomes: list[VideoOutcome]) -> dict:
    counts = {status: sum(outcome.status == status for outcome in outcomes)
              for status in ("analysed", "skipped", "failed")}
    return {"counts": counts, "videos": [asdict(outcome) for outcome in outcomes]}
