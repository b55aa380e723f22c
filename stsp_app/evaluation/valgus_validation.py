"""``stsp-coach eval-drills --part valgus``: the drills' knee FPPA on the front-view jump clip against hand labels.

The clip ``video/cmj_teen_front.mp4`` is analysed as ``stsp-coach analyze`` does (default settings; it
announces 355 frames and 330 decode). Its knee frontal-plane projection angles (stsp_app.kinematics.
frontal_plane) on the hand-labelled frames (resources/hand_labels/cmj_teen_front_knees.csv, method in the
README beside it) are compared with the FPPA of the hand-placed hip, knee and ankle centres. The
vertical-jump and drop-jump drills are run on the same analysis and their results reported: the clip comes
from a contact-mat jump-height project, but no official height is known.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from stsp_app.core.paths import REPO_DIR
from stsp_app.drills import MovementNotFound, recording_from_analysis, run_drill
from stsp_app.evaluation.squat_validation import clip_analysis
from stsp_app.kinematics.frontal_plane import fppa_deg, knee_fppa_deg

CLIP = "video/cmj_teen_front.mp4"
LABELS = REPO_DIR / "resources/hand_labels/cmj_teen_front_knees.csv"
FLIGHT_LABELS = REPO_DIR / "resources/hand_labels/cmj_teen_front_flight.csv"


def hand_fppa_deg(labels_path: Path = LABELS) -> dict[tuple[int, str], float]:
    """(frame, side) -> FPPA of the hand-placed joint centres."""
    with Path(labels_path).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    points = {(int(row["frame"]), row["side"]): {joint: np.array([float(row[f"{joint}_x"]), float(row[f"{joint}_y"])])
                                                 for joint in ("hip", "knee", "ankle")} for row in rows}
    other = {"left": "right", "right": "left"}
    return {(frame, side): float(fppa_deg(p["hip"], p["knee"], p["ankle"], points[(frame, other[side])]["hip"]))
            for (frame, side), p in points.items()}


def validate(shared_data_dir: Path) -> str:
    analysis = clip_analysis(Path(shared_data_dir) / CLIP)
    recording = recording_from_analysis(analysis)
    drill_fppa = knee_fppa_deg(recording.motion.kp2d)
    lines = [f"Knee FPPA (valgus +) on `{CLIP}` ({len(analysis.frames)} frames analysed): the 2D stage's keypoints "
             "against hip, knee and ankle centres placed by hand (resources/hand_labels).", "",
             "| frame | side | hand FPPA deg | drill FPPA deg | difference deg |", "| --- | --- | --- | --- | --- |"]
    differences: dict[str, list[float]] = {"left": [], "right": []}
    for (frame, side), hand in sorted(hand_fppa_deg().items()):
        row = recording.motion.row_of_frame(frame)
        measured = float(drill_fppa[side][row]) if row is not None else float("nan")
        differences[side].append(measured - hand)
        lines.append(f"| {frame} | {side} | {hand:+.1f} | {measured:+.1f} | {measured - hand:+.1f} |")
    lines.append("")
    for side, values in differences.items():
        values = np.array(values)
        lines.append(f"- {side}: mean absolute difference {np.nanmean(np.abs(values)):.1f} deg, mean difference "
                     f"{np.nanmean(values):+.1f} deg over {np.isfinite(values).sum()} frames")
    for drill in ("vertical-jump", "drop-jump"):
        try:
            result = run_drill(drill, recording)
        except MovementNotFound as error:
            lines.append(f"- {drill}: {error}")
            continue
        events = ", ".join(f"{event.kind}{'/' + event.side if event.side else ''} {event.frame}"
                           for event in result.events)
        shown = {name: metric.value for name, metric in result.metrics.items()
                 if name in ("flight_time_s", "jump_height_cm", "left_knee_fppa_at_peak_flexion_deg",
                             "right_knee_fppa_at_peak_flexion_deg", "time_to_stabilise_s")}
        values = ", ".join(f"{name} {value:.3g}" for name, value in shown.items() if value is not None)
        lines.append(f"- {drill}: events {events}; {values}")
        if drill == "vertical-jump":
            lines.append("- vertical-jump against the take-off and landing seen by eye (" + _flight_check(result) + ")")
    return "\n".join(lines)


def labelled_flight() -> dict[str, int]:
    """The jump clip's take-off and landing frames read by eye (``cmj_teen_front_flight.csv``: first airborne
    frame, first frame a shoe touches the mat; README.md there)."""
    with FLIGHT_LABELS.open(newline="") as handle:
        return {row["event"]: int(row["frame"]) for row in csv.DictReader(handle)}


def _flight_check(result) -> str:
    """The first jump's take-off and landing frames against :func:`labelled_flight`."""
    labelled = labelled_flight()
    found = {kind: next(event.frame for event in result.events if event.kind == kind) for kind in labelled}
    return ", ".join(f"{kind}: by eye {labelled[kind]}, drill {found[kind]}, {found[kind] - labelled[kind]:+d} frames"
                     for kind in labelled)
