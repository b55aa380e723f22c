"""How far the phone was turned about its own axis, and pitched, from the upright lines behind the child.

A phone held a few degrees askew tilts everything a drill reads against the picture's rows and columns: a squat's
"hip below the knee" (docs/RESULTS.md, "Camera quality and a phone held askew": 8 degrees made both of a clip's
reps read "not below parallel"), and the 3D stage, which sees the body as the camera does, leans the trunk by the
same turn. The scene's upright lines (door frames, posts, wall corners, goal posts) show the turn: they all point
at one vanishing point, straight below or above the picture's centre when the phone is level, at infinity when
it is not pitched either.

Once a second (:data:`SAMPLE_INTERVAL_S`) the frame's straight segments (OpenCV's line segment detector) clear of
everyone's body box and within :data:`NEAR_VERTICAL_DEG` of the picture's columns are kept, each carried onto the
first frame's picture through the followed camera's map (``epe.camera_motion``), so a hand-held phone's
turns do not blur them. At the end one vanishing point is chosen for them all, the one that segments in the most
places across the picture point at (:func:`roll_from_segments`), and the turn is the direction from the picture's
centre to it. Fitting a point rather than averaging angles keeps a phone pitched down at a child, whose upright
lines fan out towards the picture's sides, from reading as turned.

How far the uprights meet below (or above) the picture tells the phone's pitch too (:meth:`BackgroundVerticals.
pitch_deg`): a phone tilted down by a pitch sees them meet a focal length / tan(pitch) below the centre. The focal
length a video does not carry: that of a phone's main camera is taken (``core.lens``). The pitch rests on how far
the lines fan, a degree or two across the picture, so it is taken only where that is firm (:func:`pitch_from_fit`).

Where the background has no such lines (an open field, trees that each lean their own way) or they do not agree,
no turn is given and nothing is levelled; a track's lane lines, which meet at the horizon inside the picture, are
not upright lines and are left out by the same test (:data:`MAX_PITCH_DEG`).
"""

from __future__ import annotations

from collections.abc import Mapping

import cv2
import numpy as np

from stsp_app.core.analysis import CAMERA_PITCH_SETTING, CAMERA_ROLL_SETTING
from stsp_app.core.lens import assumed_focal_px
from stsp_app.epe.camera_motion import to_scene

