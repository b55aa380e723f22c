"""Finding a throw's or a kick's swings: the limb end (wrist, ankle) that moves fastest relative to the pelvis and
its peak (release, ball contact), whether that swing is the movement or something else that moves a limb as fast
(a jump, running, a step, a track's end), and the other attempts of a series. What the throw and the kick then
measure of each swing is in :mod:`stsp_app.drills.segment_sequence`.

Speeds differentiate a 10 Hz zero-lag Butterworth low-pass (BALLISTIC_CUTOFF_HZ): a kick or a throw is faster than
the 6 Hz default of the angle charts, and 10-20 Hz is what kicking and throwing studies use (Lees & Nolan 1998); at
30 frames/s the Nyquist frequency is 15 Hz.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import signal

from stsp_app.core.skeleton import JOINT_INDEX
from stsp_app.drills.base import ASK_FILMING_RATE, SLOW_MOTION_FACTORS, MovementNotFound, Recording
from stsp_app.drills.flight import Flight, find_flights
from stsp_app.kinematics.angular_velocity import (
    body_height_from_pose,
    relative_speed_heights_s,
    relative_velocity_per_s,
)
from stsp_app.kinematics.foot_events import GROUND_WINDOW_S, foot_events
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D
from stsp_app.kinematics.motion_series import tracked_rows

BALLISTIC_CUTOFF_HZ = 10.0
WINDOW_BEFORE_PEAK_S = 0.6  # a child's kick or throw swing lasts 0.3-0.6 s before contact or release
WINDOW_AFTER_PEAK_S = 0.1
# The frame-by-frame poses' peak of a hand or a foot lies within this of the swing's peak (the event).
PEAK_SEARCH_S = 0.1


@dataclass(frozen=True)
class Swing:
    """A throw's or a kick's swing (:func:`swings`): its side, its limb end's speed series (body heights/s) and peak
    row."""

    side: str
    end_joint: str      # "wrist", "ankle"
    speed_heights_s: np.ndarray
    peak_row: int
    body_height: float  # in the poses' unit (mm for 3D, px for 2D)
    both_together: bool = False  # both hands threw together (a two-handed throw)

    @property
    def peak_speed_heights_s(self) -> float:
        return float(self.speed_heights_s[self.peak_row])


def poses(recording: Recording) -> np.ndarray:
    """The 3D poses when there are any, else the 2D image keypoints (T, 17, D)."""
    motion = recording.motion
    return motion.kp3d_mm if motion.has_3d else motion.kp2d[..., :2]


# A swing counts only where the person was there for it and its limb end was seen: over the swing's window
# before the peak (WINDOW_BEFORE_PEAK_S) the person tracked on at least SWING_TRACKED_SHARE of the frames, and the
# wrist (ankle) seen (2D confidence at least MIN_CONFIDENCE_2D) on at least SWING_SEEN_SHARE. A wrist hidden for
# the whole clip (hands on a bar behind the neck) jumps about in the 2D, and its "speed" is the landmark
# network's guess; a hand or foot blurred for a frame or two at its fastest is still seen through its swing.
SWING_TRACKED_SHARE = 0.8
SWING_SEEN_SHARE = 0.5
# Where the person's track ends within WINDOW_AFTER_PEAK_S after the fastest peak (then found on fewer than half
# the frames of TRACK_END_S, the recording's end counting as not found), the speed may drop only because nobody
# is there any more, which makes a peak of whatever it was: that swing cannot be judged, and a slower one is not
# the throw or the kick either. A gap of a few frames (a blurred release) keeps it.
TRACK_END_S = 0.5
# The other limb end moving this fast (share of the peak) in the same direction (cosine of the two velocities
# at least TOGETHER_MIN_COSINE), or in the mirrored direction (both arms swung out to the sides, both feet apart:
# a bilateral movement, which a front view shows as opposite velocities), means both moved together. Both feet: a
# jump, not a kick. Both hands: a jump's arm swing when the feet leave or meet the floor within JUMP_REACH_S of the
# peak (a flight of drills.flight), else a two-handed throw, which young children often make: scored on the faster
# arm, with a note.
TOGETHER_SPEED_SHARE = 0.8
TOGETHER_MIN_COSINE = 0.5
JUMP_REACH_S = 0.5
# A throw or a kick stands out from the swings around it. Counted: other swings of either hand (foot) reaching
# RHYTHM_PEAK_SHARE of its speed within RHYTHM_REACH_S. Running swings each hand and each foot forward and back
# once a stride, 1.4 (jogging) to 2 (sprinting) strides a second: up to 16 such speed peaks within a second either
# side, all alike. A kick has its own backswing and follow-through and the support foot's last step, which can
# come close to its speed (3 allowed); a throw its wind-up and follow-through and the other arm's pull (5).
RHYTHM_PEAK_SHARE = 0.7
RHYTHM_REACH_S = 1.0
RHYTHM_OWN_PEAK_S = 0.15
MAX_LIKE_SWINGS = {"wrist": 5, "ankle": 3}
# That test needs the second after the swing: where the person walks or runs out of the picture within it while
# the video goes on (found on fewer than half of its frames), a swing that stands out from the strides before it
# cannot be told from the first of those that follow (a sprinter leaving the picture at half size read as a kick,
# docs/RESULTS.md). A video that simply ends after a kick keeps it.
# A thrower mostly stops after the release, with a step or two of follow-through; a sprinter's first arm drive out
# of the blocks, faster than the strides' arm swings that follow, is followed by running: this many foot strikes
# or more within RUN_ON_REACH_S after the peak (4 steps a second in a sprint start, 3 in a jog). A pass made on the
# move at that rhythm is turned away too (the dribble clip's pass came within one strike of it, docs/RESULTS.md).
RUN_ON_STRIKES = 3
RUN_ON_REACH_S = 1.0
# A kicking foot follows through past the ball; a step's or a lunge's foot, fastest in mid-swing, is on the ground
# again soon after. The walks of mocap/train that read as kicks (their swing foot at 1.9-2.5 body heights/s, the
# recordings too short for the rhythm test) strike again within 0.13-0.17 s of the peak where the strike is seen:
# a foot striking within STEP_LANDING_S of its fastest moment took a step (the dribble clip's crossover lunge: 0.07
# s; the punt: 0.87 s).
STEP_LANDING_S = 1 / 6
# How long after a swing's peak these tests read the recording (the live drill waits that long before it reports a
# throw or a kick: the dribble clip played live read two of her dribbles as throws 0.7 s after them).
SWING_READS_AHEAD_S = max(RHYTHM_REACH_S, RUN_ON_REACH_S, STEP_LANDING_S)
# A series of throws or kicks ("three throws each") has the child take or fetch another ball between attempts, so
# attempts lie seconds apart; within a single throw the wind-up or the other arm's swing can reach the throw's own
# speed up to 1.5 s from the release (the held-out Kinder-Gator throws, one throw a trial, read "two throws" in 51 of
# 411 readings with 1 s; docs/RESULTS.md). An attempt is the fastest swing of either side within this of itself.
ATTEMPT_SPACING_S = 3.0
# A throw's or a kick's fastest moment lasts about 0.1 s. Filmed at fewer frames a second than film's 24 (a webcam
# in dim light gives 15) it falls between frames: the punt (rugby_kick.mp4) resampled to 20 and 15 frames/s read
# its foot at 2.2 and 1.7 body heights/s where 25 and 30 frames/s read 3.0 and 3.5, and no kick (docs/RESULTS.md,
# "Frame rates other than 30"). There every result and every "not found" says so (23.976, NTSC film, counts as 24).
MIN_SWING_FPS = 23.5
_LIMB_ENDS = {"wrist": ("hand", "hands"), "ankle": ("foot", "feet")}
_OTHER_SIDE = {"left": "right", "right": "left"}


def low_rate_note(recording: Recording, movement: str) -> str | None:
    """What a recording filmed at under MIN_SWING_FPS frames/s does to a throw's or a kick's figures (None at
    24 frames/s or more)."""
    if recording.fps >= MIN_SWING_FPS:
        return None
    return (f"Filmed at {recording.fps:.0f} frames/s: a {movement}'s fastest moment lasts about a tenth of a second "
            "and falls between frames at this rate, so its speeds read low and its frame is less sure; film at 24 "
            "frames/s or more (most phones film at 30).")


def swings(recording: Recording, end_joint: str, min_speed_heights_s: float, movement: str) -> list[Swing]:
    """Every throw (kick) of the recording, in time order: first the fastest swing of ``end_joint`` (ankle,
    wrist) relative to the pelvis, which decides whether the recording holds the movement at all (where it is not
    the movement, MovementNotFound says why, as :meth:`_SwingContext.refusal` finds); then, for a coach's series
    of attempts, every other swing that reaches RHYTHM_PEAK_SHARE of its speed, is the fastest swing of either side
    within ATTEMPT_SPACING_S of itself (a wind-up, the other arm's swing or a run-up's strides are not attempts)
    and passes the same tests. Where the recording's rate is too low for a swing (:func:`low_rate_note`), the reason
    it gives for "not found" says so too."""
    try:
        context = _SwingContext(recording, end_joint)
        best = context.fastest(min_speed_heights_s, movement)
    except MovementNotFound as not_found:
        note = low_rate_note(recording, movement)
        if note is None:
            raise
        raise MovementNotFound(f"{not_found}. {note}") from None
    found = [best]
    for speed, side, row in context.candidates:
        if (row != best.peak_row and speed >= max(min_speed_heights_s, RHYTHM_PEAK_SHARE * best.peak_speed_heights_s)
                and context.stands_out(speed, row) and context.refusal(side, row, movement) is None):
            found.append(context.swing(side, row))
    return sorted(found, key=lambda swing: swing.peak_row)


class _SwingContext:
    """A recording's limb-end speeds relative to the pelvis and its swings seen whole (``candidates``: speed,
    side, row of each speed peak inside the recording; ``scipy.signal.find_peaks``: a speed still rising at the
    first or last frame is a swing the clip cut off, or a filter's edge), with the tests that tell a throw or a
    kick from the other swings (:meth:`refusal`)."""

    def __init__(self, recording: Recording, end_joint: str) -> None:
        self.recording, self.end_joint = recording, end_joint
        self.joints = poses(recording)
        self.height = body_height_from_pose(self.joints)
        limb_ends = (end_joint, "ankle") if end_joint == "wrist" else (end_joint,)  # a throw's hand against the feet
        self.velocities = {(side, joint): relative_velocity_per_s(self.joints, f"{side}_{joint}", "pelvis",
                                                                  recording.fps, BALLISTIC_CUTOFF_HZ)
                           for side in ("left", "right") for joint in limb_ends}
        self.speeds = {key: np.nan_to_num(np.linalg.norm(velocity, axis=-1) / self.height, nan=0.0)
                       for key, velocity in self.velocities.items()}
        self.candidates = []
        for side in ("left", "right"):
            speed = self.speeds[(side, end_joint)]
            peaks, _ = signal.find_peaks(speed)
            self.candidates += [(float(speed[row]), side, int(row)) for row in peaks
                                if _seen_swing(recording, f"{side}_{end_joint}", int(row))]
        self.tracked = tracked_rows(recording.motion.kp2d)
        self._together: dict[tuple[str, int], bool] = {}

    def swing(self, side: str, row: int) -> Swing:
        return Swing(side, self.end_joint, self.speeds[(side, self.end_joint)], row, self.height,
                     both_together=self.together(side, row))

    def fastest(self, min_speed_heights_s: float, movement: str) -> Swing:
        """The fastest swing seen whole; MovementNotFound (the message says why) where there is none, where even
        it stays under ``min_speed_heights_s``, or where it is not the movement (:meth:`refusal`)."""
        end_joint, frames = self.end_joint, len(self.recording.motion)
        if not self.candidates:
            raise MovementNotFound(f"no {movement} found in the recording ({frames} frames): no {end_joint} swing "
                                   "seen whole (the joint hidden, or the person not tracked through the swing)")
        peak_speed, side, row = max(self.candidates)
        if not peak_speed >= min_speed_heights_s:
            slow_motion = ""
            if peak_speed * max(SLOW_MOTION_FACTORS) >= min_speed_heights_s:
                slow_motion = f"; if this is a slow-motion video, {ASK_FILMING_RATE}: its speeds are then real"
            raise MovementNotFound(f"no {movement} found in the recording ({frames} frames): the "
                                   f"fastest {end_joint} moved {peak_speed:.1f} body heights/s relative "
                                   f"to the pelvis, a {movement} needs {min_speed_heights_s:g}{slow_motion}")
        reason = self.refusal(side, row, movement)
        if reason is not None:
            label = _LIMB_ENDS[end_joint][0]
            raise MovementNotFound(f"no {movement} found in the recording ({frames} frames): at the fastest {label} "
                                   f"swing (frame {self.recording.frame_of_row(row)}, {peak_speed:.1f} body "
                                   f"heights/s) {reason}")
        return self.swing(side, row)

    def stands_out(self, speed: float, row: int) -> bool:
        """Whether no swing of either side within ATTEMPT_SPACING_S of ``row`` is faster."""
        reach = round(ATTEMPT_SPACING_S * self.recording.fps)
        return all(other <= speed for other, _, other_row in self.candidates if abs(other_row - row) <= reach)

    def together(self, side: str, row: int) -> bool:
        """Whether the other limb end moved with this one at ``row`` (TOGETHER_SPEED_SHARE, TOGETHER_MIN_COSINE)."""
        if (side, row) not in self._together:
            mine, other = (side, self.end_joint), (_OTHER_SIDE[side], self.end_joint)
            velocity, other_velocity = self.velocities[mine][row], self.velocities[other][row]
            mirrored = _mirrored(other_velocity, self.joints[row])
            self._together[(side, row)] = bool(
                self.speeds[other][row] >= TOGETHER_SPEED_SHARE * self.speeds[mine][row]
                and max(_cosine(velocity, other_velocity), _cosine(velocity, mirrored)) >= TOGETHER_MIN_COSINE)
        return self._together[(side, row)]

    @functools.cached_property
    def strike_rows(self) -> list[int]:
        """The rows of the recording's foot strikes (either foot, kinematics.foot_events), found once however many
        swings are judged."""
        motion = self.recording.motion
        return [event.row for event in foot_events(motion.kp2d, motion.kp2d_raw33, self.recording.fps)
                if event.kind == "foot_strike"]

    @functools.cached_property
    def flights(self) -> list[Flight]:
        """The recording's flights (both feet off the floor, drills.flight), found once."""
        return find_flights(self.recording)

    def strikes_after(self, row: int, reach_s: float) -> list[int]:
        """The rows of the foot strikes within ``reach_s`` after ``row``, in order. The reach is read to the
        nearest frame, as every event's time is: at 29.97 frames/s (most phones) 1/6 s is 5 frames as at 30, where a
        strike 5 frames on is 0.1668 s after and would otherwise fall outside."""
        reach = round(reach_s * self.recording.fps)
        return [strike for strike in self.strike_rows if 0 < strike - row <= reach]

    def step_after(self, row: int) -> int | None:
        """How many rows after ``row`` a foot struck the ground within STEP_LANDING_S (:meth:`strikes_after`); None
        if none did. Either foot: the swinging foot's strike may carry the other side's label where the 2D stage
        confuses the legs (the dribble clip mirrored), and a kick's support foot is already planted. Only strikes
        whose ground line is read over its whole window (foot_events.GROUND_WINDOW_S either side, inside the
        recording) count: in a clip ending within that window after a kick, the ground line is the kicking foot's
        own low sweep through the ball, and its slow follow-through just above it can read as a landing."""
        last = len(self.recording.motion) - round(GROUND_WINDOW_S * self.recording.fps)
        return next((strike - row for strike in self.strikes_after(row, STEP_LANDING_S) if strike <= last), None)

    def jump_near(self, row: int) -> bool:
        """Whether a flight takes off or lands within JUMP_REACH_S of ``row``: a jump's arms swing up together as
        it takes off and come down or out together as it lands."""
        reach = round(JUMP_REACH_S * self.recording.fps)
        return any(min(abs(flight.takeoff_row - row), abs(flight.landing_row - row)) <= reach
                   for flight in self.flights)

    def refusal(self, side: str, row: int, movement: str) -> str | None:
        """Why the swing at ``row`` is not the movement (the end of "no throw found … at the fastest hand swing
        …"), None where it is: the person lost just after it, both feet together (a jump), both hands together as
        the feet leave or meet the floor (a jump's arm swing; both hands otherwise: a two-handed throw), a foot
        faster than the throwing hand within PEAK_SEARCH_S (a kick's foot peaks a frame or two after the arms'
        swing; a kick's arms may swing faster than its foot: children's do, so no such test for kicks), one of a
        rhythm of like swings (running), the person leaving the picture within the second after it, the feet
        running on after a hand's swing, or a foot landing just after a foot's (a step)."""
        recording, end_joint, fps = self.recording, self.end_joint, self.recording.fps
        plural = _LIMB_ENDS[end_joint][1]
        if _track_ends_after(self.tracked, row, fps):
            return ("the person was lost just after it: a swing cut off there cannot be told from the end of the "
                    f"track, and the slower swings are not the {movement}")
        together = self.together(side, row)
        if together and end_joint == "ankle":
            return "both feet moved together, as in a jump; a kick swings one leg"
        if together and self.jump_near(row):
            return "both hands swung together as the feet left or met the floor: a jump's arm swing, not a throw"
        if end_joint == "wrist" and _foot_outran_hand(recording, self.speeds, side, row):
            return (f"a foot moved faster within {PEAK_SEARCH_S:g} s of it: in a throw the hand is the fastest part "
                    "of the body (a kick swings the arms too)")
        if _like_swings(self.speeds, end_joint, side, row, fps) > MAX_LIKE_SWINGS[end_joint]:
            return (f"the {plural} swung as fast again and again within a second, as in running; a {movement} "
                    "stands out from the steps before it")
        if _left_the_picture_after(self.tracked, row, fps):
            return (f"the person left the picture within {RHYTHM_REACH_S:g} s after it: whether it stood out from "
                    "the swings after it cannot be told")
        if end_joint == "wrist" and len(self.strikes_after(row, RUN_ON_REACH_S)) >= RUN_ON_STRIKES:
            return (f"the feet ran on: {RUN_ON_STRIKES} or more foot strikes within {RUN_ON_REACH_S:g} s after it, "
                    "as after a sprinter's first arm drive; a thrower stops")
        if end_joint == "ankle" and (landing := self.step_after(row)) is not None:
            return (f"a foot struck the ground {landing / fps:.2f} s after it, as a step's or a lunge's does; a "
                    "kicking foot follows through past the ball")
        return None


