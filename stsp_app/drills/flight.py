"""Take-off and landing of jumps from the image trajectory of the feet and the pelvis (vertical-jump, drop-jump).

The physics this rests on (docs/metrics.md, "vertical-jump"): in contact, a foot stands on its floor line in
the image (its lowest image point, largest y, stays put); in flight both feet rise above their floor lines
and the whole body follows a ballistic arc, so the pelvis's image height is a parabola opening downwards.
``kp3d_mm`` is pelvis-relative and holds no global trajectory, so everything here is read in the image, in
pixels, and sized by the person's standing image height (head joint to ankle joints).

Per side the foot's lowest image point is the lower of heel and toe (BlazePose landmarks, ``kp2d_raw33``) when
the recording has them, else the ankle joint (recordings made from 17 joints only, such as mocap seen through
a virtual camera). The toes are the last part to leave the floor and, in a two-footed landing, the first to
touch it; an ankle is already raised by the plantar-flexed foot at take-off and at touch-down, so its contact
band is wider (ANKLE_CONTACT_BAND_SHARE).

The floor line of each foot is measured separately before and after each flight (a child who drifts towards
the camera lands lower in the image). Take-off is the first airborne row (both feet above their band),
landing the first row after the apex where either foot is back within its band; the sub-row moments are the
linear interpolations of the band crossings, which measure flight time to a fraction of a frame.

A drop (:func:`find_drops`: stepping or jumping down from a box, a ledge or a bar) has no apex above the
support it leaves: the feet stand still on a higher line, both leave it, fall, and stand still on a lower one.
It is found from those two still stances instead, with the same band, crossing and pelvis-arc rules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from scipy import signal

from stsp_app.core.skeleton import BLAZEPOSE_INDEX, JOINT_INDEX
from stsp_app.drills.base import ASK_FILMING_RATE, SLOW_MOTION_FACTORS, Recording
from stsp_app.drills.uncertainty import GRAVITY_M_S2
from stsp_app.kinematics.joint_angles import MIN_CONFIDENCE_2D
from stsp_app.kinematics.signals import (
    butterworth_lowpass,
    consecutive_runs,
    median_of_three,
    per_second_derivative,
)
from stsp_app.lifting.anthropometry import CHAIN_SHARE_OF_STATURE
from stsp_app.lifting.anthropometry import stature_mm as skeleton_stature_mm

SIDES = ("left", "right")
# A foot within this share of the standing body height (head joint to ankles) above its floor line is on the
# floor: 1.5 % is 2.4 cm on a 1.6 m child, above BlazePose's foot jitter on a static foot.
TOE_CONTACT_BAND_SHARE = 0.015
# The ankle joint at toe-off and touch-down stands this share of the body height above where it stands flat:
# the plantar-flexed foot (ankle-to-ball length about 0.11 H at 50-60 degrees, minus ankle height 0.039 H;
# Drillis & Contini 1966) gives 0.05-0.08 H; measured on the CMU training countermovement jump (02_04, the
# lifter's training set): 0.072 H at take-off, 0.079 H at touch-down.
ANKLE_CONTACT_BAND_SHARE = 0.07
# A jump lifts the lower foot at least this share of the body height (4 %: 6 cm at 1.6 m) above the floor.
MIN_CLEARANCE_SHARE = 0.04
# A foot on the floor stands still in the image: its (6 Hz low-passed) vertical speed stays under this share of
# the body height per second (0.3 H/s: 0.5 m/s at 1.6 m, three times the speed noise of EPE jitter at 30 fps).
STILL_SPEED_SHARE_PER_S = 0.3
# Floor lines are read from the nearest still run within this long before and after each apex, over at most
# FLOOR_RUN_S of it (the stance next to the flight: a child drifting towards the camera lands lower).
FLOOR_WINDOW_S = 1.5
FLOOR_RUN_S = 0.3
MIN_FLIGHT_S = 0.2  # a jump of 4.9 cm; a running stride's flight phase lasts 0.08-0.15 s
# The pelvis's arc in flight must bend downwards with an acceleration of this range of g (the pelvis is not
# the centre of mass exactly: legs tuck and arms swing), scaled by the standing image height.
BALLISTIC_G_RANGE = (0.4, 2.5)
GRAVITY_MM_S2 = 1000.0 * GRAVITY_M_S2
# A drop lands at least this share of the body height lower in the image than the support it leaves (6 %: 10 cm
# at 1.6 m; a 30 cm box filmed from 4 m reads 0.07-0.36 of the body height, lowest when the child jumps down
# away from the camera). A jump towards the camera lands as much lower (the shared jump clip, forward off its
# mat: 0.064), so for a flight this tells a box only together with a rebound that lands where it took off.
MIN_DROP_SHARE = 0.06
# A support is a stance of both feet standing still for at least this long (on the box before stepping off); the
# landing's stance may be a single frame (a rebound's ground contact: 0.15-0.3 s, the feet moving at both ends).
MIN_SUPPORT_S = 0.2
# From the support's end to the landing stance at most this long: a fall from 2 m takes 0.64 s.
MAX_DROP_S = 1.2


@dataclass(frozen=True)
class FootTrack:
    """Each foot's lowest image point over the recording and the person's standing image size."""

    y_px: np.ndarray          # (T, 2) image y (down) of the left and right foot's lowest point; NaN: unseen
    pelvis_y_px: np.ndarray   # (T,)
    uses_toes: bool           # heels and toes (BlazePose) rather than ankles
    body_height_px: float     # standing vertical distance head joint -> ankles
    mm_per_px: float | None   # image scale from the known stature; None when the stature is unknown
    skeleton_mm_per_px: float | None  # image scale from the 3D skeleton's stature (the lifter's own size)

    @property
    def contact_band_px(self) -> float:
        share = TOE_CONTACT_BAND_SHARE if self.uses_toes else ANKLE_CONTACT_BAND_SHARE
        return share * self.body_height_px


@dataclass(frozen=True)
class Flight:
    """One flight or drop: rows of the recording (integers are analysis rows; ``*_time_row`` sub-row moments)."""

    takeoff_row: int          # first airborne row
    landing_row: int          # first row back on the floor (initial contact)
    apex_row: int
    takeoff_time_row: float   # interpolated band crossings
    landing_time_row: float
    first_contact_side: str | None  # side that touched down first; None when both feet landed in one row
    landing_rows_by_side: dict[str, int]  # first row each foot is back within its band
    floor_before_px: np.ndarray  # (2,) floor line of each foot before and after
    floor_after_px: np.ndarray
    dropped: bool = False  # a drop (find_drops): the feet never rose above the support they left

    def flight_time_s(self, recording: Recording) -> float:
        """From the frames' own times (a phone's variable frame rate included)."""
        return recording.time_of_row(self.landing_time_row) - recording.time_of_row(self.takeoff_time_row)

    def drop_share(self, track: FootTrack) -> float:
        """How much lower in the image the feet land than they left, in body heights (mean of the two feet)."""
        return float(np.mean(self.floor_after_px - self.floor_before_px)) / track.body_height_px

    def lands_lower(self, track: FootTrack) -> bool:
        """Lands at least MIN_DROP_SHARE lower in the image than it left: from a box or a ledge (jumped off with a
        rise first, or a drop), or a jump towards the camera, which the picture alone cannot tell apart."""
        return self.drop_share(track) >= MIN_DROP_SHARE


def flight_time_height_cm(flight_time_s: float) -> float:
    """Jump height from flight time, h = g t² / 8 (take-off and landing at the same height; Bosco et al. 1983)."""
    return 100.0 * GRAVITY_M_S2 * flight_time_s ** 2 / 8.0


def foot_track(recording: Recording) -> FootTrack:
    motion = recording.motion
    kp2d = motion.kp2d
    raw = motion.kp2d_raw33
    present = np.isfinite(kp2d[:, JOINT_INDEX["pelvis"], 0])
    ankles = np.stack([_seen_y(kp2d[:, JOINT_INDEX[f"{side}_ankle"]]) for side in SIDES], axis=1)
    heel_toe = np.stack([np.fmax(_seen_y(raw[:, BLAZEPOSE_INDEX[f"{side}_heel"]]),
                                 _seen_y(raw[:, BLAZEPOSE_INDEX[f"{side}_foot_index"]]))
                         for side in SIDES], axis=1)
    uses_toes = bool(present.any()) and bool(np.isfinite(heel_toe[present]).all(axis=1).mean() >= 0.8)
    feet = heel_toe if uses_toes else ankles
    head_to_ankles = ankles.mean(axis=1) - _seen_y(kp2d[:, JOINT_INDEX["head"]])
    finite = head_to_ankles[np.isfinite(head_to_ankles)]
    body_height_px = float(np.percentile(finite, 90)) if len(finite) else float("nan")
    mm_per_px = None
    if recording.stature_mm is not None and body_height_px > 0:
        mm_per_px = CHAIN_SHARE_OF_STATURE * recording.stature_mm / body_height_px
    skeleton_mm_per_px = None
    if motion.has_3d and body_height_px > 0:
        statures = skeleton_stature_mm(motion.kp3d_mm)
        if np.isfinite(statures).any():
            skeleton_mm_per_px = CHAIN_SHARE_OF_STATURE * float(np.nanmedian(statures)) / body_height_px
    # A foot landmark thrown off for one frame would read as the foot leaving or touching the floor, or make a
    # still stretch out of the top of a flight: one-frame spikes are taken out (the timings of rises and falls
    # stay). Not the pelvis's: the median flattens a smooth low point, and its deepest frame is a moment we report.
    return FootTrack(median_of_three(feet), _seen_y(kp2d[:, JOINT_INDEX["pelvis"]]), uses_toes, body_height_px,
                     mm_per_px, skeleton_mm_per_px)


def _seen_y(points: np.ndarray) -> np.ndarray:
    """Image y of (T, 3) points (x, y, confidence), NaN where unseen or below the confidence floor."""
    return np.where(np.nan_to_num(points[:, 2]) >= MIN_CONFIDENCE_2D, points[:, 1], np.nan)


def find_flights(recording: Recording, track: FootTrack | None = None) -> list[Flight]:
    """Every flight of the recording (both feet off the floor, the pelvis on a ballistic arc), in time order."""
    track = foot_track(recording) if track is None else track
    if not np.isfinite(track.body_height_px) or track.body_height_px <= 0:
        return []
    fps = recording.fps
    lower_foot_y = track.y_px.max(axis=1)  # NaN where either foot is unseen
    finite = np.isfinite(lower_foot_y)
    if finite.sum() < 3:
        return []
    rows = np.arange(len(lower_foot_y))
    clearance = -np.interp(rows, rows[finite], lower_foot_y[finite])  # gaps bridged for peak finding only
    apexes, _ = signal.find_peaks(clearance, prominence=MIN_CLEARANCE_SHARE * track.body_height_px,
                                  distance=max(1, int(round(2 * MIN_FLIGHT_S * fps))))
    still = _still_rows(track, fps)
    flights: list[Flight] = []
    for apex in apexes:
        flight = _flight_around(int(apex), track, still, fps)
        if flight is not None and (not flights or flight.takeoff_row > flights[-1].landing_row):
            flights.append(flight)
    return flights


def find_landings(recording: Recording, track: FootTrack | None = None) -> list[Flight]:
    """Every flight and every drop of the recording, in time order (a drop that is also a flight, one jumped
    off with a rise first, counted once)."""
    track = foot_track(recording) if track is None else track
    landings = find_flights(recording, track)
    for drop in find_drops(recording, track):
        if not any(drop.takeoff_row <= flight.landing_row and flight.takeoff_row <= drop.landing_row
                   for flight in landings):
            landings.append(drop)
    return sorted(landings, key=lambda landing: landing.takeoff_row)


def find_drops(recording: Recording, track: FootTrack | None = None) -> list[Flight]:
    """Every drop: both feet stand still on a support (MIN_SUPPORT_S), leave it, are off anything (off both lines'
    bands on at least one frame: stepping down a stair keeps a foot on it) with the pelvis on a ballistic arc,
    and stand still again at least MIN_DROP_SHARE of the body height lower in the image, within MAX_DROP_S. Its
    take-off is the row after the last foot leaves the support's band (stepping off it or jumping up from it), its
    landing the first row with a foot back within the lower line's band."""
    track = foot_track(recording) if track is None else track
    if not np.isfinite(track.body_height_px) or track.body_height_px <= 0:
        return []
    fps = recording.fps
    stances = consecutive_runs(_still_rows(track, fps).all(axis=1))
    keep = int(round(FLOOR_RUN_S * fps))
    smooth_pelvis = replace(track, pelvis_y_px=median_of_three(track.pelvis_y_px))
    drops: list[Flight] = []
    for index, support in enumerate(stances):
        if support.stop - support.start < MIN_SUPPORT_S * fps:
            continue
        floor_before = np.median(track.y_px[max(support.start, support.stop - keep):support.stop], axis=0)
        landed = _landing_stance(track, stances[index + 1:], support, floor_before, keep, fps)
        if landed is None:
            continue
        drop = _drop_between(track, smooth_pelvis, support.stop, landed.start + keep, floor_before,
                             _first_level(track, landed, keep), fps)
        if drop is not None and (not drops or drop.takeoff_row > drops[-1].landing_row):
            drops.append(drop)
    return drops