# Names the method in the app's analysis cache key (analysis_settings.AnalysisSettings.cache_key): a video
# analysed before its turn was read, or by an earlier way of reading it, is analysed again. Change it with the method.
LEVELLING_METHOD = "upright lines, vanishing point by places; pitch through a 26 mm lens, firm to 3 deg (session 25)"
SAMPLE_INTERVAL_S = 1.0
WORK_SIDE_PX = 640  # the frame's longer side while looking for lines (a 320 px picture loses the thin ones)
MIN_SEGMENT_SHARE = 0.04  # a segment's shortest length: this share of the picture's height
NEAR_VERTICAL_DEG = 25.0
SEGMENTS_PER_SAMPLE = 48  # the longest ones of each sampled frame are kept
MAX_SAMPLES = 64  # past this, every other sample is dropped and the interval doubles: a match keeps a bounded state
# A live camera stands still: its first seconds tell the turn, and looking on would cost the live view time.
LIVE_SAMPLES = 5
BODY_MARGIN = 0.15  # around each body box, the share of its size also left out (arms, hair, a ball)
HYPOTHESES = 2000  # pairs of segments whose meeting point is tried as the vanishing point
INLIER_DEG = 1.5  # a segment points at a vanishing point when its line passes this close to it
MIN_INLIER_SHARE = 0.3  # of the near-vertical segments' length: the lines must largely agree
PLACES = 20  # the picture's width in this many strips: a place
# The segments pointing at the vanishing point lie in at least this many places, and in at least this share of the
# places with any near-upright segment: two lines always meet somewhere, and a few more of a dozen trunks leaning
# their own ways can point near the same spot by chance (6-40 segments leaning up to 20 degrees at random: 3 of
# 400 such scenes read a turn; 13 with a share of 0.5); the shared clips' halls, tracks and pitches give 7-19
# places, 0.65-1.0 of those with segments (docs/RESULTS.md).
MIN_PLACES = 5
MIN_PLACE_SHARE = 0.6
# The vanishing point is fitted as a point where its segments lie this far (picture heights) either side of the
# picture's centre, else as a direction.
SIDE_REACH = 0.1
# The steepest pitch read: upright lines meet at least a focal length / tan(MAX_PITCH_DEG) from the centre (2.1
# picture heights on a 16:9 landscape picture, 1.2 on a portrait one, through the lens core.lens takes); a
# track's lanes or a corridor's floor lines meet much nearer, on the horizon, at most a focal length *
# tan(MAX_PITCH_DEG) away. A phone pitched further is filming from above, not a coach's framing.
MAX_PITCH_DEG = 30.0
# A pitch is taken where the lines tell it to this many degrees (the jackknife standard error over the places they
# lie in): about the trunk lean's own error once the 3D is stood along gravity (3.0 degrees on mocap filmed from
# any height, docs/RESULTS.md "A phone pitched down"), so a reading adds no more than what is left.
MAX_PITCH_ERROR_DEG = 3.0
# A larger reading is taken for lines that are not upright (a phone is held askew by a few degrees; a bigger turn
# is a choice of framing, and the lines then seen near the picture's columns are more likely slanted ones).
MAX_ROLL_DEG = 15.0
# From this turn on, the user is told that the picture was levelled (the app's status, `analyze`, every drill's
# notes): 3 degrees was the least that changed a drill's reading before levelling (the run's foot events,
# docs/RESULTS.md "Camera quality and a phone held askew").
NOTABLE_TURN_DEG = 3.0
# From this pitch on, the user is told that the 3D was turned to stand along gravity: about twice the trunk lean's
# own error (5.1 degrees on the held-out children with EPE-like 2D, docs/RESULTS.md "Joint angles"); a phone at
# chest height aimed at a child 4 m away is pitched 5-8 degrees, which is nothing to remark on.
NOTABLE_PITCH_DEG = 10.0


class BackgroundVerticals:
    """Gathers a clip's upright lines, frame by frame (:meth:`update` on every frame, in order), and gives the
    first frame's turn (:meth:`roll_deg`). With ``sample_limit`` (a live camera, :data:`LIVE_SAMPLES`) it stops
    looking after that many sampled frames (:attr:`complete`)."""

    def __init__(self, fps: float, sample_limit: int | None = None) -> None:
        self._base_interval = max(1, round(SAMPLE_INTERVAL_S * fps))
        self.sample_limit = sample_limit
        self.reset()

    def reset(self) -> None:
        self._interval = self._base_interval
        self._frames_seen = 0
        self._samples_taken = 0
        self._samples: list[np.ndarray] = []  # per sampled frame: (N, 4) x0, y0, x1, y1 on the first picture, px
        self._reading: tuple[int, tuple | None] | None = None  # (samples taken, their upright_fit)
        self.picture_size_px: tuple[int, int] | None = None  # (width, height) of the frames seen

    @property
    def complete(self) -> bool:
        """Whether the sample limit is reached (never, without one)."""
        return self.sample_limit is not None and self._samples_taken >= self.sample_limit

    def update(self, frame_bgr: np.ndarray, body_boxes_px: list[np.ndarray],
               scene_from_image: np.ndarray | None = None) -> None:
        """Note this frame's upright segments if it is a sampled one. ``body_boxes_px``: everyone seen in it
        (x0, y0, x1, y1); ``scene_from_image``: its (2, 3) map onto the first frame's picture, where the camera
        is followed."""
        if self.picture_size_px is None:
            self.picture_size_px = (frame_bgr.shape[1], frame_bgr.shape[0])
        if self.complete:
            return
        sampled = self._frames_seen % self._interval == 0
        self._frames_seen += 1
        if not sampled:
            return
        segments = upright_segments(frame_bgr, body_boxes_px)
        if scene_from_image is not None and len(segments):
            segments = to_scene(segments.reshape(-1, 2), scene_from_image).reshape(-1, 4)
        self._samples.append(segments.astype(np.float32))
        self._samples_taken += 1
        if len(self._samples) > MAX_SAMPLES:
            self._samples = self._samples[::2]
            self._interval *= 2

    def roll_deg(self) -> float | None:
        """The first frame's turn (:func:`roll_from_segments`), or None where the lines do not tell it."""
        vanishing = self._vanishing_point()
        return None if vanishing is None else roll_from_vanishing(vanishing)

    def pitch_deg(self) -> float | None:
        """The first frame's pitch (:func:`pitch_from_fit`), or None where the lines do not tell it (none meet, the
        turn is not read, or they do not stand firmly on both sides of the picture)."""
        fit = self._fit()
        if fit is None or roll_from_vanishing(fit[0]) is None:
            return None
        return pitch_from_fit(*fit, self.picture_size_px)

    def _vanishing_point(self) -> np.ndarray | None:
        fit = self._fit()
        return None if fit is None else fit[0]

    def _fit(self) -> tuple[np.ndarray, np.ndarray] | None:
        """:func:`upright_fit` of the samples so far; found again only after new samples."""
        if self.picture_size_px is None or not self._samples:
            return None
        if self._reading is None or self._reading[0] != self._samples_taken:
            self._reading = (self._samples_taken, upright_fit(np.concatenate(self._samples), self.picture_size_px))
        return self._reading[1]


