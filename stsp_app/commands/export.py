"""``stsp-coach export KEYPOINTS_JSON --out DIR``: an analysis as CSV, JSON, TRC, MOT, C3D, and pictures.

Everything is checked before anything is written (the analysis, the formats, the drill result, the frames and
the video of the pictures, the output folder), and every file is written atomically: bad input ends with one
error line and leaves no file behind, half-written or not.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from stsp_app.core.atomic_write import ensure_writable_folder
from stsp_app.errors import InputError

def register(subparsers: argparse._SubParsersAction) -> None:
    from stsp_app.exports import EXPORT_FORMATS, FORMAT_LABELS

    formats_help = "; ".join(f"{name}: {label}" for name, label in FORMAT_LABELS.items())
    parser = subparsers.add_parser(
        "export",
        help="write an analysis for other tools (CSV, JSON, TRC, MOT, C3D) and pictures with faces blurred",
        description="Write an analysis (keypoints.json) for Excel, OpenSim, Visual3D and other tools, and "
                    "pictures of chosen frames with the skeleton drawn and every face blurred. Formats, axes "
                    "and units: docs/formats.md, 'Exports'.",
    )
    parser.add_argument("keypoints", type=Path, metavar="KEYPOINTS_JSON",
                        help="an analysis: a keypoints.json, or the folder `stsp-coach analyze --out` wrote")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--formats", default=",".join(EXPORT_FORMATS), metavar="F[,F...]",
                        help=f"comma-separated, default all ({formats_help})")
    parser.add_argument("--stem", default=None,
                        help="name of the files without suffix (default: the analysed video's name)")
    parser.add_argument("--drill", type=Path, default=None, metavar="DRILL_JSON",
                        help="a drill result (stsp-coach drill --out) to include in the JSON export")
    parser.add_argument("--pictures", default=None, metavar="FRAME[,FRAME...]",
                        help="also write pictures of these video frames (PNG, skeleton drawn, faces blurred)")
    parser.add_argument("--key-frames", action="store_true",
                        help="also write pictures of the drill's moments (its events and deepest points; "
                             "needs --drill)")
    parser.add_argument("--video", type=Path, default=None,
                        help="the analysed video, for the pictures (default: the one the analysis names)")
    parser.add_argument("--no-face-blur", action="store_true",
                        help="leave faces in the pictures unblurred (they are blurred by default)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from stsp_app.exports import default_stem, export_analysis
    from stsp_app.exports.pictures import PICTURE_NAME, save_picture

    formats = parse_formats(args.formats)
    analysis = load_analysis(args.keypoints)
    drill_result = load_drill_result(args.drill) if args.drill is not None else None
    stem = args.stem or default_stem(analysis)
    pictures = wanted_pictures(args, drill_result)
    planned = [args.out / f"{stem}.{name}" for name in formats]
    planned += [args.out / PICTURE_NAME.format(stem=stem, index=index, label=label) for index, label in pictures]
    check_not_the_input(planned, [args.keypoints] + ([args.drill] if args.drill else []))
    images = render_pictures(analysis, args.video, [index for index, _ in pictures], not args.no_face_blur)
    ensure_writable_folder(args.out)

    written = export_analysis(analysis, args.out, formats, stem=stem, drill_result=drill_result)
    for path in written.values():
        print(f"Wrote {path}")
    for path, image in zip(planned[len(formats):], images):
        save_picture(path, image)
        print(f"Wrote {path}")
    if all(frame.kp3d_mm is None for frame in analysis.frames):
        print("Note: the analysis has no 3D poses: the 3D columns and markers are empty and the angles are "
              "2D projections.")
    return 0


def parse_formats(text: str) -> list[str]:
    from stsp_app.exports import EXPORT_FORMATS

    formats = [name.strip().lower() for name in text.split(",") if name.strip()]
    unknown = [name for name in formats if name not in EXPORT_FORMATS]
    if unknown or not formats:
        raise InputError(f"--formats {text}: unknown format {', '.join(unknown) or '(none given)'}; "
                         f"the formats are {', '.join(EXPORT_FORMATS)}")
    return list(dict.fromkeys(formats))


def load_analysis(path: Path):
    from stsp_app.core.analysis_store import load_analysis as load

    analysis = load(path)
    if not analysis.frames:
        raise InputError(f"{path}: the analysis holds no frames: nothing to export")
    return analysis


def load_drill_result(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path}: not a drill result ({error})") from None
    if not isinstance(document, dict) or not {"drill", "events", "reps"} <= set(document):
        raise InputError(f"{path}: not a drill result (stsp-coach drill --out writes them)")
    return document


def wanted_pictures(args: argparse.Namespace, drill_result: dict | None) -> list[tuple[int, str]]:
    """(video frame, label for the file name) of every picture asked for, in frame order."""
    from stsp_app.exports.pictures import key_frames

    wanted: dict[int, str] = {}
    if args.pictures is not None:
        for text in args.pictures.split(","):
            try:
                wanted[int(text)] = ""
            except ValueError:
                raise InputError(f"--pictures {args.pictures}: give frame numbers separated by commas") from None
    if args.key_frames:
        if drill_result is None:
            raise InputError("--key-frames: give the drill result with --drill DRILL_JSON")
        try:
            moments = key_frames(drill_result)
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(f"{args.drill}: its events or reps are not readable ({error})") from None
        for index, label in moments:
            wanted.setdefault(index, f"_{label}")
    return sorted(wanted.items())


def render_pictures(analysis, video_path: Path | None, frame_indices: list[int], blur_faces: bool) -> list:
    """The pictures as BGR images, rendered before anything is written (a frame that does not decode is an
    error before any file exists)."""
    if not frame_indices:
        return []
    from stsp_app.exports.pictures import analysed_frame, open_video_of, render_frame

    frames = [analysed_frame(analysis, index) for index in frame_indices]
    if video_path is None:
        if not analysis.source or not Path(analysis.source).is_file():
            raise InputError(f"the analysed video {analysis.source or '(not named)'} is not there: "
                             "give it with --video")
        video_path = Path(analysis.source)
    with open_video_of(analysis, video_path) as video:
        return [render_frame(video.read(frame.index), frame, blur_faces=blur_faces) for frame in frames]


def check_not_the_input(planned: list[Path], inputs: list[Path]) -> None:
    for path in planned:
        for source in inputs:
            if path.resolve() == source.resolve():
                raise InputError(f"{path}: would overwrite the input {source}; choose another --out or --stem")
