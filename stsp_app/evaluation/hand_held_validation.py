"""``stsp-coach eval-drills --part hand-held``: the drills on the labelled clips as a phone held by hand films them.

Each labelled clip (the jump, the two sprints, the squat) is filmed again through a window that sways over the
picture as a hand-held phone does: a slow sway (0.5-1.5 Hz, three quarters of the amplitude) and a tremor (3-6 Hz,
a quarter), the amplitude ``SWAY_SHARE`` of each side, frequencies and phases drawn per axis from a seed (the
window keeps the picture's size less twice the amplitude and a margin; sub-pixel shifts, written with OpenCV's
MPEG-4 encoder). Each variant is analysed as ``stsp-coach analyze`` does it, and every drill is read twice on
that one analysis: on the first frame's picture, through the camera's motion the analysis followed (as the app
reads it, ``drills.recording.frames_on_scene``), and on each frame's own picture (the maps taken out), as
before the camera was followed. The clips as filmed are read both ways too. Labels: the jump's take-off and
landing (``valgus_validation.labelled_flight``), the sprints' foot events
(``data/video/sprint_contacts.csv``, each label against the nearest event), the squat's reps
(``squat_validation.hand_labelled_reps``). The camera's error is the followed map against the window's
true sway composed with the clip's own camera motion (the shared clips were filmed by hand), at the picture's
centre.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import cv2
import numpy as np

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.video_source import VideoSource
from stsp_app.drills import MovementNotFound, recording_from_analysis, run_drill
from stsp_app.epe.camera_motion import to_scene
from stsp_app.evaluation.run_validation import label_errors_frames, labelled_frames
from stsp_app.evaluation.squat_validation import clip_analysis, hand_labelled_reps, match_reps
from stsp_app.evaluation.valgus_validation import labelled_flight

SWAY_SHARE = 0.02
SEEDS = (1, 2, 3)
CLIPS = {"cmj_teen_front.mp4": "vertical-jump", "sprint_start_a1.mp4": "run", "sprint_start_b1.mp4": "run",
         "squat_side.mp4": "squat"}


def sway_px(frame_count: int, fps: float, size_px: tuple[int, int], seed: int) -> np.ndarray:
    """(T, 2) the window's shift per frame, x and y, in pixels (about 0 to ± the amplitude)."""
    rng = np.random.default_rng(seed)
    times = np.arange(frame_count) / fps
    columns = []
    for side in size_px:
        amplitude = SWAY_SHARE * side
        slow_hz, tremor_hz = rng.uniform(0.5, 1.5), rng.uniform(3.0, 6.0)
        slow_phase, tremor_phase = rng.uniform(0.0, 2 * np.pi, 2)
        columns.append(0.75 * amplitude * np.sin(2 * np.pi * slow_hz * times + slow_phase)
                       + 0.25 * amplitude * np.sin(2 * np.pi * tremor_hz * times + tremor_phase))
    return np.stack(columns, axis=-1)


def write_hand_held(source: Path, path: Path, seed: int) -> np.ndarray:
    """``source`` filmed through the swaying window into ``path``; returns where the window's top-left corner lies
    in each source frame (T, 2) px: the copy's pixel p is the source's p + that."""
    video = VideoSource(source)
    margin = np.ceil(np.array([video.width, video.height]) * SWAY_SHARE) + 2
    size = (int(video.width - 2 * margin[0]) // 2 * 2, int(video.height - 2 * margin[1]) // 2 * 2)
    shifts = sway_px(video.frame_count, video.fps, (video.width, video.height), seed)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), video.fps, size)
    written = 0
    for index, _, frame in video.frames():
        x, y = margin + shifts[index]
        writer.write(cv2.warpAffine(frame, np.array([[1.0, 0.0, -x], [0.0, 1.0, -y]]), size,
                                    flags=cv2.INTER_LINEAR))
        written += 1
    writer.release()
    return margin + shifts[:written]


def _on_each_picture(analysis: VideoAnalysis) -> VideoAnalysis:
    return dataclasses.replace(analysis, frames=[dataclasses.replace(frame, scene_from_image=None)
                                                 for frame in analysis.frames])


def jump_reading(analysis: VideoAnalysis, clip: str) -> tuple[str, int, int]:
    """(the jump's take-off and landing against the frames seen by eye and its height, events right, 2)."""
    labels = labelled_flight()
    try:
        result = run_drill("vertical-jump", recording_from_analysis(analysis))
    except MovementNotFound:
        return "no jump found", 0, 2
    close = 0
    parts = []
    for kind in ("takeoff", "landing"):
        frames = [event.frame for event in result.events if event.kind == kind]
        error = min((frame - labels[kind] for frame in frames), key=abs, default=None)
        close += error is not None and abs(error) <= 1
        parts.append("none" if error is None else f"{error:+d}")
    return f"take-off / landing {' / '.join(parts)}, {result.metrics['jump_height_cm'].value:.1f} cm", close, 2


