"""Jumps built in the test: a 17-joint body filmed from the front (2D only), with ballistic flights at known
moments, for the vertical-jump and drop-jump tests."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from stsp_app.core.skeleton import JOINT_INDEX, NUM_JOINTS
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
    kp2d = np.ones((len(times), NUM_JOINTS, 3))
    for name, (height_mm, x_px) in STANDING.items():
        lift = ankle_mm if name in LEG_JOINTS else body_mm
        kp2d[:, JOINT_INDEX[name], 0] = x_px
        kp2d[:, JOINT_INDEX[name], 1] = FLOOR_Y_PX - (height_mm + lift) * PX_PER_MM
    if knee_valgus_px and takeoffs_s:
        after = times >= takeoffs_s[0] + flight_times_s[0]
        kp2d[after, JOINT_INDEX["right_knee"], 0] += knee_valgus_px
        kp2d[after, JOINT_INDEX["left_knee"], 0] -= knee_valgus_px
    frames = [SimpleNamespace(index=i, time_s=float(t), kp2d=kp2d[i], kp3d_mm=None, kp2d_raw33=None)
              for i, t in enumerate(times)]
    return Recording(motion=motion_series(frames), fps=fps, image_size_px=(1000, 1600), stature_mm=STATURE_MM)