def upright_segments(frame_bgr: np.ndarray, body_boxes_px: list[np.ndarray]) -> np.ndarray:
    """(N, 4) the frame's straight segments within NEAR_VERTICAL_DEG of its columns and clear of the body boxes
    (x0, y0, x1, y1 full-size px, the SEGMENTS_PER_SAMPLE longest). OpenCV's line segment detector (LSD) finds
    them to a fraction of a pixel and rejects chance alignments; a Hough transform on Canny's edges was tried
    first and chained the texture of a floor mat into segments exactly along the pixel columns, which pulled
    every turn towards none."""
    height, width = frame_bgr.shape[:2]
    scale = min(1.0, WORK_SIDE_PX / max(height, width))
    grey = cv2.cvtColor(frame_bgr, cv2.COLOR_BGR2GRAY)
    if scale < 1.0:
        grey = cv2.resize(grey, (round(width * scale), round(height * scale)), interpolation=cv2.INTER_AREA)
    found = cv2.createLineSegmentDetector().detect(grey)[0]
    if found is None:
        return np.empty((0, 4))
    segments = found.reshape(-1, 4).astype(np.float64) / scale
    dx, dy = segments[:, 2] - segments[:, 0], segments[:, 3] - segments[:, 1]
    length = np.hypot(dx, dy)
    kept = ((length >= MIN_SEGMENT_SHARE * height)
            & (np.degrees(np.arctan2(np.abs(dx), np.abs(dy))) <= NEAR_VERTICAL_DEG))
    for box in body_boxes_px:
        x0, y0, x1, y1 = np.asarray(box, dtype=np.float64)
        pad_x, pad_y = BODY_MARGIN * (x1 - x0), BODY_MARGIN * (y1 - y0)
        for share in (0.0, 0.5, 1.0):  # the two ends and the middle
            x, y = segments[:, 0] + share * dx, segments[:, 1] + share * dy
            kept &= ~((x >= x0 - pad_x) & (x <= x1 + pad_x) & (y >= y0 - pad_y) & (y <= y1 + pad_y))
    longest = np.argsort(-length[kept], kind="stable")[:SEGMENTS_PER_SAMPLE]
    return segments[kept][longest]


