"""The one small protocol every drill follows, and what it is given.

A drill is a module-level object with a ``name`` (the word used on the command line, in the settings and in
the records), a ``title`` for people, the ``movement`` it looks for (for "no jump found"), and ``analyse``:
a recording in, a :class:`~stsp_app.drills.result.DrillResult` out, or :class:`MovementNotFound` when the
recording does not hold the movement. Drills never invent a number: a metric that cannot be measured is left
out or given as ``None`` with a note.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.drills.result import DrillResult, Metric
from stsp_app.errors import InputError
from stsp_app.kinematics.angular_velocity import body_height_from_pose
from stsp_app.kinematics.foot_events import feet_in_picture_share
from stsp_app.kinematics.frontal_plane import filmed_view, knee_ankle_separation_ratio
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D
from stsp_app.kinematics.motion_series import MotionSeries, tracked_rows


class MovementNotFound(InputError):
    """The recording does not hold the drill's movement ("no jump found")."""


# A phone's slow motion plays 2, 4 or 8 times slower than it was filmed (60, 120 or 240 frames/s in a file that
# plays at 30). A slow-motion video timed as it plays reads every speed that many times too slow; where a drill's
# figures look so, it says what to do (docs/app.md, "Slow-motion videos"):
SLOW_MOTION_FACTORS = (2, 4, 8)
ASK_FILMING_RATE = "give the rate it was filmed at (--capture-fps; in the app, Analysis > Filmed in slow motion)"


@dataclass(frozen=True)
class Recording:
    """One analysed recording of one person, as a drill reads it.

    ``motion`` holds the per-frame 2D keypoints, BlazePose landmarks, 3D poses and joint angles (rows in
    analysis order, ``motion.frame_indices`` the video frames). ``stature_mm`` is the child's height when it
    is known (it gives metric scale to image distances); ``image_size_px`` is (width, height).

    ``camera_not_followed_share`` is the share of the analysed frames whose background the 2D stage could not
    follow (``settings.camera_frames_not_followed``): there a hand-held phone's motion stays in the 2D.
    ``notes`` are what every result read from it says (which person it holds, where the video showed several).

    ``lift_frames_alone``, where given, lifts each frame alone (GSR without the temporal model) into
    :attr:`frame_poses_mm`: TMP's smoothing, right for angles, reads the peak speed of a hand or a foot 1.3-1.6
    body heights/s low (docs/RESULTS.md, "Throw and kick"), so the throw and the kick take that one figure from
    these poses (docs/metrics.md, "throw"). It runs the first time a drill asks, so the other drills do not pay
    for it.
    """

    motion: MotionSeries
    fps: float
    image_size_px: tuple[int, int]
    stature_mm: float | None = None
    lift_frames_alone: Callable[[], np.ndarray] | None = None
    camera_not_followed_share: float = 0.0
    notes: tuple[str, ...] = ()

    @functools.cached_property
    def view(self) -> str | None:
        """Where the camera films the person from, read from the picture ("front", "between" or "side",
        ``kinematics.frontal_plane.filmed_view``); None where no frame tells. The angles' ± depend on it."""
        return filmed_view(self.motion.kp2d)

    @functools.cached_property
    def frame_poses_mm(self) -> np.ndarray | None:
        """(T, 17, 3) each frame lifted alone; None without ``lift_frames_alone`` (then from ``motion.kp3d_mm``)."""
        return None if self.lift_frames_alone is None else self.lift_frames_alone()

    @functools.cached_property
    def frame_body_height_mm(self) -> float | None:
        """The body height read from :attr:`frame_poses_mm` (``kinematics.angular_velocity.body_height_from_pose``),
        the unit of the speeds read from them; None without them."""
        poses = self.frame_poses_mm
        return None if poses is None else body_height_from_pose(poses)

    @functools.cached_property
    def frame_speeds_heights_s(self) -> dict[str, np.ndarray]:
        """Speeds relative to the pelvis read from :attr:`frame_poses_mm`, by joint name, filled as the swing
        drills ask (``drills.swings.peak_speed_near``): each joint filtered and read once per recording,
        however many tests ask for it (a throw reads its hand and both feet, then its hand again)."""
        return {}

    def frame_of_row(self, row: float) -> int:
        """The video frame of an analysis row (a fractional row rounds to the nearest)."""
        return int(self.motion.frame_indices[int(round(row))])

    def time_of_row(self, row: float) -> float:
        """Time in seconds of a (possibly fractional) analysis row, interpolated between frame times."""
        times = self.motion.time_s
        return float(np.interp(row, np.arange(len(times)), times))


# Why a metric is not read from the recording's view (its note): frontal-plane measures (valgus, stance width) need
# the camera to face the child, sagittal ones (knee travel, the LESS's knee, hip and trunk flexion) a side view.
FRONT_VIEW_NEEDED = "needs a front or back view"
SIDE_VIEW_NEEDED = "needs a side view"