def _first_level(track: FootTrack, stance: slice, keep: int) -> np.ndarray:
    """(2,) each foot's median image y over the first ``keep`` rows of a still stance."""
    return np.median(track.y_px[stance.start:min(stance.stop, stance.start + keep)], axis=0)


def _landing_stance(track: FootTrack, later: list[slice], support: slice, floor_before: np.ndarray, keep: int,
                    fps: float) -> slice | None:
    """The first still stance after ``support`` (within MAX_DROP_S) that stands MIN_DROP_SHARE lower for both feet;
    a brief pause on the support before leaving it is passed over, a new support is not."""
    for stance in later:
        if (stance.start - support.stop) / fps > MAX_DROP_S:
            return None
        if (_first_level(track, stance, keep) - floor_before >= MIN_DROP_SHARE * track.body_height_px).all():
            return stance
        if stance.stop - stance.start >= MIN_SUPPORT_S * fps:
            return None
    return None


def _drop_between(track: FootTrack, smooth_pelvis: FootTrack, start: int, stop: int, floor_before: np.ndarray,
                  floor_after: np.ndarray, fps: float) -> Flight | None:
    """The drop between a support's end (row ``start``) and its landing stance (``stop``), or None;
    ``smooth_pelvis``: ``track`` with the pelvis's one-frame spikes taken out, for its arc."""
    band = track.contact_band_px
    rows = slice(start, stop)
    off_support = np.abs(floor_before[None, :] - track.y_px[rows])  # px from each foot's support line
    above_floor = floor_after[None, :] - track.y_px[rows]            # px above each foot's landing line
    landed = above_floor <= band
    back_down = np.flatnonzero(landed.any(axis=1))
    if len(back_down) == 0:
        return None
    landing = int(back_down[0])
    # Take-off: after the last row with a foot on the support's band before both feet are halfway down (a foot
    # that jumped up first passes the support's line again high in the air, which is no contact).
    halfway = (track.y_px[rows] - floor_before[None, :] > 0.5 * (floor_after - floor_before)[None, :]).all(axis=1)
    falling = np.flatnonzero(halfway[:landing])
    on_support = np.flatnonzero((off_support[:falling[0] if len(falling) else landing] <= band).any(axis=1))
    if len(on_support) == 0:
        return None
    takeoff = int(on_support[-1]) + 1
    # Both feet seen as they leave and each in one of the two rows before the landing (a foot lost for a frame in
    # the air is no matter: a fall has no apex to find), and the pelvis on a ballistic arc as in a flight, one-frame
    # spikes taken out. A drop has no apex to stand out, so unlike a short flight it needs that arc, read over the
    # airborne rows and the row either side (the last on the support, the first back down: the body falls freely
    # from the feet's last push to their first touch), at least four rows: a 20 cm drop at 30 frames/s with the
    # toes seen has two or three airborne rows, whose arc alone a pixel of jitter turns. Feet let down while the
    # hands hold a bar swing below a pelvis that hardly accelerates; a jump's slow top in a slow-motion video
    # timed as it plays looks like a stance and falls far slower than g.
    if not (landing > takeoff and np.isfinite(track.y_px[start + takeoff - 1]).all()
            and np.isfinite(track.y_px[start + landing - 2:start + landing]).any(axis=0).all()
            and _pelvis_is_ballistic(smooth_pelvis, start + takeoff - 1, start + landing + 1, fps,
                                     too_short=False)):
        return None
    takeoff_time = start + _crossing_row(off_support.min(axis=1), band, takeoff, landing, forwards=False)
    landing_time = start + _crossing_row(above_floor.min(axis=1), band, landing - 1, takeoff - 1, forwards=True)
    landing_by_side, first_side = _touchdowns(landed[landing:], start + landing)
    pelvis = track.pelvis_y_px[start + takeoff:start + landing]
    apex = start + takeoff + (int(np.nanargmin(pelvis)) if np.isfinite(pelvis).any() else 0)
    return Flight(start + takeoff, start + landing, apex, takeoff_time, landing_time, first_side, landing_by_side,
                  floor_before, floor_after, dropped=True)


