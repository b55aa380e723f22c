"""A drill's input from an analysis (``keypoints.json`` or the pipeline's result)."""

from __future__ import annotations

import dataclasses
import functools
from collections import Counter
from collections.abc import Iterable

import numpy as np

from stsp_app.core.analysis import CAMERA_PITCH_SETTING, CAMERA_ROLL_SETTING, FrameResult, VideoAnalysis
from stsp_app.drills.base import Recording
from stsp_app.epe.camera_motion import to_scene
from stsp_app.epe.camera_roll import levelled_maps, levelled_sentence, levelling_map
from stsp_app.errors import InputError
from stsp_app.kinematics.motion_series import motion_series
from stsp_app.lifting.lifter import Lifter

FRAME_LIFTING_MODEL = "gsr"  # each frame alone: no temporal model to smooth the peaks


def recording_from_analysis(analysis: VideoAnalysis, stature_mm: float | None = None) -> Recording:
    """The recording of the analysed person. ``stature_mm`` defaults to the one the analysis was lifted with.

    Where the analysis followed one person after another (nobody was chosen, and the first left the picture),
    the recording holds the one it followed longest (:func:`one_person`), and says so in its notes.

    Where the analysis followed the camera (a phone held by hand), the drills read the 2D on the first frame's
    picture (``FrameResult.scene_from_image``): a foot on the ground then stays still while the picture sways.
    Angles in the picture do not change with it.

    Where the analysis read how far the phone was turned (``settings["camera_roll_deg"]``, ``epe.camera_roll``),
    that picture is also turned level, as the lifter's was: a squat's hip and knee are compared on level rows."""
    if analysis.frames_with_person == 0:
        raise InputError(f"{analysis.source or 'the analysis'}: nobody was found in any frame")
    if stature_mm is None:
        stature_mm = analysis.settings.get("stature_mm")
    frames, person_note = one_person(analysis.frames)
    roll_deg, pitch_deg = analysis.settings.get(CAMERA_ROLL_SETTING), analysis.settings.get(CAMERA_PITCH_SETTING)
    levelling = None if roll_deg is None else levelling_map(roll_deg, (analysis.width, analysis.height))
    on_scene = frames_on_scene(frames, levelling)
    motion = motion_series(on_scene)
    fps = float(analysis.fps)
    # each frame lifted alone from the 2D the whole clip's lifter read (pipeline.Pipeline.finish_clip)
    kp2d = dataclasses.replace(analysis, frames=frames if levelling is None else on_scene).kp2d_array()
    return Recording(
        motion=motion,
        fps=fps,
        image_size_px=(int(analysis.width), int(analysis.height)),
        stature_mm=None if stature_mm is None else float(stature_mm),
        lift_frames_alone=(functools.partial(frame_poses_mm, kp2d, fps, stature_mm) if motion.has_3d else None),
        camera_not_followed_share=analysis.settings.get("camera_frames_not_followed", 0) / len(analysis.frames),
        notes=tuple(note for note in (person_note, levelled_sentence(roll_deg, pitch_deg)) if note is not None),
    )


def one_person(frames: list[FrameResult]) -> tuple[list[FrameResult], str | None]:
    """The frames with only the person the analysis followed on most of them (the others' frames emptied), and
    a note naming who is read where the analysis followed several people one after another; a drill's events
    and reps never join two people. Frames without a person id (an analysis that kept none) count as one
    person's."""
    seen = Counter(frame.person_id for frame in frames if frame.kp2d is not None and frame.person_id is not None)
    if len(seen) <= 1:
        return frames, None
    person, count = min(seen.items(), key=lambda item: (-item[1], item[0]))
    kept = [frame if frame.person_id in (person, None) else dataclasses.replace(
        frame, person_id=None, kp2d=None, kp2d_raw33=None, kp3d_mm=None) for frame in frames]
    own = [frame.index for frame in frames if frame.person_id == person and frame.kp2d is not None]
    others = [str(other) for other in sorted(seen) if other != person]
    left_out = f"person {others[0]}" if len(others) == 1 else f"people {', '.join(others[:-1])} and {others[-1]}"
    note = (f"The analysis followed {len(seen)} people one after another; this reads person {person}, the one "
            f"followed longest ({count} frames between frame {own[0]} and {own[-1]}), and leaves out {left_out}. "
            "To read someone else, choose them (in the app, click them in the video; on the command line, "
            "analyse with --person ID).")
    return kept, note


def frames_on_scene(frames: Iterable[FrameResult], levelling: np.ndarray | None = None) -> list[FrameResult]:
    """The frames with their keypoints and landmarks mapped onto the first frame's picture, where the analysis
    followed the camera (frames without ``scene_from_image`` as they are), and turned level by the (2, 3)
    ``levelling`` (``epe.camera_roll.levelling_map``) where it is given."""
    frames = list(frames)
    return [frame if not np.isfinite(matrix).all() else dataclasses.replace(
        frame,
        kp2d=None if frame.kp2d is None else to_scene(frame.kp2d, matrix),
        kp2d_raw33=None if frame.kp2d_raw33 is None else to_scene(frame.kp2d_raw33, matrix),
    ) for frame, matrix in zip(frames, scene_maps(frames, levelling))]


def scene_maps(frames: list[FrameResult], levelling: np.ndarray | None = None) -> np.ndarray:
    """(T, 2, 3) each frame's map of :func:`frames_on_scene` (NaN: the frame stays as it is)."""
    scene = np.full((len(frames), 2, 3), np.nan)
    for row, frame in enumerate(frames):
        if frame.scene_from_image is not None:
            scene[row] = frame.scene_from_image
    return scene if levelling is None else levelled_maps(levelling, scene, len(frames))


def frame_poses_mm(kp2d: np.ndarray, fps: float, stature_mm: float | None) -> np.ndarray:
    """(T, 17, 3) mm: each frame of the (T, 17, 3) 2D keypoints lifted alone (Recording.lift_frames_alone)."""
    return _frame_lifter().lift_sequence(kp2d, fps, stature_mm)


@functools.cache
def _frame_lifter() -> Lifter:
    return Lifter(FRAME_LIFTING_MODEL)
