"""A live drill's window read as a video file's analysis reads a clip.

The live view shows the 2D through a causal filter and the live lifter's 3D, which can only look back. A video
file's drill reads the 2D unfiltered per frame, with the whole clip's 2D steps on it (limb swaps undone, the
zero-lag filter; :mod:`stsp_app.kinematics.clip_2d`), and the 3D of the offline lifter, which reads the frames
before and after each one. :class:`FileLikeWindow` gives the live drill that: each update puts the window's
unfiltered 2D (``FrameResult.kp2d_unfiltered``, as the live pipeline gives it) through the 2D steps, and lifts
with the offline lifter the frames it has not lifted for good yet, with the frames around them that the lifter
reads. A frame's 2D and 3D are made for good once it is FINAL_S old: then its 2D, and the frames its 3D is read from,
no longer change. Each update therefore puts only the newer frames through the steps, with the kept frames
before them as the steps' context, and lifts only those. Each frame lifted alone (the throw's and the kick's peak
speeds, ``Recording.lift_frames_alone``) is kept the same way, made only when a drill asks.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX, NUM_BLAZEPOSE_LANDMARKS, NUM_JOINTS
from stsp_app.drills.recording import frame_poses_mm, frames_on_scene, scene_maps
from stsp_app.epe.camera_motion import columns_to_scene
from stsp_app.epe.camera_roll import levelling_map
from stsp_app.kinematics.clip_2d import repair_limb_side_columns, smooth_2d_columns
from stsp_app.kinematics.motion_series import FrameLike, MotionSeries, motion_series, motion_series_of_arrays
from stsp_app.kinematics.signals import DEFAULT_CUTOFF_HZ
from stsp_app.lifting.anthropometry import stature_mm as skeleton_stature_mm
from stsp_app.lifting.lifter import Lifter, history_stride
from stsp_app.lifting.upright import upright_poses

# A frame's 3D is final once it is this old: its 2D moves with the zero-lag filter's newest frames (about 8 frames
# at 30 frames/s) and the offline lifter reads 9 frames either side of it at 30 frames/s (TMP's window and the
# averaging of its weights): 17 frames.
FINAL_S = 0.6
# The kept frames before the newer ones that the 2D steps read again each update: the zero-lag filter's start-up
# has died away within it, and the left/right repair continues from the kept frames' sides.
CONTEXT_2D_S = 1.0
PELVIS = JOINT_INDEX["pelvis"]


class FileLikeWindow:
    """The live window's frames as a video file's analysis would give them (module docstring). One person: call
    :meth:`reset` when the window starts again."""

    def __init__(self, stature_mm: float | None = None, smoothing: float = 1.0) -> None:
        self.stature_mm = stature_mm
        self.smoothing = smoothing
        self._lifter: Lifter | None = None
        # video frame -> its final 2D: (keypoints, landmarks) repaired and unfiltered, then repaired and filtered
        self._steps_2d: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
        self._lifted: dict[int, np.ndarray] = {}  # video frame -> final 3D (mm, at the lifter's scale)
        self._alone: dict[int, np.ndarray] = {}   # video frame -> final 3D of the frame lifted alone

    def reset(self) -> None:
        for kept in (self._steps_2d, self._lifted, self._alone):
            kept.clear()

    def motion(self, frames: list[FrameLike], fps: float, image_size_px: tuple[int, int],
               roll_deg: float | None = None, pitch_deg: float | None = None
               ) -> tuple[MotionSeries, Callable[[], np.ndarray] | None]:
        """The window's motion with the 2D a video file's drill reads (levelled by ``roll_deg`` where given) and,
        where the frames have 3D, the offline lifter's 3D (turned upright by ``pitch_deg`` where given); and the
        frames lifted alone for ``Recording.lift_frames_alone``. Where no frame carries the unfiltered 2D (an
        analysed file's frames, already through these steps), the frames as they are, levelled, and None; where
        some do, a frame without it has nobody."""
        carried = np.array([getattr(frame, "kp2d_unfiltered", None) is not None for frame in frames])
        levelling = None if roll_deg is None else levelling_map(roll_deg, image_size_px)
        if not carried.any():
            return motion_series(frames if levelling is None else frames_on_scene(frames, levelling)), None
        indices = [frame.index for frame in frames]
        self._forget_before(indices[0])
        final_rows = len(frames) - max(1, round(FINAL_S * fps))
        kp2d, raw33 = self._steps(frames, carried, indices, fps, final_rows)
        if levelling is not None:
            maps = scene_maps(frames, levelling)
            kp2d, raw33 = columns_to_scene(kp2d, maps), columns_to_scene(raw33, maps)
        kp3d = np.full((len(frames), NUM_JOINTS, 3), np.nan)
        lift_frames_alone = None
        if any(frame.kp3d_mm is not None for frame in frames):  # the lifting models are there
            kp3d = self._lift(kp2d, indices, fps, final_rows, image_size_px, pitch_deg).astype(np.float64)
            lift_frames_alone = functools.partial(self._lift_alone, kp2d, indices, fps, final_rows)
        times = np.array([frame.time_s for frame in frames], dtype=np.float64)
        return (motion_series_of_arrays(np.array(indices, dtype=np.int64), times, kp2d, raw33, kp3d),
                lift_frames_alone)

    def _steps(self, frames: list[FrameLike], carried: np.ndarray, indices: list[int], fps: float,
               final_rows: int) -> tuple[np.ndarray, np.ndarray]:
        """The window's (T, 17, 3) keypoints and (T, 33, 3) landmarks through the 2D steps: the kept frames' as
        kept, the newer ones' through the steps with CONTEXT_2D_S of kept frames before them; those now FINAL_S
        old kept."""
        count = len(frames)
        first = next((row for row, index in enumerate(indices) if index not in self._steps_2d), count)
        start = max(0, first - round(CONTEXT_2D_S * fps))
        kp2d = np.full((count, NUM_JOINTS, 3), np.nan)
        raw33 = np.full((count, NUM_BLAZEPOSE_LANDMARKS, 3), np.nan)
        for row in range(start, first):  # the steps' context: the kept frames repaired, unfiltered
            kp2d[row], raw33[row] = self._steps_2d[indices[row]][:2]
        for row in range(first, count):
            if carried[row]:
                kp2d[row], raw33[row] = frames[row].kp2d_unfiltered, frames[row].kp2d_raw33_unfiltered
        repair_limb_side_columns(kp2d[start:], raw33[start:])
        repaired_kp2d, repaired_raw33 = kp2d.copy(), raw33.copy()
        if self.smoothing > 0:
            smooth_2d_columns(kp2d[start:], raw33[start:], fps, DEFAULT_CUTOFF_HZ / self.smoothing)
        for row in range(first):
            kp2d[row], raw33[row] = self._steps_2d[indices[row]][2:]
        for row in range(first, final_rows):
            self._steps_2d[indices[row]] = (repaired_kp2d[row], repaired_raw33[row], kp2d[row], raw33[row])
        return kp2d, raw33

    def _lift(self, kp2d: np.ndarray, indices: list[int], fps: float, final_rows: int,
              image_size_px: tuple[int, int], pitch_deg: float | None) -> np.ndarray:
        """(T, 17, 3) mm: the kept 3D where a frame has it, the rest lifted with the frames the lifter reads
        around them; the frames that are now FINAL_S old kept. One scale over the window (the lifter scales each
        stretch it lifts to that stretch's median stature)."""
        if self._lifter is None:
            self._lifter = Lifter()
        poses = np.full((len(indices), NUM_JOINTS, 3), np.nan, dtype=np.float32)
        first = next((row for row, index in enumerate(indices) if index not in self._lifted), len(indices))
        for row in range(first):
            poses[row] = self._lifted[indices[row]]
        if first < len(indices):
            start = max(0, first - self._reach_frames(fps))
            chunk = self._lifter.lift_sequence(kp2d[start:], fps, self.stature_mm)
            if pitch_deg is not None:
                chunk = upright_poses(chunk, kp2d[start:, PELVIS, :2], image_size_px, pitch_deg)
            poses[first:] = chunk[first - start:]
            for row in range(first, final_rows):
                self._lifted[indices[row]] = poses[row]
        return _one_scale(poses, self.stature_mm)

    def _lift_alone(self, kp2d: np.ndarray, indices: list[int], fps: float, final_rows: int) -> np.ndarray:
        """(T, 17, 3) mm: each frame lifted alone (``drills.recording.frame_poses_mm``), the final ones kept."""
        missing = [row for row, index in enumerate(indices) if index not in self._alone]
        poses = np.stack([self._alone.get(index, np.full((NUM_JOINTS, 3), np.nan, dtype=np.float32))
                          for index in indices])
        if missing:
            poses[missing] = frame_poses_mm(kp2d[missing], fps, self.stature_mm)
            for row in missing:
                if row < final_rows:
                    self._alone[indices[row]] = poses[row]
        return _one_scale(poses, self.stature_mm)

    def _reach_frames(self, fps: float) -> int:
        """How many frames either side of a frame the offline lifter reads."""
        lifter = self._lifter
        reach = int(np.abs(lifter.context_offsets).max(initial=0) + np.abs(lifter.smoothing_offsets).max(initial=0))
        return reach * history_stride(fps)

    def _forget_before(self, index: int) -> None:
        """Drop what is kept for frames older than the window's first."""
        for kept in (self._steps_2d, self._lifted, self._alone):
            for old in [frame for frame in kept if frame < index]:
                del kept[old]


def _one_scale(poses_mm: np.ndarray, stature_mm: float | None) -> np.ndarray:
    """The poses scaled to one stature: the child's where known (the lifter gave it already), else the median of
    the statures the lifter gave the window's stretches."""
    if stature_mm is not None:
        return poses_mm
    statures = skeleton_stature_mm(poses_mm.astype(np.float64))
    if not np.isfinite(statures).any():
        return poses_mm
    return (poses_mm * (np.nanmedian(statures) / statures)[:, None, None]).astype(np.float32)
