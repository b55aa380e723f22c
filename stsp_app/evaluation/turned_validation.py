"""``stsp-coach eval-drills --part turned``: the labelled clips filmed with the phone held askew.

Each of the squat and jump clips is turned about its centre by each of ``TURNS_DEG`` and cut to its middle
``KEPT_SHARE`` (no black corner at 8 degrees on a 16:9 picture: a rotated copy's black corners have edges of
their own, at the turn's angle), written with OpenCV's MPEG-4 encoder, and analysed as ``stsp-coach analyze`` does
it. The 0-degree copy is the same cut without a turn: the reference every turned copy is read against. Per copy:
the turn the analysis read from the background (``settings.camera_roll_deg``, ``epe.camera_roll``) against the
true one; the squat's reps against the hand labels, "below parallel" and the trunk lean at depth per rep; the
jump's take-off and landing against the frames seen by eye, its height, and the median trunk lean while standing
before the jump. The sprint clips are left out: the cut that removes the black corners also removes the runner's
feet (docs/RESULTS.md, "A phone held askew, levelled").
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from stsp_app.core.analysis import CAMERA_ROLL_SETTING, VideoAnalysis
from stsp_app.core.video_source import VideoSource
from stsp_app.drills import MovementNotFound, recording_from_analysis, run_drill
from stsp_app.evaluation.hand_held_validation import jump_reading
from stsp_app.evaluation.squat_validation import clip_analysis, hand_labelled_reps, match_reps

# OpenCV's sense: positive turns the picture anticlockwise, and the scene's upright then points that many degrees
# from the picture's downward axis towards +x: the reading (``settings.camera_roll_deg``) should be the turn.
TURNS_DEG = (0.0, -8.0, -3.0, 3.0, 8.0)
KEPT_SHARE = 0.78
CLIPS = ("squat_side.mp4", "cmj_teen_front.mp4")
# The jump clip's girl stands still before her countermovement until about frame 215 (docs/RESULTS.md).
STANDING_FRAMES = slice(0, 200)


def write_turned(source: Path, path: Path, turn_deg: float) -> tuple[int, int]:
    """``source`` turned by ``turn_deg`` about its centre and cut to its middle KEPT_SHARE, into ``path``;
    returns the copy's size (width, height)."""
    video = VideoSource(source)
    size = (int(video.width * KEPT_SHARE) // 2 * 2, int(video.height * KEPT_SHARE) // 2 * 2)
    turn = cv2.getRotationMatrix2D((video.width / 2, video.height / 2), turn_deg, 1.0)
    turn[:, 2] -= [(video.width - size[0]) / 2, (video.height - size[1]) / 2]  # the cut: the middle of the picture
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), video.fps, size)
    for _, _, frame in video.frames():
        writer.write(cv2.warpAffine(frame, turn, size, flags=cv2.INTER_LINEAR))
    writer.release()
    return size


def _squat(analysis: VideoAnalysis) -> str:
    try:
        reps = run_drill("squat", recording_from_analysis(analysis)).reps
    except MovementNotFound as error:
        return str(error)
    matched, invented = match_reps(hand_labelled_reps(), reps)
    found = sum(rep is not None for _, rep in matched)
    below = " / ".join("yes" if rep.metrics["below_parallel"].value else "no" for rep in reps)
    lean = " / ".join(f"{rep.metrics['trunk_lean_at_depth_deg'].value:.1f}" for rep in reps)
    extra = f", {len(invented)} invented" if invented else ""
    return f"{found} of {len(matched)} reps{extra}; below parallel {below}; trunk lean at depth {lean}°"


def _jump(analysis: VideoAnalysis, clip: str) -> str:
    lean = np.nanmedian(recording_from_analysis(analysis).motion.angles.degrees["trunk_lean"][STANDING_FRAMES])
    return f"{jump_reading(analysis, clip)[0]}; standing trunk lean {lean:.1f}°"


def validate(shared_data_dir: Path) -> str:
    lines = [f"Each clip turned about its centre (OpenCV's sense, anticlockwise positive) and cut to its middle "
             f"{100 * KEPT_SHARE:.0f} %; the 0° copy is the same cut without a turn.", "",
             "| clip | turn | turn read | read − (turn + the 0° copy's reading) | drill |",
             "| --- | --- | --- | --- | --- |"]
    return "\n".join(lines + copies_read(shared_data_dir, CLIPS, TURNS_DEG, write_turned, CAMERA_ROLL_SETTING,
                                          drill_reading, "turn"))


def drill_reading(analysis: VideoAnalysis, clip: str) -> str:
    """What a copy of one of CLIPS reads: the squat's reps, below parallel and trunk lean at depth; the jump's
    events, height and standing trunk lean."""
    return _squat(analysis) if clip == "squat_side.mp4" else _jump(analysis, clip)


def copies_read(shared_data_dir: Path, clips: tuple[str, ...], angles_deg: tuple[float, ...],
                write_copy: Callable[[Path, Path, float], object], setting: str,
                drill: Callable[[VideoAnalysis, str], str], what: str) -> list[str]:
    """Table rows and a summary: each shared clip's copies by ``write_copy(source, path, angle)`` (the first angle
    0), analysed as ``stsp-coach analyze`` does it; per copy the angle the analysis read (``settings[setting]``)
    against the angle given added to the 0-degree copy's reading, and ``drill(analysis, clip)``. ``what`` names
    the angle ("turn", "pitch")."""
    rows, misses_deg = [], []
    with tempfile.TemporaryDirectory(prefix=f"stsp-{what}-") as folder:
        for clip in clips:
            reference_deg = None
            for angle_deg in angles_deg:
                path = Path(folder) / f"{Path(clip).stem}_{what}_{angle_deg:+.0f}.mp4"
                write_copy(Path(shared_data_dir) / "video" / clip, path, angle_deg)
                analysis = clip_analysis(path)
                read_deg = analysis.settings.get(setting)
                if angle_deg == 0.0:
                    reference_deg = read_deg or 0.0
                miss_deg = None if read_deg is None or angle_deg == 0.0 else read_deg - (angle_deg + reference_deg)
                if miss_deg is not None:
                    misses_deg.append(abs(miss_deg))
                read = "none" if read_deg is None else f"{read_deg:+.1f}°"
                miss = "" if miss_deg is None else f"{miss_deg:+.1f}°"
                rows.append(f"| {clip} | {angle_deg:+.0f}° | {read} | {miss} | {drill(analysis, clip)} |")
    copies = len(clips) * (len(angles_deg) - 1)
    summary = (f"largest miss {max(misses_deg):.1f}°, median {np.median(misses_deg):.1f}°" if misses_deg
               else "none read")
    return rows + ["", f"Copies whose {what} was read: {len(misses_deg)} of {copies}; {summary}."]