def roll_from_segments(segments_px: np.ndarray, picture_size_px: tuple[int, int]) -> float | None:
    """The picture's turn in degrees from (N, 4) upright segments on it: the direction of the scene's upright
    (pointing down) measured from the picture's downward axis towards +x, so that rotating points by
    :func:`levelling_map` makes it the picture's own. None where :func:`upright_vanishing_point` finds none or
    the turn is over MAX_ROLL_DEG."""
    vanishing = upright_vanishing_point(segments_px, picture_size_px)
    return None if vanishing is None else roll_from_vanishing(vanishing)


def roll_from_vanishing(vanishing: np.ndarray) -> float | None:
    """The turn (:func:`roll_from_segments`) that the uprights' (3,) vanishing point shows; None past
    MAX_ROLL_DEG."""
    down = vanishing[:2] * (1.0 if vanishing[1] >= 0 else -1.0)
    roll_deg = float(np.degrees(np.arctan2(down[0], down[1])))
    return roll_deg if abs(roll_deg) <= MAX_ROLL_DEG else None


def pitch_from_fit(vanishing: np.ndarray, left_out: np.ndarray, picture_size_px: tuple[int, int]) -> float | None:
    """The phone's pitch (:func:`pitch_from_vanishing`) where the upright lines tell it firmly: fitted again with
    each place of them left out in turn (:func:`upright_fit`), most fits are still a point (a place that alone
    holds one side of the picture leaves a direction), and the pitches of those points agree to
    MAX_PITCH_ERROR_DEG (their jackknife standard error). None otherwise: a few trees and poles on a field, whose
    lines lean their own ways a degree or two, can fan as a pitched phone's uprights do."""
    pitch_deg = pitch_from_vanishing(vanishing, picture_size_px)
    without_each = [pitch_from_vanishing(point, picture_size_px) for point in left_out]
    spread = np.array([value for value in without_each if value is not None])
    if pitch_deg is None or len(spread) < max(2, len(without_each) / 2):
        return None
    error_deg = float(np.sqrt((len(spread) - 1) / len(spread) * np.sum((spread - spread.mean()) ** 2)))
    return pitch_deg if error_deg <= MAX_PITCH_ERROR_DEG else None


def pitch_from_vanishing(vanishing: np.ndarray, picture_size_px: tuple[int, int]) -> float | None:
    """The phone's pitch in degrees (positive: looking down) from the uprights' (3,) vanishing point
    (:func:`upright_vanishing_point`) and the assumed lens (:func:`assumed_focal_px`): the point lies a focal
    length / tan(pitch) from the picture's centre, below it when the phone looks down. None for a direction
    (lines on one side only tell no pitch)."""
    if vanishing[2] == 0.0:
        return None
    point = vanishing[:2] / vanishing[2]
    distance_px = float(np.hypot(*point)) * picture_size_px[1]
    return float(np.degrees(np.arctan2(assumed_focal_px(picture_size_px), distance_px)) * np.sign(point[1]))


def upright_vanishing_point(segments_px: np.ndarray, picture_size_px: tuple[int, int]) -> np.ndarray | None:
    """(3,) where the scene's upright lines meet, homogeneous (x, y, w) about the picture's centre in picture
    heights (w = 0: a direction), from (N, 4) upright segments on the picture; None where the segments are too
    few, lie in too few places, disagree, or meet too near (module docstring; :func:`upright_fit`)."""
    fit = upright_fit(segments_px, picture_size_px)
    return None if fit is None else fit[0]


