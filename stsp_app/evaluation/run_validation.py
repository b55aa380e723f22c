"""``stsp-coach eval-drills --part run``: the run drill's foot events against the sprint clips' hand labels.

``data/video/sprint_contacts.csv`` lists, for ``sprint_start_a1.mp4`` and ``sprint_start_b1.mp4``, the frames
where a foot touches down or takes off (no kind and no side). Each clip is analysed by the whole pipeline with
default settings and run through the drill; each label is matched to the nearest detected event of either kind
and side, and its frame difference counted. Target: 90 % of the labels within one frame. The detected events with no
label within one frame are listed too, split into those inside the labelled span (first label − 1 to last + 1)
and those outside it (the clips are labelled only from frame ~167, so earlier events are unlabelled, not wrong).
Cadence and contact times are reported per clip.
"""

from __future__ import annotations

import csv
from pathlib import Path

from stsp_app.drills import DrillResult, MovementNotFound, run_drill
from stsp_app.evaluation.squat_validation import video_recording

LABELS = "video/sprint_contacts.csv"
TARGET_SHARE_WITHIN_ONE_FRAME = 0.9


def labelled_frames(shared_data_dir: Path) -> dict[str, list[int]]:
    frames: dict[str, list[int]] = {}
    with open(Path(shared_data_dir) / LABELS, newline="") as handle:
        for row in csv.DictReader(handle):
            frames.setdefault(row["clip"], []).append(int(row["frame_index"]))
    return frames


def label_errors_frames(labels: list[int], event_frames: list[int]) -> list[int | None]:
    """Per label, the frame difference to the nearest detected event (None when nothing was detected)."""
    return [min((frame - label for frame in event_frames), key=abs, default=None) for label in labels]


def _event_name(event) -> str:
    return f"{event.frame} {event.kind} {event.side}"


def _metric_text(result: DrillResult, name: str, digits: int) -> str:
    metric = result.metrics.get(name)
    if metric is None or metric.value is None:
        return "—"
    return f"{metric.value:.{digits}f} ± {metric.uncertainty:.{digits}f}"


def validate(shared_data_dir: Path) -> str:
    lines = [f"Labels `{LABELS}`; each label matched to the nearest detected foot event of either kind.", "",
             "| clip | labels | within 1 frame | differences (frames) | nearest event per label |",
             "| --- | --- | --- | --- | --- |"]
    extra_lines = ["", "Detected events with no label within one frame:", "",
                   "| clip | inside the labelled span | before / after it (unlabelled) |", "| --- | --- | --- |"]
    metric_lines = ["", "| clip | cadence steps/min | contact time left s | contact time right s | events found |",
                    "| --- | --- | --- | --- | --- |"]
    total = within = 0
    for clip, labels in labelled_frames(shared_data_dir).items():
        try:
            result = run_drill("run", video_recording(Path(shared_data_dir) / "video" / clip))
        except MovementNotFound:
            result = None
        events = result.events if result is not None else []
        frames = [event.frame for event in events]
        errors = label_errors_frames(labels, frames)
        nearest = [min(events, key=lambda event: abs(event.frame - label)) if events else None for label in labels]
        close = sum(error is not None and abs(error) <= 1 for error in errors)
        total += len(labels)
        within += close
        lines.append(f"| {clip} | {len(labels)} | {close} | {', '.join('none' if e is None else f'{e:+d}' for e in errors)}"
                     f" | {'; '.join('none' if event is None else _event_name(event) for event in nearest)} |")
        unlabelled = [event for event in events if all(abs(event.frame - label) > 1 for label in labels)]
        inside = [event for event in unlabelled if min(labels) - 1 <= event.frame <= max(labels) + 1]
        outside = [event for event in unlabelled if event not in inside]
        extra_lines.append(f"| {clip} | {'; '.join(map(_event_name, inside)) or '—'} | "
                           f"{'; '.join(map(_event_name, outside)) or '—'} |")
        if result is None:
            metric_lines.append(f"| {clip} | no running strides found | | | 0 |")
        else:
            metric_lines.append(f"| {clip} | {_metric_text(result, 'cadence_steps_per_min', 0)} | "
                                f"{_metric_text(result, 'left_contact_time_s', 3)} | "
                                f"{_metric_text(result, 'right_contact_time_s', 3)} | {len(events)} |")
    share = within / total if total else 0.0
    verdict = "met" if share >= TARGET_SHARE_WITHIN_ONE_FRAME else "NOT met"
    lines += ["", (f"Within one frame: {within} of {total} labels ({100 * share:.0f} %); target "
                   f"{100 * TARGET_SHARE_WITHIN_ONE_FRAME:.0f} % {verdict}.")]
    return "\n".join(lines + extra_lines + metric_lines)