def slow_motion_hint(recording: Recording, track: FootTrack) -> str:
    """For a recording without flights: a sentence saying that it holds some once its times are divided by one of
    SLOW_MOTION_FACTORS (the smallest that does), asking for the rate a slow-motion video was filmed at; "" when
    it holds none either way. Gravity is the one clock in the picture: a jump in a slow-motion file timed as it
    plays falls 4-64 times too slowly to be found (docs/metrics.md, "vertical-jump")."""
    for factor in SLOW_MOTION_FACTORS:
        if find_flights(replace(recording, fps=recording.fps * factor), track):
            return (f". They do if the video plays about {factor} times slower than it was filmed (filmed at "
                    f"{recording.fps * factor:.0f} frames/s): if it is a slow-motion video, {ASK_FILMING_RATE}")
    return ""


def _still_rows(track: FootTrack, fps: float) -> np.ndarray:
    """(T, 2) True where a foot's image height stands still (low-passed vertical speed under STILL_SPEED_SHARE_PER_S
    body heights per second): a foot on the floor."""
    speed = np.abs(per_second_derivative(butterworth_lowpass(track.y_px, fps), fps))
    return speed < STILL_SPEED_SHARE_PER_S * track.body_height_px


def _floor_lines(track: FootTrack, still: np.ndarray, apex: int, fps: float, after: bool) -> np.ndarray:
    """Each foot's floor line next to a flight: the median image y over the nearest run of still rows (the last
    run before the apex, or the first after it, within FLOOR_WINDOW_S) that lies at least the minimum jump
    clearance below the apex (a foot slowing at the top of the flight is still, too)."""
    window = int(round(FLOOR_WINDOW_S * fps))
    keep = int(round(FLOOR_RUN_S * fps))
    start, stop = (apex + 1, apex + 1 + window) if after else (max(0, apex - window), apex)
    floors = np.full(2, np.nan)
    for side in range(2):
        y = track.y_px[start:stop, side]
        below_apex = y > track.y_px[apex, side] + MIN_CLEARANCE_SHARE * track.body_height_px
        runs = consecutive_runs(still[start:stop, side] & below_apex)
        if runs:
            run = runs[0] if after else runs[-1]
            rows = (slice(run.start, min(run.stop, run.start + keep)) if after
                    else slice(max(run.start, run.stop - keep), run.stop))
            floors[side] = float(np.median(y[rows]))
    return floors