def upright_fit(segments_px: np.ndarray, picture_size_px: tuple[int, int]) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`upright_vanishing_point`'s (3,) point, and (K, 3) the point fitted again to the same segments with
    each of the K places they lie in left out in turn: how much the point rests on any one place
    (:func:`pitch_from_fit`). None where there is no point.

    The vanishing point is chosen among candidates (each segment's own direction, and where two segments' lines
    meet far enough out) by the number of places across the picture whose segments point at it, then its
    length: one long line (a floor seam, a ceiling light seen in perspective) counts as one place however long
    it is, and however many frames it was seen on. It is then fitted to the segments that point at it: as a
    point where they lie on both sides of the picture's centre, else as a direction (a phone's pitch cannot be
    told from lines on one side only, and is then taken to be none)."""
    width, height = picture_size_px
    segments = np.asarray(segments_px, dtype=np.float64).reshape(-1, 4)
    if len(segments) < MIN_PLACES:
        return None
    centre = np.array([width / 2.0, height / 2.0])
    start, end = (segments[:, :2] - centre) / height, (segments[:, 2:] - centre) / height
    direction = end - start
    direction *= np.where(direction[:, 1:] < 0, -1.0, 1.0)  # every segment pointing down
    length = np.hypot(direction[:, 0], direction[:, 1])
    lines = np.cross(np.c_[start, np.ones(len(start))], np.c_[end, np.ones(len(end))])
    lines /= np.hypot(lines[:, 0], lines[:, 1])[:, None]
    middle = (start + end) / 2
    place = np.clip(np.floor((middle[:, 0] * height + centre[0]) / width * PLACES), 0, PLACES - 1).astype(int)
    in_place = np.eye(PLACES, dtype=np.float32)[place]  # (N, PLACES): which place each segment lies in

    def pointing_at(vanishing: np.ndarray) -> np.ndarray:
        """(..., N) bool: the segments whose line passes within INLIER_DEG of the (..., 3) vanishing points,
        seen from their middle."""
        towards = vanishing[..., None, :2] - middle * vanishing[..., None, 2:]
        cross = direction[:, 0] * towards[..., 1] - direction[:, 1] * towards[..., 0]
        sine = np.abs(cross) / (length * np.hypot(towards[..., 0], towards[..., 1]) + 1e-12)
        return sine <= np.sin(np.radians(INLIER_DEG))

    rng = np.random.default_rng(0)
    pairs = rng.integers(0, len(lines), size=(HYPOTHESES, 2))
    meeting = np.cross(lines[pairs[:, 0]], lines[pairs[:, 1]])
    along = np.c_[direction[rng.permutation(len(direction))[:HYPOTHESES]], np.zeros(min(HYPOTHESES, len(direction)))]
    nearest = assumed_focal_px(picture_size_px) / np.tan(np.radians(MAX_PITCH_DEG)) / height  # picture heights
    candidates = np.concatenate([along, meeting[_reach(meeting) >= nearest]])
    places_seen, support = [], []
    for block in np.array_split(candidates, max(1, len(candidates) // 256)):
        inlying = pointing_at(block)
        places_seen.append(((inlying.astype(np.float32) @ in_place) > 0).sum(axis=1))
        support.append(inlying @ length)
    best = np.lexsort((np.concatenate(support), np.concatenate(places_seen)))[-1]
    inlying = pointing_at(candidates[best])
    for _ in range(2):  # fitted to the segments that point at it, then to those that point at the fit
        if np.unique(place[inlying]).size < MIN_PLACES:
            return None
        vanishing = _fitted_vanishing(lines[inlying], length[inlying], middle[inlying, 0])
        inlying = pointing_at(vanishing)
    places_agreeing = np.unique(place[inlying]).size
    if (places_agreeing < max(MIN_PLACES, MIN_PLACE_SHARE * np.unique(place).size)
            or length[inlying].sum() < MIN_INLIER_SHARE * length.sum()
            or _reach(vanishing[None])[0] < nearest):
        return None
    places = np.unique(place[inlying])
    left_out = np.array([_fitted_vanishing(lines[kept], length[kept], middle[kept, 0])
                         for kept in (inlying & (place != left) for left in places)])
    return vanishing, left_out


def _fitted_vanishing(lines: np.ndarray, length: np.ndarray, middle_x: np.ndarray) -> np.ndarray:
    """(3,) the point (x, y, w) nearest to the (N, 3) lines, weighted by length (least squares); a direction
    (w = 0) where the lines do not lie on both sides of the picture's centre."""
    weighted = lines * np.sqrt(length)[:, None]
    if middle_x.min() < -SIDE_REACH and middle_x.max() > SIDE_REACH:
        return np.linalg.svd(weighted, full_matrices=False)[2][-1]
    upright = np.linalg.svd(weighted[:, :2], full_matrices=False)[2][-1]  # the direction across every normal
    return np.array([upright[0], upright[1], 0.0])