def _seen_swing(recording: Recording, joint: str, row: int) -> bool:
    """Whether the person was tracked, and the 2D ``joint`` seen, through the swing's window before ``row``. The
    frames of the window before the recording's start count as neither: a peak in the first half second is a swing
    whose start the clip cut off (or the low-pass filter's edge), as a speed still rising at the first frame is."""
    kp2d = recording.motion.kp2d
    length = round(WINDOW_BEFORE_PEAK_S * recording.fps) + 1
    window = slice(max(0, row + 1 - length), row + 1)
    seen = np.nan_to_num(kp2d[window, JOINT_INDEX[joint], 2]) >= MIN_CONFIDENCE_2D
    return (int(tracked_rows(kp2d[window]).sum()) >= SWING_TRACKED_SHARE * length
            and int(seen.sum()) >= SWING_SEEN_SHARE * length)


def _track_ends_after(tracked: np.ndarray, row: int, fps: float) -> bool:
    """Whether the person is lost within WINDOW_AFTER_PEAK_S after ``row`` and then tracked on fewer than half the
    frames of the next TRACK_END_S (the recording's end counting as untracked)."""
    after = tracked[row + 1:row + 1 + max(1, round(WINDOW_AFTER_PEAK_S * fps))]
    if after.all():
        return False
    lost = row + 1 + int(np.argmin(after))
    span = max(1, round(TRACK_END_S * fps))
    return 2 * int(tracked[lost:lost + span].sum()) < span


