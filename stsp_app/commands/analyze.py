"""``stsp-coach analyze VIDEO --out DIR``: keypoints of one person through a whole video (or a stretch of it),
saved in DIR/analysis as they are made (memory stays flat for a whole match; an interrupted analysis continues
where it stopped), then written as DIR/keypoints.json."""

from __future__ import annotations

import argparse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stsp_app.commands.video_arguments import add_capture_fps_argument
from stsp_app.epe.config import DECODERS, DEVICES, MODEL_VARIANTS
from stsp_app.epe.trajectory_filter import FILE_FILTER, FILTER_NAMES
from stsp_app.errors import InputError, Interrupted, UserFacingError



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
    parser.add_argument("--device", choices=DEVICES, default="auto")
    parser.add_argument("--decoder", choices=DECODERS, default="soft-argmax", help="heatmap decoding")
    parser.add_argument("--filter", choices=FILTER_NAMES, default=FILE_FILTER,
                        help=f"temporal filter of the 2D (default {FILE_FILTER}: zero-lag over the whole clip, 6 Hz; "
                             "ltc: the causal Eq. 8 the live view uses)")
    parser.add_argument("--no-motion", action="store_true", help="switch the motion-aware enhancement off")
    parser.add_argument("--small-people", action="store_true",
                        help="look for people on the picture's quarters too (once a second): finds children too "
                             "small for the detector in a wide shot beside someone larger, and sometimes a false "
                             "person (without it the quarters are searched only while nobody is found)")
    parser.add_argument("--image-fps", type=float, default=30.0, help="frame rate of an image folder")
    add_capture_fps_argument(parser)
    parser.add_argument("--start", metavar="TIME", default=None,
                        help="analyse from here: seconds (12.5), minutes:seconds (61:02.5) or a frame (300f)")
    parser.add_argument("--end", metavar="TIME", default=None,
                        help="analyse up to here (not included), written as --start; default: the video's end")
    parser.add_argument("--chunk-frames", type=int, default=None, metavar="N",
                        help="frames saved together in DIR/analysis as the analysis goes (default 600): an "
                             "interruption loses at most these; the same command continues an interrupted analysis")
    parser.add_argument("--stature-cm", type=float, default=None,
                        help="the person's height, when known: sets the 3D scale (otherwise learnt proportions)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from stsp_app.core.analysis import KEYPOINTS_FILE, write_keypoints_json
    from stsp_app.core.analysis_store import ANALYSIS_FOLDER
    from stsp_app.core.atomic_write import ensure_writable_folder
    from stsp_app.core.video_source import VideoSource, frame_at
    from stsp_app.epe.config import EPEConfig
    from stsp_app.pipeline import CHUNK_FRAMES, FolderAnalysisInterrupted, Pipeline, analyse_video_to_folder

    video = VideoSource(args.video, fps_for_images=args.image_fps, capture_fps=args.capture_fps)
    start = 0 if args.start is None else frame_at(args.start, video.fps, video.frame_count)
    stop = video.frame_count if args.end is None else frame_at(args.end, video.fps, video.frame_count)
    if stop <= start:
        raise InputError(f"--end {args.end} is not after --start {args.start or 0}")
    chunk_frames = CHUNK_FRAMES if args.chunk_frames is None else args.chunk_frames
    if chunk_frames < 1:
        raise InputError(f"--chunk-frames {chunk_frames}: give a number of frames, 1 or more")
    ensure_writable_folder(args.out)  # before minutes of work, not after
    config = EPEConfig(
        model=args.model, device=args.device, person_id=args.person, decoder=args.decoder,
        temporal_filter=args.filter, detection_tiles=args.small_people,
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
            store = analyse_video_to_folder(
                video, pipeline, args.out / ANALYSIS_FOLDER, video.content_sha256(), start_frame=start,
                stop_frame=stop, on_progress=lambda done, total: bar.update(done - bar.n),
                chunk_frames=chunk_frames)
        except FolderAnalysisInterrupted as interrupted:
            kept = _write_partial_keypoints(interrupted.store, pipeline, out_file)
            if isinstance(interrupted.cause, KeyboardInterrupt):
                raise Interrupted(f"interrupted: {kept}; the same command continues from there") from None
            if not isinstance(interrupted.cause, UserFacingError):
                raise interrupted.cause  # a bug, not bad input: keep the traceback
            raise InputError(f"{interrupted.cause} ({kept})") from None
    header, seen = store.analysis_header(), PeopleSeen()
    write_keypoints_json(out_file, header, seen.counting(store.frames()))  # one pass over a match's frames
    if seen.frames_with_person == 0:
        raise InputError(_nobody_analysed(args.video, args.person, seen))
    print(_summary(seen, header, pipeline.device_name))
    print(f"Wrote {out_file}")
    return 0


def _write_partial_keypoints(store, pipeline, out_file: Path) -> str:
    """keypoints.json of the frames saved before an interruption (the whole-clip steps run on those), and a
    phrase saying so."""
    from stsp_app.core.analysis import write_keypoints_json

    kp2d, raw33 = store.column("kp2d"), store.column("kp2d_raw33")
    kp3d, settings = pipeline.finish_clip(kp2d, raw33, float(store.meta["fps"]), store.scene_maps(),
                                          store.person_ids())
    header = store.analysis_header()
    header.settings.update(settings)
    columns = {"kp2d": kp2d, "kp2d_raw33": raw33, "kp3d_mm": kp3d}
    write_keypoints_json(out_file, header, store.frames(columns=columns))
    return f"{store.frames_saved} frames kept in {out_file}"


@dataclass
class PeopleSeen:
    """Who the analysis tracked and found, tallied as its frames are written (:meth:`counting`)."""

    first_seen: dict[int, int] = field(default_factory=dict)  # tracked person's id -> first frame seen
    analysed_ids: set[int] = field(default_factory=set)
    frames: int = 0
    frames_with_person: int = 0

    def counting(self, frames: Iterable) -> Iterator:
        """The frames, passed on as they are tallied."""
        for frame in frames:
            self.frames += 1
            self.frames_with_person += frame.kp2d is not None
            if frame.person_id is not None:
                self.analysed_ids.add(frame.person_id)
            for person in frame.people:
                self.first_seen.setdefault(person.person_id, frame.index)
            yield frame

    def tracked_text(self) -> str:
        return ", ".join(f"{pid} (from frame {first})" for pid, first in sorted(self.first_seen.items()))


def _nobody_analysed(video: Path, person_id: int | None, seen: PeopleSeen) -> str:
    if person_id is None or not seen.first_seen:
        return f"{video}: nobody was found in any of the {seen.frames} frames"
    return (f"{video}: there is no person {person_id}; the people tracked are {seen.tracked_text()}: "
            "choose one with --person ID")


def _summary(seen: PeopleSeen, header, device_name: str) -> str:
    from stsp_app.epe.camera_roll import levelled_suffix

    analysed = ", ".join(map(str, sorted(seen.analysed_ids)))
    return (
        f"Analysed {seen.frames} frames on {device_name} (3D: {'yes' if header.settings.get('lifting') else 'unavailable'}); "
        f"person {analysed} found in {seen.frames_with_person}. People tracked: {seen.tracked_text() or 'none'} "
        "(choose with --person ID)." + levelled_suffix(header.settings)
    )
