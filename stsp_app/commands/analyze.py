"""``stsp-coach analyze VIDEO --out DIR``: keypoints of one person through a whole video."""

from __future__ import annotations

import argparse
from pathlib import Path

from stsp_app.epe.config import DECODERS, MODEL_VARIANTS
from stsp_app.epe.trajectory_filter import FILTER_NAMES
from stsp_app.errors import InputError, Interrupted, UserFacingError

KEYPOINTS_FILE = "keypoints.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="analyse a video or image folder; writes DIR/keypoints.json",
        description="Analyse one person through a video file (any format OpenCV reads) or a folder of images.",
    )
    parser.add_argument("video", type=Path, help="video file or folder of images")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--person", type=int, default=None, metavar="ID",
                        help="id of the person to analyse (default: the largest, most central)")
    parser.add_argument("--model", choices=MODEL_VARIANTS, default="full", help="landmark model size")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto")
    parser.add_argument("--decoder", choices=DECODERS, default="soft-argmax", help="heatmap decoding")
    parser.add_argument("--filter", choices=FILTER_NAMES, default="ltc",
                        help="temporal filter of the 2D (butterworth: zero-lag over the whole clip, 6 Hz)")
    parser.add_argument("--no-motion", action="store_true", help="switch the motion-aware enhancement off")
    parser.add_argument("--image-fps", type=float, default=30.0, help="frame rate of an image folder")
    parser.add_argument("--start", metavar="TIME", default=None,
                        help="analyse from here: seconds (12.5), minutes:seconds (61:02.5) or a frame (300f)")
    parser.add_argument("--end", metavar="TIME", default=None,
                        help="analyse up to here (not included), written as --start; default: the video's end")
    parser.add_argument("--stature-cm", type=float, default=None,
                        help="the person's height, when known: sets the 3D scale (otherwise learnt proportions)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from stsp_app.core.atomic_write import ensure_writable_folder
    from stsp_app.core.video_source import VideoSource, frame_at
    from stsp_app.epe.config import EPEConfig
    from stsp_app.pipeline import AnalysisInterrupted, Pipeline, analyse_video

    video = VideoSource(args.video, fps_for_images=args.image_fps)
    start = 0 if args.start is None else frame_at(args.start, video.fps, video.frame_count)
    stop = video.frame_count if args.end is None else frame_at(args.end, video.fps, video.frame_count)
    if stop <= start:
        raise InputError(f"--end {args.end} is not after --start {args.start or 0}")
    ensure_writable_folder(args.out)  # before minutes of work, not after
    config = EPEConfig(
        model=args.model, device=args.device, person_id=args.person, decoder=args.decoder,
        temporal_filter=args.filter,
    )
    if args.no_motion:
        config.motion_heatmaps = config.motion_roi = config.motion_filter = False
    if args.stature_cm is not None and not 50 <= args.stature_cm <= 250:
        raise InputError(f"--stature-cm {args.stature_cm}: give the height in centimetres (50-250)")
    stature_mm = None if args.stature_cm is None else 10.0 * args.stature_cm
    pipeline = Pipeline(epe_config=config, fps=video.fps, stature_mm=stature_mm)
    out_file = args.out / KEYPOINTS_FILE
    with tqdm(total=stop - start, unit="frame", desc=video.path.name, leave=False) as bar:
        try:
            analysis = analyse_video(video, pipeline, on_progress=lambda done, total: bar.update(1),
                                     start_frame=start, stop_frame=stop)
        except AnalysisInterrupted as interrupted:
            interrupted.analysis.save_json(out_file)
            kept = f"{len(interrupted.analysis.frames)} frames kept in {out_file}"
            if isinstance(interrupted.cause, KeyboardInterrupt):
                raise Interrupted(f"interrupted: {kept}") from None
            if not isinstance(interrupted.cause, UserFacingError):
                raise interrupted.cause  # a bug, not bad input: keep the traceback
            raise InputError(f"{interrupted.cause} ({kept})") from None
    analysis.save_json(out_file)
    if analysis.frames_with_person == 0:
        raise InputError(_nobody_analysed(args.video, args.person, analysis))
    print(_summary(analysis, pipeline.device_name))
    print(f"Wrote {out_file}")
    return 0


def _first_seen(analysis) -> dict[int, int]:
    """Each tracked person's id -> the first frame they are seen in."""
    first_seen: dict[int, int] = {}
    for frame in analysis.frames:
        for person in frame.people:
            first_seen.setdefault(person.person_id, frame.index)
    return dict(sorted(first_seen.items()))


def _nobody_analysed(video: Path, person_id: int | None, analysis) -> str:
    tracked = _first_seen(analysis)
    if person_id is None or not tracked:
        return f"{video}: nobody was found in any of the {len(analysis.frames)} frames"
    people = ", ".join(f"{pid} (from frame {first})" for pid, first in tracked.items())
    return f"{video}: there is no person {person_id}; the people tracked are {people}: choose one with --person ID"


def _summary(analysis, device_name: str) -> str:
    first_seen = _first_seen(analysis)
    analysed = sorted({f.person_id for f in analysis.frames if f.person_id is not None})
    people = ", ".join(f"{pid} (from frame {first})" for pid, first in first_seen.items())
    return (
        f"Analysed {len(analysis.frames)} frames on {device_name} (3D: {'yes' if analysis.settings.get('lifting') else 'unavailable'}); person {', '.join(map(str, analysed))} "
        f"found in {analysis.frames_with_person}. People tracked: {people or 'none'} (choose with --person ID)."
    )
