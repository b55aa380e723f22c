"""``stsp-coach eval-2d --tables sides``: how often the analysed child's left and right ankles are swapped,
against the ankles placed by hand, without and with the whole-clip swap repair (``kinematics/limb_sides``).

Labels: ``resources/hand_labels/leg_sides_<clip>.csv`` (both ankles per frame, read by eye from the video;
README.md there), on the two side-view sprint clips and the youth basketball clip. A frame counts when it is
marked sure, both ankles are labelled and the analysis found the child; it is swapped when the analysis's left
and right ankles lie nearer the labelled right and left ankles than the other way round. Each clip is analysed
once by the whole pipeline with the repair and the whole-clip filter off; then, as the pipeline does it, the
repair (or not) and the filter run on copies of that analysis, so both figures come from the same 2D.
"""

from __future__ import annotations

import copy
import csv
from pathlib import Path

import numpy as np

from stsp_app.core.analysis import VideoAnalysis
from stsp_app.core.paths import REPO_DIR
from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.epe.config import EPEConfig
from stsp_app.pipeline import (
    AnalysisInterrupted,
    Pipeline,
    analyse_video,
    repair_swapped_limbs,
    smooth_analysis_2d,
)

CLIPS = ("sprint_start_a1.mp4", "sprint_start_b1.mp4", "basketball_youth_drill.mp4")
LABELS_DIR = REPO_DIR / "resources/hand_labels"


def labelled_ankles(clip: str) -> dict[int, tuple[np.ndarray, np.ndarray]]:
    """frame -> (left ankle, right ankle) image points of the sure frames with both ankles labelled."""
    with (LABELS_DIR / f"leg_sides_{Path(clip).stem}.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {int(row["frame"]): (np.array([float(row["left_ankle_x"]), float(row["left_ankle_y"])]),
                                np.array([float(row["right_ankle_x"]), float(row["right_ankle_y"])]))
            for row in rows if row["sure"] == "1" and row["left_ankle_x"] and row["right_ankle_x"]}


def swapped_frames(analysis: VideoAnalysis, labels: dict[int, tuple[np.ndarray, np.ndarray]]) -> tuple[list[int], int]:
    """(the labelled frames whose ankles are swapped, the number of labelled frames with the child found)."""
    swapped, counted = [], 0
    by_index = {frame.index: frame for frame in analysis.frames}
    for index, (left, right) in sorted(labels.items()):
        frame = by_index.get(index)
        if frame is None or frame.kp2d is None:
            continue
        counted += 1
        found_left = frame.kp2d[JOINT_INDEX["left_ankle"], :2]
        found_right = frame.kp2d[JOINT_INDEX["right_ankle"], :2]
        kept = np.linalg.norm(found_left - left) + np.linalg.norm(found_right - right)
        exchanged = np.linalg.norm(found_left - right) + np.linalg.norm(found_right - left)
        if exchanged < kept:
            swapped.append(index)
    return swapped, counted


def validate(shared_data_dir: Path) -> str:
    lines = ["| clip | labelled frames | swapped without repair | swapped with repair | frames the repair exchanged |",
             "| --- | --- | --- | --- | --- |"]
    for clip in CLIPS:
        video = Path(shared_data_dir) / "video" / clip
        try:
            unfiltered = analyse_video(video, Pipeline(limb_side_repair=False,
                                                       epe_config=EPEConfig(temporal_filter="none")))
        except AnalysisInterrupted as interrupted:
            unfiltered = interrupted.analysis
        raw, repaired = copy.deepcopy(unfiltered), copy.deepcopy(unfiltered)
        repair_swapped_limbs(repaired)
        for analysis in (raw, repaired):
            smooth_analysis_2d(analysis)
        labels = labelled_ankles(clip)
        before, counted = swapped_frames(raw, labels)
        after, _ = swapped_frames(repaired, labels)
        step = int(np.min(np.diff(sorted(labels))))  # the labels' spacing: every frame, or every 3rd
        exchanged = repaired.settings["limb_swaps_repaired"]
        share = lambda frames: f"{len(frames)} ({len(frames) / counted:.0%}): {_spans(frames, step)}" if counted else "—"
        lines.append(f"| {clip} | {counted} | {share(before)} | {share(after)} | "
                     f"whole body {exchanged.get('body', 0)}, legs {exchanged.get('leg', 0)}, arms "
                     f"{exchanged.get('arm', 0)} |")
    return "\n".join(lines)


def _spans(frames: list[int], step: int) -> str:
    """Labelled frame numbers (``step`` apart where consecutive) as spans: 160-165, 176, 183."""
    if not frames:
        return "none"
    spans, start = [], frames[0]
    for previous, current in zip(frames, frames[1:] + [None]):
        if current is None or current > previous + step:
            spans.append(str(start) if start == previous else f"{start}-{previous}")
            start = current
    return ", ".join(spans)
