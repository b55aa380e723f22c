"""Jumps built in the test: a 17-joint body filmed from the front (2D only), with ballistic flights at known
moments, for the vertical-jump and drop-jump tests."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from stsp_app.core.skeleton import BLAZEPOSE_INDEX, JOINT_INDEX, NUM_BLAZEPOSE_LANDMARKS, NUM_JOINTS
from stsp_app.drills import Recording
from stsp_app.drills.flight import ANKLE_CONTACT_BAND_SHARE
from stsp_app.kinematics.motion_series import motion_series

GRAVITY_MM_S2 = 9806.65
STATURE_MM = 1500.0
PX_PER_MM = 0.5
FLOOR_Y_PX = 1500.0
# Standing height above the floor (mm) and image x (px) of each joint; head joint to ankles 1410 mm = 0.94 H.
STANDING = {
    "pelvis": (800, 500), "right_hip": (780, 460), "right_knee": (430, 460), "right_ankle": (60, 460),
    "left_hip": (780, 540), "left_knee": (430, 540), "left_ankle": (60, 540), "spine": (1000, 500),
    "thorax": (1200, 500), "neck_nose": (1300, 500), "head": (1470, 500), "left_shoulder": (1200, 580),
    "left_elbow": (950, 600), "left_wrist": (720, 605), "right_shoulder": (1200, 420), "right_elbow": (950, 400),
    "right_wrist": (720, 395),
}
LEG_JOINTS = ("right_ankle", "left_ankle")
# The ankle at toe-off and touch-down stands exactly at the drill's contact band above its standing height.
TOE_OFF_RISE_MM = ANKLE_CONTACT_BAND_SHARE * 1410.0


def jump_recording(takeoffs_s: list[float], flight_times_s: list[float], fps: float = 30.0,
                   duration_s: float = 4.0, knee_valgus_px: float = 0.0) -> Recording:
    """A body standing still that dips 150 mm, rises onto its toes over 0.15 s and flies on a ballistic arc for
    each (take-off, flight time); after landing it dips again and stands. ``knee_valgus_px`` moves both knees
    towards the midline after the first landing."""
    times = np.arange(int(round(duration_s * fps))) / fps
    body_mm = np.zeros_like(times)  # the upper body's rise above standing
    ankle_mm = np.zeros_like(times)
    for takeoff, flight in zip(takeoffs_s, flight_times_s):
        landing = takeoff + flight
        velocity = GRAVITY_MM_S2 * flight / 2.0
        dip = (times > takeoff - 0.65) & (times < takeoff - 0.15)
        body_mm[dip] -= 150.0 * np.sin(np.pi * (times[dip] - takeoff + 0.65) / 0.5)
        push = (times >= takeoff - 0.15) & (times < takeoff)
        rise = (times[push] - takeoff + 0.15) / 0.15 * TOE_OFF_RISE_MM
        body_mm[push] += rise
        ankle_mm[push] += rise
        air = (times >= takeoff) & (times < landing)
        arc = TOE_OFF_RISE_MM + velocity * (times[air] - takeoff) - 0.5 * GRAVITY_MM_S2 * (times[air] - takeoff) ** 2
        body_mm[air] += arc
        ankle_mm[air] += arc
        settle = (times >= landing) & (times < landing + 0.1)
        down = TOE_OFF_RISE_MM * (1.0 - (times[settle] - landing) / 0.1)
        body_mm[settle] += down - 100.0 * np.sin(np.pi * (times[settle] - landing) / 0.1)
        ankle_mm[settle] += down
    valgus_from_s = takeoffs_s[0] + flight_times_s[0] if knee_valgus_px and takeoffs_s else None
    return _filmed(times, body_mm, ankle_mm, fps, knee_valgus_px, valgus_from_s)


def box_drop_recording(drops_s: list[float], box_mm: float = 300.0, contact_s: float | None = 0.3,
                       rebound_flight_s: float = 0.4, fps: float = 30.0, duration_s: float = 4.0) -> Recording:
    """A body standing on a box ``box_mm`` high that steps off at each of ``drops_s`` (both feet at once, no rise
    first), falls freely, pointing its toes over 0.1 s (the ankle TOE_OFF_RISE_MM above the toe tips), until the
    toes touch the floor, lowers its heels over 0.1 s and bends its knees; with ``contact_s`` it rebounds after
    that long on the floor (onto its toes over the last 0.15 s) into a jump of ``rebound_flight_s``. 1.2 s after
    its last landing it climbs back onto the box over 1 s (a slow rise, no flight). Filmed from the front as
    :func:`jump_recording` films, with each foot's heel and toe (BlazePose's landmarks) as a video gives them."""
    times = np.arange(int(round(duration_s * fps))) / fps
    sole_mm = np.full_like(times, box_mm)  # the toe tips' height above the floor
    point_mm = np.zeros_like(times)        # the ankle's rise above the toe tips by pointing the foot
    dip_mm = np.zeros_like(times)          # the upper body's drop below standing over its ankles

    def during(start: float, length: float) -> np.ndarray:
        return (times >= start) & (times < start + length)

    def heels_down(start: float) -> None:
        touch = during(start, 0.1)
        point_mm[touch] = TOE_OFF_RISE_MM * (1.0 - (times[touch] - start) / 0.1)

    for drop in drops_s:
        # The ankle falls freely from where it stood on the box; the toes, pointed over 0.1 s, touch first.
        landing = drop + np.sqrt(2.0 * (box_mm - TOE_OFF_RISE_MM) / GRAVITY_MM_S2)
        fall = during(drop, landing - drop)
        point_mm[fall] = TOE_OFF_RISE_MM * np.minimum(1.0, (times[fall] - drop) / 0.1)
        sole_mm[fall] = box_mm - 0.5 * GRAVITY_MM_S2 * (times[fall] - drop) ** 2 - point_mm[fall]
        sole_mm[times >= landing] = 0.0
        heels_down(landing)
        last_landing = landing
        if contact_s is not None:
            takeoff = landing + contact_s
            bend = during(landing, contact_s)
            dip_mm[bend] = 150.0 * np.sin(np.pi * (times[bend] - landing) / contact_s)
            push = during(takeoff - 0.15, 0.15)
            point_mm[push] = (times[push] - takeoff + 0.15) / 0.15 * TOE_OFF_RISE_MM
            air = during(takeoff, rebound_flight_s)
            rise = times[air] - takeoff
            sole_mm[air] = GRAVITY_MM_S2 * (rebound_flight_s * rise - rise ** 2) / 2.0
            point_mm[air] = TOE_OFF_RISE_MM
            last_landing = takeoff + rebound_flight_s
            heels_down(last_landing)
        bend = during(last_landing, 0.4)
        dip_mm[bend] = 120.0 * np.sin(np.pi * (times[bend] - last_landing) / 0.4)
        climb = during(last_landing + 1.2, 1.0)
        sole_mm[climb] = box_mm * (times[climb] - last_landing - 1.2)
        sole_mm[times >= last_landing + 2.2] = box_mm
    ankle_mm = sole_mm + point_mm
    return _filmed(times, ankle_mm - dip_mm, ankle_mm, fps, feet_mm=(sole_mm, ankle_mm))


def _filmed(times: np.ndarray, body_mm: np.ndarray, ankle_mm: np.ndarray, fps: float, knee_valgus_px: float = 0.0,
            valgus_from_s: float | None = None,
            feet_mm: tuple[np.ndarray, np.ndarray] | None = None) -> Recording:
    """The 17-joint body of STANDING, its upper body lifted by ``body_mm`` and its ankles by ``ankle_mm``, filmed
    from the front (2D only); the knees moved ``knee_valgus_px`` towards the midline from ``valgus_from_s``; with
    ``feet_mm`` (the toe tips' and the heels' lift) each foot's toe and heel landmarks too."""
    kp2d = np.ones((len(times), NUM_JOINTS, 3))
    for name, (height_mm, x_px) in STANDING.items():
        lift = ankle_mm if name in LEG_JOINTS else body_mm
        kp2d[:, JOINT_INDEX[name], 0] = x_px
        kp2d[:, JOINT_INDEX[name], 1] = FLOOR_Y_PX - (height_mm + lift) * PX_PER_MM
    if knee_valgus_px and valgus_from_s is not None:
        after = times >= valgus_from_s
        kp2d[after, JOINT_INDEX["right_knee"], 0] += knee_valgus_px
        kp2d[after, JOINT_INDEX["left_knee"], 0] -= knee_valgus_px
    landmarks = None
    if feet_mm is not None:
        landmarks = np.full((len(times), NUM_BLAZEPOSE_LANDMARKS, 3), np.nan)
        for side in ("left", "right"):
            for name, lift_mm in zip(("foot_index", "heel"), feet_mm):
                landmarks[:, BLAZEPOSE_INDEX[f"{side}_{name}"]] = np.stack(
                    [kp2d[:, JOINT_INDEX[f"{side}_ankle"], 0], FLOOR_Y_PX - lift_mm * PX_PER_MM,
                     np.ones(len(times))], axis=1)
    frames = [SimpleNamespace(index=i, time_s=float(t), kp2d=kp2d[i], kp3d_mm=None,
                              kp2d_raw33=None if landmarks is None else landmarks[i])
              for i, t in enumerate(times)]
    return Recording(motion=motion_series(frames), fps=fps, image_size_px=(1000, 1600), stature_mm=STATURE_MM)
