"""Forward kinematics must be exact: hand-made chains whose answers are worked out by hand below."""

import numpy as np
import pytest

from stsp_app.mocap.forward_kinematics import euler_matrices, world_positions


def test_euler_matrices_multiply_in_listed_order():
    x = np.array([1.0, 0.0, 0.0])
    # Rx(90) @ Ry(90): Ry(90) takes x to -z, Rx(90) takes -z to +y.
    np.testing.assert_allclose(euler_matrices([90.0, 90.0], "XY") @ x, [0.0, 1.0, 0.0], atol=1e-12)
    # Ry(90) @ Rx(90): Rx leaves x alone, Ry(90) takes x to -z.
    np.testing.assert_allclose(euler_matrices([90.0, 90.0], "YX") @ x, [0.0, 0.0, -1.0], atol=1e-12)
    # Rz(90) takes x to y; a right-handed rotation.
    np.testing.assert_allclose(euler_matrices([90.0], "Z") @ x, [0.0, 1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(euler_matrices(np.zeros((4, 0)), ""), np.broadcast_to(np.eye(3), (4, 3, 3)))


def test_euler_matrices_reject_a_count_mismatch():
    with pytest.raises(ValueError):
        euler_matrices([1.0, 2.0], "XYZ")


def test_world_positions_of_a_three_joint_chain():
    parents = [-1, 0, 1]
    offsets = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0], [0.0, 5.0, 0.0]])
    local = np.broadcast_to(np.eye(3), (2, 3, 3, 3)).copy()
    local[1, 0] = euler_matrices([90.0], "Z")  # frame 1: the root turns 90 degrees about Z
    root = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, 3.0]])
    positions, rotations = world_positions(parents, offsets, local, root)
    np.testing.assert_allclose(positions[0], [[0, 0, 0], [10, 0, 0], [10, 5, 0]], atol=1e-9)
    # Rz(90): (10,0,0) -> (0,10,0) and (0,5,0) -> (-5,0,0).
    np.testing.assert_allclose(positions[1], [[1, 2, 3], [1, 12, 3], [-4, 12, 3]], atol=1e-9)
    np.testing.assert_allclose(rotations[1, 2], euler_matrices([90.0], "Z"), atol=1e-12)


def test_offsets_in_own_frame_turn_with_the_joint_itself():
    parents = [-1, 0]
    offsets = np.array([[0.0, 0.0, 0.0], [10.0, 0.0, 0.0]])
    local = np.stack([np.eye(3), euler_matrices([90.0], "Z")])[None]
    parent_frame, _ = world_positions(parents, offsets, local, np.zeros((1, 3)))
    own_frame, _ = world_positions(parents, offsets, local, np.zeros((1, 3)), offsets_in_own_frame=True)
    np.testing.assert_allclose(parent_frame[0, 1], [10, 0, 0], atol=1e-9)
    np.testing.assert_allclose(own_frame[0, 1], [0, 10, 0], atol=1e-9)


def test_world_positions_need_parents_first():
    with pytest.raises(ValueError):
        world_positions([-1, 2, 0], np.zeros((3, 3)), np.broadcast_to(np.eye(3), (1, 3, 3, 3)), np.zeros((1, 3)))