def _flight_around(apex: int, track: FootTrack, still: np.ndarray, fps: float) -> Flight | None:
    band = track.contact_band_px
    floor_before = _floor_lines(track, still, apex, fps, after=False)
    floor_after = _floor_lines(track, still, apex, fps, after=True)
    if not (np.isfinite(floor_before).all() and np.isfinite(floor_after).all()):
        return None
    height_before = floor_before[None, :] - track.y_px  # (T, 2) px above each floor line, up positive
    height_after = floor_after[None, :] - track.y_px
    airborne_before = (height_before > band).all(axis=1)
    if not (airborne_before[apex] and (height_after[apex] > band).all()):
        return None
    grounded_before = np.flatnonzero(~airborne_before[:apex])
    if len(grounded_before) == 0 or not np.isfinite(height_before[grounded_before[-1]]).all():
        return None  # the clip starts in the air, or the feet are unseen before take-off
    takeoff = int(grounded_before[-1]) + 1
    landed = height_after <= band
    back_down = np.flatnonzero(landed[apex + 1:].any(axis=1))
    if len(back_down) == 0:
        return None  # the clip ends in the air
    landing = apex + 1 + int(back_down[0])
    if not np.isfinite(height_after[apex:landing]).all():
        return None  # a foot is lost in flight
    if (landing - takeoff) / fps < MIN_FLIGHT_S or not _pelvis_is_ballistic(track, takeoff, landing, fps):
        return None
    lower_before = np.fmin(height_before[:, 0], height_before[:, 1])
    lower_after = np.fmin(height_after[:, 0], height_after[:, 1])
    takeoff_time = _crossing_row(lower_before, band, takeoff, landing, forwards=False)
    landing_time = _crossing_row(lower_after, band, landing - 1, takeoff - 1, forwards=True)
    landing_by_side, first_side = _touchdowns(landed[landing:], landing)
    return Flight(takeoff, landing, apex, takeoff_time, landing_time, first_side, landing_by_side,
                  floor_before, floor_after)