def _left_the_picture_after(tracked: np.ndarray, row: int, fps: float) -> bool:
    """Whether the person's last tracked frame comes within RHYTHM_REACH_S after ``row`` while the recording goes
    on past that second, and the person is found on fewer than half of its frames."""
    reach = round(RHYTHM_REACH_S * fps)
    found = np.flatnonzero(tracked)
    if not len(found) or found[-1] > row + reach or row + reach >= len(tracked):
        return False
    return 2 * int(tracked[row + 1:row + 1 + reach].sum()) < reach


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine of the angle between two vectors (1: the same direction; 0 where either is zero or missing)."""
    norms = float(np.linalg.norm(a) * np.linalg.norm(b))
    return float(np.dot(a, b) / norms) if norms > 0 and np.isfinite(norms) else 0.0


def _mirrored(velocity: np.ndarray, pose: np.ndarray) -> np.ndarray:
    """``velocity`` reflected across the body's midplane in ``pose`` (17, D): the plane normal to the hip line."""
    hip_line = pose[JOINT_INDEX["right_hip"]] - pose[JOINT_INDEX["left_hip"]]
    length = float(np.linalg.norm(hip_line))
    if not (length > 0 and np.isfinite(length)):
        return velocity
    normal = hip_line / length
    return velocity - 2.0 * np.dot(velocity, normal) * normal


