"""Angles, angular velocities and events from the 2D and 3D poses: what every chart and drill metric reads.

Entry point: :func:`stsp_app.kinematics.motion_series.motion_series` turns an analysis's frames into arrays
with the joint angles and the jitter trace.
"""