def _run_reading(analysis: VideoAnalysis, clip: str, shared_data_dir: Path) -> tuple[str, int, int]:
    labels = labelled_frames(shared_data_dir)[clip]
    try:
        result = run_drill("run", recording_from_analysis(analysis))
    except MovementNotFound:
        return "no running strides found", 0, len(labels)
    errors = label_errors_frames(labels, [event.frame for event in result.events])
    close = sum(error is not None and abs(error) <= 1 for error in errors)
    cadence = result.metrics["cadence_steps_per_min"].value
    return (f"{close} of {len(labels)} ({', '.join('none' if e is None else f'{e:+d}' for e in errors)}), "
            f"{cadence:.0f} steps/min", close, len(labels))


def _squat_reading(analysis: VideoAnalysis, clip: str) -> tuple[str, int, int]:
    labels = hand_labelled_reps()
    try:
        reps = run_drill("squat", recording_from_analysis(analysis)).reps
    except MovementNotFound:
        return "no squat found", 0, len(labels)
    matched, invented = match_reps(labels, reps)
    parts = ["missed" if rep is None else f"{rep.start_frame - label['start']:+d} / "
             f"{rep.deepest_frame - label['deepest']:+d} / {rep.end_frame - label['end']:+d}"
             for label, rep in matched]
    found = sum(rep is not None for _, rep in matched)
    extra = f", {len(invented)} invented" if invented else ""
    return f"reps (Δ start / deepest / end) {'; '.join(parts)}{extra}", found - len(invented), len(labels)


def _reading(analysis: VideoAnalysis, clip: str, shared_data_dir: Path) -> tuple[str, int, int]:
    """(what the drill read, events or reps right, events or reps labelled)."""
    drill = CLIPS[clip]
    if drill == "vertical-jump":
        return jump_reading(analysis, clip)
    if drill == "run":
        return _run_reading(analysis, clip, shared_data_dir)
    return _squat_reading(analysis, clip)


def _camera_drift_px(analysis: VideoAnalysis) -> float:
    """How far the followed camera moved from the first frame, at the picture's centre (the largest)."""
    centre = np.array([analysis.width / 2, analysis.height / 2])
    return max((float(np.hypot(*(to_scene(centre, frame.scene_from_image) - centre)))
                for frame in analysis.frames if frame.scene_from_image is not None), default=0.0)


def _camera_error_px(copy: VideoAnalysis, window_px: np.ndarray, as_filmed: VideoAnalysis) -> tuple[float, float]:
    """(median, largest) distance, at the copy's centre, between the camera the copy's analysis followed and the
    one it should: the window's sway composed with the clip's own camera motion (the shared clips were filmed
    by hand too), as the analysis of the clip as filmed followed it."""
    centre = np.array([copy.width / 2, copy.height / 2])
    filmed_maps = {frame.index: frame.scene_from_image for frame in as_filmed.frames}
    errors = []
    for frame in copy.frames:
        if frame.scene_from_image is None or filmed_maps.get(frame.index) is None:
            continue
        expected = to_scene(centre + window_px[frame.index], filmed_maps[frame.index]) - window_px[0]
        errors.append(np.hypot(*(to_scene(centre, frame.scene_from_image) - expected)))
    return float(np.median(errors)), float(np.max(errors))


def validate(shared_data_dir: Path) -> str:
    lines = [f"Sway: {100 * SWAY_SHARE:.0f} % of each side (slow 0.5-1.5 Hz and tremor 3-6 Hz), seeds "
             f"{', '.join(map(str, SEEDS))}. Camera: the most the followed camera moved from the first frame, and "
             "its error against the sway composed with the clip's own motion as followed on the clip as filmed, at "
             "the picture's centre.", "",
             "| clip | variant | camera followed: moved / error median, max px | read on the first frame's picture "
             "(camera followed) | read on each frame's picture |", "| --- | --- | --- | --- | --- |"]
    totals = {"followed": [0, 0], "picture": [0, 0]}
    with tempfile.TemporaryDirectory(prefix="stsp-hand-held-") as folder:
        for clip in CLIPS:
            source = Path(shared_data_dir) / "video" / clip
            variants = [("as filmed", source, None)]
            for seed in SEEDS:
                path = Path(folder) / f"{Path(clip).stem}_hand_held_{seed}.mp4"
                variants.append((f"hand-held, seed {seed}", path, write_hand_held(source, path, seed)))
            as_filmed = None
            for name, path, window_px in variants:
                analysis = clip_analysis(path)
                camera = f"{_camera_drift_px(analysis):.0f}"
                if window_px is None:
                    as_filmed = analysis
                else:
                    median_px, largest_px = _camera_error_px(analysis, window_px, as_filmed)
                    camera += f" / {median_px:.1f}, {largest_px:.1f}"
                followed = _reading(analysis, clip, shared_data_dir)
                on_picture = _reading(_on_each_picture(analysis), clip, shared_data_dir)
                if window_px is not None:
                    for key, reading in (("followed", followed), ("picture", on_picture)):
                        totals[key][0] += reading[1]
                        totals[key][1] += reading[2]
                lines.append(f"| {clip} | {name} | {camera} | {followed[0]} | {on_picture[0]} |")
    lines += ["", "Hand-held variants, events within one frame of their labels (jump and run) and reps found less "
              f"reps invented (squat): camera followed {totals['followed'][0]} of {totals['followed'][1]}, on each "
              f"frame's picture {totals['picture'][0]} of {totals['picture'][1]}."]
    return "\n".join(lines)