def _like_swings(speeds: dict, end_joint: str, side: str, row: int, fps: float) -> int:
    """Other swings of either ``end_joint`` reaching RHYTHM_PEAK_SHARE of the peak at ``row`` within
    RHYTHM_REACH_S (the swing's own peak, within RHYTHM_OWN_PEAK_S of ``row``, left out)."""
    reach, own = round(RHYTHM_REACH_S * fps), round(RHYTHM_OWN_PEAK_S * fps)
    count = 0
    for either in ("left", "right"):
        peaks, _ = signal.find_peaks(speeds[(either, end_joint)],
                                     height=RHYTHM_PEAK_SHARE * speeds[(side, end_joint)][row])
        near = np.abs(peaks - row) <= reach
        if either == side:
            near &= np.abs(peaks - row) > own
        count += int(near.sum())
    return count


def swing_window(recording: Recording, peak_row: int) -> slice:
    before = int(round(WINDOW_BEFORE_PEAK_S * recording.fps))
    after = int(round(WINDOW_AFTER_PEAK_S * recording.fps))
    return slice(max(0, peak_row - before), min(len(recording.motion), peak_row + after + 1))


def peak_speed_near(recording: Recording, joint: str, row: int, smoothed_peak: float) -> float:
    """How fast ``joint`` moved relative to the pelvis at its fastest within PEAK_SEARCH_S of ``row``, in body
    heights/s, read from the frame-by-frame poses where the recording has them (Recording.frame_poses_mm: TMP's
    smoothing takes the top off a 0.1 s burst); else ``smoothed_peak``, the smoothed 3D's reading."""
    if recording.frame_poses_mm is None:
        return smoothed_peak
    speeds = recording.frame_speeds_heights_s
    if joint not in speeds:
        speeds[joint] = relative_speed_heights_s(recording.frame_poses_mm, joint, "pelvis", recording.fps,
                                                 recording.frame_body_height_mm, BALLISTIC_CUTOFF_HZ)
    speed = speeds[joint]
    reach = int(round(PEAK_SEARCH_S * recording.fps))
    near = speed[max(0, row - reach):row + reach + 1]
    return float(np.nanmax(near)) if np.isfinite(near).any() else smoothed_peak


def _foot_outran_hand(recording: Recording, speeds: dict, side: str, row: int) -> bool:
    """Whether a foot moved at least as fast as the throwing hand within PEAK_SEARCH_S of its peak: both read as
    the reported peak speeds are (:func:`peak_speed_near`). On the smoothed 3D alone a kick's foot, whose burst
    is shorter than the arms' swing, loses more of its peak than the arms do (the punt: foot 3.5 against a hand
    3.2 body heights/s at 30 frames/s, 2.9 against 3.0 at 24; frame by frame 5.5 against 4.5 and 5.1 against
    4.2)."""
    reach = round(PEAK_SEARCH_S * recording.fps)
    near = slice(max(0, row - reach), row + reach + 1)
    hand = peak_speed_near(recording, f"{side}_wrist", row, float(speeds[(side, "wrist")][row]))
    return any(peak_speed_near(recording, f"{foot}_ankle", row, float(speeds[(foot, "ankle")][near].max())) >= hand
               for foot in ("left", "right"))