def _touchdowns(landed: np.ndarray, landing: int) -> tuple[dict[str, int], str | None]:
    """From ``landed`` ((T, 2): each foot within its band, from the landing row ``landing`` on), the row each foot
    is first back down, and the side that touched first (None when both came down in one row)."""
    landing_by_side = {side: landing + int(np.flatnonzero(landed[:, index])[0])
                       for index, side in enumerate(SIDES) if landed[:, index].any()}
    first_side = None
    if len(landing_by_side) == 2 and landing_by_side["left"] != landing_by_side["right"]:
        first_side = min(landing_by_side, key=landing_by_side.get)
    return landing_by_side, first_side


def _crossing_row(height: np.ndarray, band: float, edge: int, other_edge: int, forwards: bool) -> float:
    """Sub-row moment the lower foot crossed the band next to the airborne row ``edge`` (the first airborne row
    for a take-off, ``forwards=False``; the last for a landing): the straight line through ``edge`` and its
    airborne neighbour, extrapolated to the band, within the row's gap to the contact row. The feet move fast
    and smoothly in the air but slowly while pushing off, so the airborne side measures the crossing better."""
    step = 1 if forwards else -1
    neighbour = edge - step
    if not (min(edge, other_edge) <= neighbour <= max(edge, other_edge)) or neighbour == other_edge:
        neighbour = edge  # a one-row flight: no airborne neighbour
    # Height change per row on the way towards the contact row: negative when the foot nears the floor.
    change = height[edge] - height[neighbour] if neighbour != edge else np.nan
    if not np.isfinite(change) or change >= 0:  # no approach to measure: halfway to the contact row
        return edge + 0.5 * step
    return edge + step * float(np.clip((height[edge] - band) / -change, 0.0, 1.0))