def knee_separation_metric(frontal: bool, kp2d_row: np.ndarray | None, moment: str) -> Metric:
    """Knees apart over ankles apart (``kinematics.frontal_plane.knee_ankle_separation_ratio``) in the (17, 3)
    keypoints of one frame, ``moment`` naming it ("the bottom", "the deepest point"; None: no such frame found),
    read only where the stretch around it was filmed from the front or the back (``frontal``): the legs side by
    side in the picture. Not the FPPA: at a squat's or a deep landing's bend the thigh points at a front camera and
    its image line, a few pixels long, turns the FPPA round."""
    label = f"Knees apart over ankles apart at {moment} (under 1: knees closer than the feet)"
    if not frontal:
        return Metric(None, "ratio", label, note=FRONT_VIEW_NEEDED)
    ratio = np.nan if kp2d_row is None else float(knee_ankle_separation_ratio(kp2d_row[None])[0])
    return (Metric(ratio, "ratio", label) if np.isfinite(ratio) else
            Metric(None, "ratio", label, note=f"the knees or the ankles not seen at {moment}"))


# The jumps and the run read the feet: each foot must lie inside the picture, seen, on at least this share of the
# frames with the person. BlazePose places feet that are out of the picture too, from the rest of the body, and
# their "strikes" and "flights" would be its guesses (a sprint filmed with the feet cut off read 181 steps/min for
# 243, a jump 42 cm): the real clips' feet are seen on 66-100 % of the frames, cut-off feet on 5-19 %.
MIN_FEET_IN_PICTURE_SHARE = 0.5


def require_feet_in_picture(recording: Recording, movement: str) -> None:
    """Raise MovementNotFound ("no jump found …: the feet are out of the picture") where either foot lies inside
    the picture on fewer than MIN_FEET_IN_PICTURE_SHARE of the frames with the person."""
    motion = recording.motion
    shares = feet_in_picture_share(motion.kp2d, motion.kp2d_raw33, recording.image_size_px)
    if min(shares.values()) < MIN_FEET_IN_PICTURE_SHARE:
        seen = ", ".join(f"{side} {100 * share:.0f} %" for side, share in shares.items())
        raise MovementNotFound(f"no {movement} found in the recording ({len(motion)} frames): the feet are out of the "
                               f"picture or hidden on most frames (seen inside it: {seen}); film the whole child, "
                               "feet included")


# A phone video can reach the app without its rotation (some apps and transfers drop it) and play on its side:
# the child then lies across the picture, and every drill, which reads the picture's rows as level, is wrong.
# Across: the head beside the ankles' midpoint by more than it is above or below it. The shared clips have the
# person so on 83 % of the frames at most (the sprinters, crouched in the blocks most of the clip), 0-6 %
# otherwise; the jump and squat clips turned a quarter on 100 % (docs/RESULTS.md, "A video stored on its side").
MAX_ACROSS_SHARE = 0.95
SIDEWAYS_NOTE = ("the person lies across the picture on nearly every frame (their head beside their feet, not above "
                 "them); if the video plays turned on its side, it was stored without its rotation: turn it upright "
                 "(a video editor, or ffmpeg -vf transpose=1 or 2) and analyse it again")


def lies_across_the_picture(recording: Recording) -> bool:
    """Whether the person's head lies beside their ankles (further beside them than above or below, in the picture)
    on more than MAX_ACROSS_SHARE of the frames where the head and both ankles are seen; False where they are seen
    on fewer than half the frames with the person (legs under a table: nothing to tell)."""
    kp2d = recording.motion.kp2d
    tracked = tracked_rows(kp2d)
    joints = [JOINT_INDEX[name] for name in ("head", "left_ankle", "right_ankle")]
    seen = tracked & (kp2d[:, joints, 2] >= MIN_CONFIDENCE_2D).all(axis=1)
    if not seen.any() or seen.sum() < 0.5 * tracked.sum():
        return False
    ankles = (kp2d[:, JOINT_INDEX["left_ankle"], :2] + kp2d[:, JOINT_INDEX["right_ankle"], :2]) / 2
    head_to_ankles = ankles - kp2d[:, JOINT_INDEX["head"], :2]
    across = np.abs(head_to_ankles[:, 0]) > np.abs(head_to_ankles[:, 1])
    return bool(across[seen].mean() > MAX_ACROSS_SHARE)


class Drill(Protocol):
    """A drill may also say how long after an event it still reads the recording to decide on it, where that is
    longer than the live drill's default wait (``reads_ahead_s``, seconds; stsp_app.drills.live)."""

    name: str
    title: str
    movement: str  # "jump", "squat", "running stride" … as in "no jump found"

    def analyse(self, recording: Recording) -> DrillResult: ...

