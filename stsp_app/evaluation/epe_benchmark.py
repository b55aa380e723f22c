"""Per-stage timing of the EPE stage on a real video (``stsp-coach bench``).

Frames are decoded up front for the "decode" figure and then fed from memory, so each stage's time is its
own. End-to-end frames per second counts decode + the whole stage per frame.
"""

from __future__ import annotations

import json
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

import cv2

from stsp_app.core.video_source import VideoSource
from stsp_app.epe.config import MODEL_VARIANTS, EPEConfig
from stsp_app.epe.stage import STAGE_TIMERS, EPEStage
from stsp_app.errors import UserFacingError

WARM_UP_FRAMES = 5
# The peer a user would pick instead: MediaPipe's own Pose solution, in its own environment (issue 17).
MEDIAPIPE_VERSION = "0.10.14"
MEDIAPIPE_RUNNER = Path(__file__).with_name("mediapipe_pose_runner.py")


@dataclass
class EPEBenchmark:
    label: str
    threads: int
    frames: int
    stage_ms: dict[str, float]  # mean milliseconds per frame, by stage (decode first)
    total_ms: float             # mean end-to-end milliseconds per frame
    device_name: str
    frames_with_person: int

    @property
    def frames_per_s(self) -> float:
        return 1000.0 / self.total_ms


def plain_tracking_config(base: EPEConfig) -> EPEConfig:
    """The reference loop of docs/blazepose.md: detect once, then track with the bare landmark regression."""
    return replace(
        base, decoder="regression", temporal_filter="none",
        motion_heatmaps=False, motion_roi=False, motion_filter=False, camera_motion=False, camera_roll=False,
    )


def benchmark_epe(video_path, config: EPEConfig, label: str, max_frames: int | None = None) -> EPEBenchmark:
    cv2.setNumThreads(config.threads)
    video = VideoSource(video_path)
    count = video.frame_count if max_frames is None else min(video.frame_count, max_frames)
    clock = time.perf_counter()
    frames = [video.read(i) for i in range(count)]
    decode_ms = (time.perf_counter() - clock) * 1000 / count

    stage = EPEStage(config, fps=video.fps)
    for frame in frames[:WARM_UP_FRAMES]:
        stage.process(frame, 0)
    stage.reset()

    totals = dict.fromkeys(STAGE_TIMERS, 0.0)
    found = 0
    clock = time.perf_counter()
    for index, frame in enumerate(frames):
        result = stage.process(frame, index)
        found += result.kp2d is not None
        for name, value in result.timings_ms.items():
            totals[name] += value
    stage_total_ms = (time.perf_counter() - clock) * 1000 / count
    stage_ms = {"decode": decode_ms, **{name: value / count for name, value in totals.items()}}
    return EPEBenchmark(label, config.threads, count, stage_ms, decode_ms + stage_total_ms, stage.device_name, found)


def benchmark_mediapipe(python: Path, video_path, model: str, max_frames: int | None = None) -> EPEBenchmark:
    """MediaPipe's own Pose solution on the same frames (decode + pose per frame), run by ``python``, the
    interpreter of an environment with ``mediapipe==MEDIAPIPE_VERSION`` (mediapipe_pose_runner.py)."""
    frames = VideoSource(video_path).frame_count if max_frames is None else max_frames
    try:
        completed = subprocess.run(
            [str(python), str(MEDIAPIPE_RUNNER), str(video_path), str(MODEL_VARIANTS.index(model)), str(frames)],
            capture_output=True, text=True, timeout=3600, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or str(error)
        raise UserFacingError(f"MediaPipe's Pose could not run with {python}: {detail.strip().splitlines()[-1:]}"
                              " (bash packaging/run.sh bench makes its environment)") from error
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    if report["version"] != MEDIAPIPE_VERSION:
        raise UserFacingError(f"{python} has mediapipe {report['version']}; the peer is mediapipe=={MEDIAPIPE_VERSION}")
    pose_ms = report["total_ms"] - report["decode_ms"]
    return EPEBenchmark(f"MediaPipe Pose {MEDIAPIPE_VERSION} (its own loop), {model}", 0, report["frames"],
                        {"decode": report["decode_ms"], "MediaPipe": pose_ms}, report["total_ms"], "CPU",
                        report["found"])


def format_table(results: list[EPEBenchmark]) -> str:
    names = list(dict.fromkeys(name for r in results for name in r.stage_ms))
    header = ["configuration", "threads", *[f"{n} ms" for n in names], "total ms", "frames/s", "found"]
    rows = [
        [r.label, str(r.threads or "its own"), *[f"{r.stage_ms[n]:.2f}" if n in r.stage_ms else "" for n in names],
         f"{r.total_ms:.2f}",
         f"{r.frames_per_s:.1f}", f"{r.frames_with_person}/{r.frames}"]
        for r in results
    ]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def median_of_rounds(runs: dict, rounds: int) -> dict:
    """Time every configuration of ``runs`` (key -> callable giving an EPEBenchmark) once per round, for
    ``rounds`` rounds, and keep each one's run with the median total. Rounds interleave the configurations, so
    a slow spell of a shared machine falls on all of them rather than on whichever ran then."""
    timed = {key: [] for key in runs}
    for _ in range(rounds):
        for key, run in runs.items():
            timed[key].append(run())
    return {key: sorted(results, key=lambda r: r.total_ms)[len(results) // 2] for key, results in timed.items()}


__all__ = ["EPEBenchmark", "benchmark_epe", "benchmark_mediapipe", "plain_tracking_config", "format_table",
           "median_of_rounds"]