def pelvis_arc(track: FootTrack, takeoff: int, landing: int) -> np.ndarray | None:
    """Least-squares parabola (coefficients, highest power first) of the pelvis's image y against the row over
    the airborne rows ``takeoff`` … ``landing - 1``; None with fewer than 4 seen rows."""
    rows = np.arange(takeoff, landing)
    pelvis = track.pelvis_y_px[rows]
    seen = np.isfinite(pelvis)
    return np.polyfit(rows[seen], pelvis[seen], 2) if seen.sum() >= 4 else None


def _pelvis_is_ballistic(track: FootTrack, takeoff: int, landing: int, fps: float, too_short: bool = True) -> bool:
    """The pelvis's image height over the airborne rows fits a parabola opening downwards with an acceleration
    near g (where an image scale is known; otherwise only the direction is checked). ``too_short``: the answer
    where the rows are too few for a parabola (a flight's feet alone decide; a drop needs its arc)."""
    arc = pelvis_arc(track, takeoff, landing)
    if arc is None:
        return too_short
    curvature = arc[0] * fps ** 2  # y = a t² + …, a = g / 2 in px/s²
    if curvature <= 0:
        return False
    mm_per_px = track.mm_per_px or track.skeleton_mm_per_px
    if mm_per_px is None:
        return True
    acceleration_g = 2.0 * curvature * mm_per_px / GRAVITY_MM_S2
    return BALLISTIC_G_RANGE[0] <= acceleration_g <= BALLISTIC_G_RANGE[1]


def stable_row_after(track: FootTrack, row: int, fps: float, speed_share_per_s: float = 0.1,
                     hold_s: float = 0.25) -> int | None:
    """First row at or after ``row`` from which the pelvis's vertical image speed stays under
    ``speed_share_per_s`` body heights per second for ``hold_s``; None if it never settles in the clip."""
    speed = np.abs(per_second_derivative(butterworth_lowpass(track.pelvis_y_px, fps), fps))
    still = speed < speed_share_per_s * track.body_height_px
    still[:row] = False
    hold = max(1, int(round(hold_s * fps)))
    runs = [run for run in consecutive_runs(still) if run.stop - run.start >= hold]
    return runs[0].start if runs else None