def levelling_map(roll_deg: float, picture_size_px: tuple[int, int]) -> np.ndarray:
    """(2, 3) the turn about the picture's centre that brings the scene's upright, ``roll_deg`` from the
    picture's downward axis (:func:`roll_from_segments`), onto the picture's columns."""
    width, height = picture_size_px
    turn = np.radians(roll_deg)
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    centre = np.array([width / 2.0, height / 2.0])
    return np.c_[rotation, centre - rotation @ centre]


def _reach(points: np.ndarray) -> np.ndarray:
    """(N,) how far homogeneous (N, 3) points lie from the picture's centre, in picture heights."""
    return np.hypot(points[:, 0], points[:, 1]) / np.maximum(np.abs(points[:, 2]), 1e-12)


def levelled_sentence(roll_deg: float | None, pitch_deg: float | None = None) -> str | None:
    """What the user is told where the analysis levelled a phone turned by NOTABLE_TURN_DEG or more (the turn
    read, :func:`roll_from_segments`), or stood the 3D along gravity for a phone pitched NOTABLE_PITCH_DEG or more
    (:func:`pitch_from_vanishing`); None where neither was."""
    turned = roll_deg is not None and abs(roll_deg) >= NOTABLE_TURN_DEG
    pitched = pitch_deg is not None and abs(pitch_deg) >= NOTABLE_PITCH_DEG
    if not (turned or pitched):
        return None
    direction = "down" if pitch_deg is not None and pitch_deg > 0 else "up"
    if turned and pitched:
        return (f"The phone was held about {abs(roll_deg):.0f}° off level and pitched {abs(pitch_deg):.0f}° "
                f"{direction} (read from the upright lines behind the child): the 3D and the drills read the picture "
                "levelled, the 3D standing along gravity.")
    if turned:
        return (f"The phone was held about {abs(roll_deg):.0f}° off level (read from the upright lines behind the "
                "child): the 3D and the drills read the picture levelled.")
    return (f"The phone was pitched about {abs(pitch_deg):.0f}° {direction} (read from the upright lines behind the "
            "child): the 3D stands along gravity, so the trunk lean is the body's, not the phone's.")


def levelled_suffix(settings: Mapping[str, object]) -> str:
    """:func:`levelled_sentence` of an analysis's settings (``settings.camera_roll_deg``,
    ``settings.camera_pitch_deg``) with a leading space, to follow a summary; "" where there is none."""
    sentence = levelled_sentence(settings.get(CAMERA_ROLL_SETTING), settings.get(CAMERA_PITCH_SETTING))
    return "" if sentence is None else f" {sentence}"


def levelled_maps(levelling: np.ndarray, scene_from_image: np.ndarray | None, frames: int) -> np.ndarray:
    """(T, 2, 3) each frame's pixels onto the first frame's picture, levelled: the (2, 3) ``levelling``
    (:func:`levelling_map`) after each frame's (T, 2, 3) ``scene_from_image`` (``epe.camera_motion``); the
    levelling alone where the camera was not followed (None, or a frame's NaN map)."""
    maps = np.broadcast_to(np.asarray(levelling, dtype=np.float64), (frames, 2, 3)).copy()
    if scene_from_image is not None:
        scene = np.asarray(scene_from_image, dtype=np.float64)
        followed = np.isfinite(scene).all(axis=(1, 2))
        maps[followed, :, :2] = levelling[:, :2] @ scene[followed, :, :2]
        maps[followed, :, 2] = scene[followed, :, 2] @ levelling[:, :2].T + levelling[:, 2]
    return maps

