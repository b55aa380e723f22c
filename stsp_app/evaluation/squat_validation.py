"""``stsp-coach eval-drills --part squat``: the squat drill's reps against the hand labels of squat_side.mp4.

The clip (``data/video/squat_side.mp4``, side view, two squats) is analysed by the whole pipeline with default
settings, as ``stsp-coach analyze`` runs it, and the drill's reps are matched one to one, in time order, with
the reps of ``resources/hand_labels/squat_side_reps.csv`` (labelled by eye; README.md there). A detected rep
matches a label when its deepest frame lies between the label's start and end frames. Targets: every rep
found, none invented; the deepest-frame difference is reported. The knee angles measured by eye on standing and
bottom frames (``squat_side_knee_angles.csv``) are compared with the pipeline's 2D-projected and 3D knee flexion.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.paths import REPO_DIR
from stsp_app.drills import Recording, Rep, recording_from_analysis, run_drill
from stsp_app.kinematics.joint_angles import joint_angles_2d
from stsp_app.pipeline import AnalysisInterrupted, analyse_video

CLIP = "video/squat_side.mp4"
LABELS = REPO_DIR / "resources/hand_labels/squat_side_reps.csv"
KNEE_LABELS = REPO_DIR / "resources/hand_labels/squat_side_knee_angles.csv"


def clip_analysis(video_path: Path) -> VideoAnalysis:
    """A shared clip analysed as ``stsp-coach analyze`` does it (a clip that decodes fewer frames than it
    announces keeps the frames that decoded)."""
    try:
        return analyse_video(video_path)
    except AnalysisInterrupted as interrupted:
        return interrupted.analysis


def video_recording(video_path: Path) -> Recording:
    """The drills' recording of a shared clip analysed as ``stsp-coach analyze`` does it (``clip_analysis``)."""
    return recording_from_analysis(clip_analysis(video_path))


def hand_labelled_reps() -> list[dict[str, int | bool]]:
    with open(LABELS, newline="") as handle:
        return [{"start": int(row["start_frame"]), "deepest": int(row["deepest_frame"]), "end": int(row["end_frame"]),
                 "below_parallel": row["below_parallel"].strip().lower() == "true"} for row in csv.DictReader(handle)]


def match_reps(labels: list[dict], reps: list[Rep]) -> tuple[list[tuple[dict, Rep | None]], list[Rep]]:
    """(each label with the found rep whose deepest frame lies within its start and end, or None; the found reps
    no label took: invented), in label order, each rep taken once."""
    unmatched = list(reps)
    matched = []
    for label in labels:
        rep = next((rep for rep in unmatched if label["start"] <= rep.deepest_frame <= label["end"]), None)
        if rep is not None:
            unmatched.remove(rep)
        matched.append((label, rep))
    return matched, unmatched


def hand_knee_flexion_deg(row: dict[str, str]) -> float:
    """Knee flexion of hand-read image points: the angle between hip→knee and knee→ankle."""
    hip, knee, ankle = (np.array([float(row[f"{joint}_x"]), float(row[f"{joint}_y"])])
                        for joint in ("hip", "knee", "ankle"))
    thigh, shank = knee - hip, ankle - knee
    return float(np.degrees(np.arccos(np.dot(thigh, shank) / (np.linalg.norm(thigh) * np.linalg.norm(shank)))))


def knee_angle_lines(recording: Recording) -> list[str]:
    with open(KNEE_LABELS, newline="") as handle:
        rows = list(csv.DictReader(handle))
    projected = joint_angles_2d(recording.motion.kp2d).degrees
    lines = ["| frame | phase | side | by eye deg | 2D projected deg | 3D deg |", "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        name = f"{row['side']}_knee_flexion"
        analysis_row = recording.motion.row_of_frame(int(row["frame"]))
        found = ((f"{projected[name][analysis_row]:.1f}", f"{recording.motion.angles.degrees[name][analysis_row]:.1f}")
                 if analysis_row is not None else ("not analysed", "not analysed"))
        lines.append(f"| {row['frame']} | {row['phase']} | {row['side']} | {hand_knee_flexion_deg(row):.1f} | "
                     f"{found[0]} | {found[1]} |")
    return lines


def validate(shared_data_dir: Path) -> str:
    labels = hand_labelled_reps()
    recording = video_recording(Path(shared_data_dir) / CLIP)
    result = run_drill("squat", recording)
    lines = [f"Clip `{CLIP}`, hand labels `{LABELS.relative_to(REPO_DIR)}`.", "",
             ("| rep | labelled start / deepest / end | found start / deepest / end | Δ start / deepest / end frames | "
              "below parallel (label / found) | hip below knee top (thigh lengths) | peak knee flexion deg | "
              "descent / ascent s |"),
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    pairs, unmatched = match_reps(labels, result.reps)
    matched = 0
    below_agree = 0
    for number, (label, rep) in enumerate(pairs, start=1):
        if rep is None:
            lines.append(f"| {number} | {label['start']} / {label['deepest']} / {label['end']} | missed | | "
                         f"{label['below_parallel']} / | | | |")
            continue
        matched += 1
        metrics = rep.metrics
        below_agree += metrics["below_parallel"].value == label["below_parallel"]
        margin, depth = metrics["hip_below_knee_top_thigh"].value, metrics["knee_flexion_peak_deg"].value
        lines.append(f"| {number} | {label['start']} / {label['deepest']} / {label['end']} | {rep.start_frame} / "
                     f"{rep.deepest_frame} / {rep.end_frame} | {rep.start_frame - label['start']:+d} / "
                     f"{rep.deepest_frame - label['deepest']:+d} / {rep.end_frame - label['end']:+d} | "
                     f"{label['below_parallel']} / {metrics['below_parallel'].value} | "
                     f"{'' if margin is None else f'{margin:+.2f}'} | {'—' if depth is None else f'{depth:.1f}'} | "
                     f"{metrics['descent_time_s'].value:.2f} / {metrics['ascent_time_s'].value:.2f} |")
    for rep in unmatched:
        lines.append(f"| invented | | {rep.start_frame} / {rep.deepest_frame} / {rep.end_frame} | | | | | |")
    verdict = "met" if matched == len(labels) and not unmatched else "NOT met"
    lines += ["", (f"Reps found {matched} of {len(labels)}, invented {len(unmatched)}: target (all found, none "
                   f"invented) {verdict}. Below parallel agrees with the label on {below_agree} of {matched} "
                   "matched reps."), "",
              f"Knee flexion by eye (`{KNEE_LABELS.relative_to(REPO_DIR)}`) against the pipeline on the same frame:", "",
              *knee_angle_lines(recording)]
    return "\n".join(lines)
