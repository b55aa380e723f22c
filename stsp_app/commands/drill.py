"""``stsp-coach drill DRILL VIDEO_OR_KEYPOINTS_JSON``: one drill's metrics, events and reps."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stsp_app.commands.video_arguments import add_capture_fps_argument
from stsp_app.drills import DRILL_NAMES
from stsp_app.drills.moments import rep_event_kind
from stsp_app.drills.wording import event_words, metric_text
from stsp_app.errors import InputError

DRILL_FILE = "drill_{name}.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "drill",
        help="measure a drill (jump, landing, squat, run, throw, kick) on a video or an analysis",
        description="Run one drill on a video (analysed first) or on an existing keypoints.json. Definitions "
                    "of every metric: docs/metrics.md.",
    )
    parser.add_argument("drill", choices=DRILL_NAMES)
    parser.add_argument("source", type=Path, metavar="VIDEO_OR_KEYPOINTS_JSON",
                        help="a video, a keypoints.json, or the folder `stsp-coach analyze --out` wrote")
    parser.add_argument("--stature-cm", type=float, default=None,
                        help="the child's height: metric 3D scale and jump heights from the pelvis's rise")
    parser.add_argument("--person", type=int, default=None, metavar="ID", help="person to analyse (videos)")
    add_capture_fps_argument(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="folder for keypoints.json (videos) and drill_DRILL.json")
    parser.add_argument("--json", action="store_true", help="end with the result as one JSON line on stdout")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.core.analysis_store import load_analysis
    from stsp_app.core.atomic_write import write_text_atomic
    from stsp_app.drills import recording_from_analysis, run_drill

    stature_mm = _stature_mm(args.stature_cm)
    if args.source.suffix.lower() == ".json" or args.source.is_dir():
        if args.capture_fps is not None:
            raise InputError("--capture-fps is for a video: an analysis already has its times (give the video "
                             "and its rate, and it is analysed again)")
        analysis = load_analysis(args.source)
    else:
        analysis = _analyse(args.source, args.person, stature_mm, args.out, args.capture_fps)
    result = run_drill(args.drill, recording_from_analysis(analysis, stature_mm))
    document = result.to_json_dict()
    if args.out is not None:
        out_file = args.out / DRILL_FILE.format(name=args.drill)
        write_text_atomic(out_file, json.dumps(document, indent=1) + "\n")
    print(format_result(document))
    if args.json:
        print(json.dumps(document, separators=(",", ":")))
    return 0


def _stature_mm(stature_cm: float | None) -> float | None:
    if stature_cm is None:
        return None
    if not 50 <= stature_cm <= 250:
        raise InputError(f"--stature-cm {stature_cm}: give the height in centimetres (50-250)")
    return 10.0 * stature_cm


def _analyse(video_path: Path, person_id: int | None, stature_mm: float | None, out_dir: Path | None,
             capture_fps: float | None):
    from stsp_app.core.analysis import KEYPOINTS_FILE
    from stsp_app.core.video_source import VideoSource
    from stsp_app.epe.config import EPEConfig
    from stsp_app.errors import UserFacingError
    from stsp_app.pipeline import AnalysisInterrupted, Pipeline, analyse_video

    video = VideoSource(video_path, capture_fps=capture_fps)
    pipeline = Pipeline(epe_config=EPEConfig(person_id=person_id), fps=video.fps, stature_mm=stature_mm)
    try:
        analysis = analyse_video(video, pipeline)
    except AnalysisInterrupted as interrupted:
        if not isinstance(interrupted.cause, UserFacingError):
            raise interrupted.cause
        raise InputError(str(interrupted.cause)) from None
    if out_dir is not None:
        analysis.save_json(out_dir / KEYPOINTS_FILE)
    return analysis


def format_result(document: dict) -> str:
    """The result as a coach reads it in a terminal: metrics, then events, then reps."""
    lines = [f"{document['drill']}: {document['frames']} frames at {document['fps']:.2f} frames/s"]
    for metric in document["metrics"].values():
        lines.append("  " + metric_text(metric))
    for event in document["events"]:
        side = f" ({event['side']})" if "side" in event else ""
        lines.append(f"  event {event['kind']}{side}: frame {event['frame']}, {event['time_s']:.3f} s")
    for number, rep in enumerate(document["reps"], start=1):
        moment = event_words(rep_event_kind(document, rep) or "deepest")
        lines.append(f"  rep {number}: frames {rep['start_frame']}-{rep['end_frame']}, {moment} {rep['deepest_frame']}")
        lines.extend("    " + metric_text(metric) for metric in rep["metrics"].values())
    lines.extend(f"  note: {note}" for note in document.get("notes", []))
    return "\n".join(lines)
