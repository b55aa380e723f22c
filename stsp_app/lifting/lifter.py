"""Inference: 2D keypoints -> 3D joints (mm, pelvis-relative, camera axes x right, y down, z away) via ONNX Runtime.

``Lifter`` lifts a whole clip at once (offline, batched); ``LiveLifter`` lifts one frame at a time from a
webcam, keeping the GSR poses of the previous frames that TMP attends to. Both use the ONNX files written by
``stsp-coach train`` (shipped under models/). Models:
- ``gsr-tmp-offline`` (``Lifter``'s default): GSR, then the offline TMP over the previous and next tau frames;
- ``gsr-tmp`` (``LiveLifter``): GSR, then TMP over the previous tau frames (causal);
- ``gsr``: GSR alone; ``mlp``: the Martinez et al. baseline; ``tcn9``/``tcn27``: VideoPose3D baselines
  (symmetric windows; offline only).
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

import numpy as np

from stsp_app.core.onnx_options import onnx_session_options
from stsp_app.core.paths import REPO_MODELS_DIR
from stsp_app.core.skeleton import NUM_JOINTS
from stsp_app.errors import InputError, ModelsMissingError
from stsp_app.lifting.anthropometry import stature_mm as skeleton_stature_mm
from stsp_app.lifting.dataset import MODEL_FPS, mirror
from stsp_app.lifting.normalisation import normalise_keypoints
from stsp_app.lifting.model_files import (
    CONTEXT_OFFSETS_KEY, MODEL_CHOICES, OFFLINE_MODEL, ONNX_FILE, SMOOTHING_OFFSETS_KEY,
)

_ONNX_NAMES = {"gsr-tmp-offline": ("gsr", "tmp_offline"), "gsr-tmp": ("gsr", "tmp")}
GAP_RESET_S = 1.0  # after this long without a person, the temporal history starts afresh
# Frames lifted per model call: a video is lifted block by block, so the models' working memory stays the same
# for a 90-minute match as for a 10-second clip (about 80 MB). The poses do not depend on the block size: each
# block runs the models on exactly the frames its poses need (tests/test_lifting_lifter.py).
LIFT_BLOCK_FRAMES = 256


def _session(path: Path, threads: int):
    import onnxruntime as ort

    if not path.is_file():
        raise ModelsMissingError(f"{path} is missing; run `stsp-coach train` to make the lifting models")
    options = onnx_session_options(threads)
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _frame_offsets(tmp_session, key: str) -> np.ndarray:
    text = tmp_session.get_modelmeta().custom_metadata_map.get(key)
    if not text:
        raise ModelsMissingError(f"the TMP model lacks its {key}; rebuild it with `stsp-coach train`")
    return np.array([int(word) for word in text.split(",")])


def context_offsets(tmp_session) -> np.ndarray:
    """Frame offsets of the poses a TMP model attends to (at 30 fps), from its ONNX metadata."""
    return _frame_offsets(tmp_session, CONTEXT_OFFSETS_KEY)


def smoothing_offsets(tmp_session) -> np.ndarray:
    """Frame offsets (at 30 fps) of the frames whose TMP filter weights are averaged with frame t's."""
    return _frame_offsets(tmp_session, SMOOTHING_OFFSETS_KEY)


def _refined_poses(smoothed_weights: np.ndarray, candidates: np.ndarray, correction: np.ndarray) -> np.ndarray:
    """TMP's poses (N, 17, 3): candidates (N, C, 17, 3) under averaged filter weights (N, C, 17, 3), plus the
    correction (N, 17, 3); as ``stsp_app.lifting.models.refined_poses``."""
    return (smoothed_weights * candidates).sum(axis=1) + correction


def _frames_back(history: list, frames: int, current):
    """The entry ``frames`` frames before frame t in ``history`` (oldest first, frame t not in it), as the
    offline lifter's clamped windows give it: before there are that many, the oldest; ``current`` (frame t's)
    for 0 frames or an empty history."""
    return history[max(0, len(history) - frames)] if frames > 0 and history else current


def history_stride(fps: float) -> int:
    """Frames between the neighbouring poses TMP sees: the models were trained at MODEL_FPS."""
    return max(1, int(round(fps / MODEL_FPS)))


def _to_millimetres(poses_m: np.ndarray, stature_mm: float | np.ndarray) -> np.ndarray:
    """Model output (..., 17, 3) metres, pelvis near 0 -> mm with the pelvis exactly at 0, each pose scaled so
    that its skeleton's stature is ``stature_mm`` (one value, or one per pose)."""
    poses_mm = (poses_m - poses_m[..., :1, :]) * 1000.0
    factor = np.asarray(stature_mm, dtype=np.float64) / skeleton_stature_mm(poses_mm)
    return (poses_mm * factor[..., None, None]).astype(np.float32)


def _median_per_segment(values: np.ndarray, segment_start: np.ndarray) -> np.ndarray:
    """Each value replaced by the median of its segment (frames sharing a ``segment_start``)."""
    medians = np.empty_like(values)
    for start in np.unique(segment_start):
        in_segment = segment_start == start
        medians[in_segment] = np.median(values[in_segment])
    return medians


def _blocks(count: int) -> list[slice]:
    return [slice(first, min(first + LIFT_BLOCK_FRAMES, count)) for first in range(0, count, LIFT_BLOCK_FRAMES)]


def _rows(frames_run: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """The rows of ``frames`` in model outputs computed for ``frames_run`` (sorted frame numbers)."""
    return np.searchsorted(frames_run, frames)


class Lifter:
    """Offline lifting of a clip: ``lift_sequence(kp2d, fps, stature_mm=None)``."""

    def __init__(self, model: str = OFFLINE_MODEL, models_dir: Path = REPO_MODELS_DIR, threads: int = 1,
                 mirror_average: bool = True):
        if model not in MODEL_CHOICES:
            raise InputError(f"unknown lifting model {model!r}; choose one of {', '.join(MODEL_CHOICES)}")
        self.model = model
        self.mirror_average = mirror_average
        names = _ONNX_NAMES.get(model, (model,))
        self._sessions = {name: _session(Path(models_dir) / ONNX_FILE[name], threads) for name in names}
        self._tmp = self._sessions.get(names[-1]) if len(names) == 2 else None
        self.context_offsets = context_offsets(self._tmp) if self._tmp else np.zeros(0, dtype=int)
        self.smoothing_offsets = smoothing_offsets(self._tmp) if self._tmp else np.zeros(1, dtype=int)

    @property
    def tau(self) -> int:
        """Past frames TMP attends to (0 without TMP)."""
        return int((self.context_offsets < 0).sum())

    def lift_sequence(self, kp2d: np.ndarray, fps: float, stature_mm: float | None = None) -> np.ndarray:
        """(T, 17, 3) x_px, y_px, confidence (NaN rows: no person) -> (T, 17, 3) mm, NaN rows where no person.

        A person keeps one body size: every pose is scaled to ``stature_mm`` where it is known, else to the
        median stature the model gave the person over the clip (per segment: a long gap may bring another
        person; with TMP, the stature of GSR's poses, as TMP is trained on the shape only). Frame-to-frame size
        changes are the model's errors, not the child's.
        """
        kp2d = np.asarray(kp2d)
        if not np.issubdtype(kp2d.dtype, np.floating):
            kp2d = kp2d.astype(np.float64)
        if kp2d.ndim != 3 or kp2d.shape[1:] != (NUM_JOINTS, 3):
            raise InputError(f"expected 2D keypoints of shape (frames, {NUM_JOINTS}, 3), got {kp2d.shape}")
        if not fps > 0:
            raise InputError(f"frame rate must be positive, got {fps}")
        present = np.isfinite(kp2d).all(axis=-1) & (np.nan_to_num(kp2d[..., 2]) > 0)
        person = present.sum(axis=-1) >= 2
        out = np.full((len(kp2d), NUM_JOINTS, 3), np.nan, dtype=np.float32)
        frames = np.flatnonzero(person)
        if len(frames) == 0:
            return out
        features = np.empty((len(frames), NUM_JOINTS, 3), dtype=np.float32)
        for block in _blocks(len(frames)):  # frame by frame, in blocks: no whole-clip temporaries
            rows = frames[block]
            features[block] = normalise_keypoints(kp2d[rows, :, :2], np.where(present[rows], kp2d[rows, :, 2], 0.0))
        # Index of each kept frame's segment start: a gap longer than GAP_RESET_S starts a new segment.
        new_segment = np.concatenate([[True], np.diff(frames) > GAP_RESET_S * fps])
        segment_start = np.maximum.accumulate(np.where(new_segment, np.arange(len(frames)), 0))
        stride = history_stride(fps)
        poses_m, model_statures_mm = self._run(features, segment_start, stride)
        statures_mm = (_median_per_segment(model_statures_mm, segment_start) if stature_mm is None
                       else np.full(len(frames), float(stature_mm)))
        for block in _blocks(len(frames)):
            out[frames[block]] = _to_millimetres(poses_m[block], statures_mm[block])
        return out

    def _run(self, features: np.ndarray, segment_start: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
        """(the model's poses, (frames, 17, 3) m; the stature in mm of the poses the person's size is guessed
        from, one per frame), block by block; with ``mirror_average``, each pose averaged with the pose of the
        mirror image, which cancels the models' left/right biases (docs/lifting.md)."""
        neighbours = _Neighbours(segment_start, stride)
        poses = np.empty((len(features), NUM_JOINTS, 3), dtype=np.float32)
        statures_mm = np.empty(len(features), dtype=np.float64)
        for block in _blocks(len(features)):
            rows = np.arange(block.start, block.stop)
            pose, sized = self._run_block(features, rows, neighbours, mirrored=False)
            if self.mirror_average:
                mirrored_pose, mirrored_sized = self._run_block(features, rows, neighbours, mirrored=True)
                pose = 0.5 * (pose + mirror(mirrored_pose))
                sized = 0.5 * (sized + mirror(mirrored_sized))
            poses[rows], statures_mm[rows] = pose, skeleton_stature_mm(sized) * 1000.0
        return poses, statures_mm

    def _run_block(self, features: np.ndarray, rows: np.ndarray, neighbours: _Neighbours,
                   mirrored: bool) -> tuple[np.ndarray, np.ndarray]:
        """The poses of ``rows`` (of the person, or of their mirror image). Each model runs on exactly the frames
        these poses need (TMP's filter weights of the frames they are averaged over, GSR's poses of the frames
        TMP attends to), so the result does not depend on the block size."""
        def inputs(index: np.ndarray) -> np.ndarray:
            return mirror(features[index]) if mirrored else features[index]

        if "gsr" not in self._sessions:
            session = self._sessions[self.model]
            if self.model == "mlp":
                pose = session.run(None, {"keypoints": inputs(rows)})[0]
            else:
                half = int(session.get_inputs()[0].shape[1]) // 2
                pose = session.run(None, {"keypoints": inputs(neighbours.of(rows, np.arange(-half, half + 1)))})[0]
            return pose, pose
        if self._tmp is None:
            pose = self._sessions["gsr"].run(None, {"keypoints": inputs(rows)})[0]
            return pose, pose
        tmp_frames = np.unique(neighbours.of(rows, self.smoothing_offsets))
        context_index = neighbours.of(tmp_frames, self.context_offsets)
        gsr_frames = np.unique(np.concatenate([tmp_frames, context_index.ravel()]))
        pose, feature = self._sessions["gsr"].run(None, {"keypoints": inputs(gsr_frames)})
        window_offsets = np.sort(np.append(self.context_offsets, 0))  # frame t among its neighbours
        weights, candidates, correction = self._tmp.run(None, {
            "feature": feature[_rows(gsr_frames, tmp_frames)], "pose_m": pose[_rows(gsr_frames, tmp_frames)],
            "context_m": pose[_rows(gsr_frames, context_index)],
            "keypoints_window": inputs(neighbours.of(tmp_frames, window_offsets))})
        smoothed = weights[_rows(tmp_frames, neighbours.of(rows, self.smoothing_offsets))].mean(axis=1)
        refined = _refined_poses(smoothed, candidates[_rows(tmp_frames, rows)], correction[_rows(tmp_frames, rows)])
        return refined, pose[_rows(gsr_frames, rows)]


class _Neighbours:
    """Which frames a frame's model inputs come from: neighbours at given offsets (in model frames, times the
    stride), clamped to the frame's own segment (a long gap starts a new one)."""

    def __init__(self, segment_start: np.ndarray, stride: int) -> None:
        starts = np.unique(segment_start)
        ends = np.append(starts[1:], len(segment_start)) - 1
        self.segment_start = segment_start
        self.segment_end = ends[np.searchsorted(starts, segment_start)]
        self.stride = stride

    def of(self, rows: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """(len(rows), len(offsets)) frame indices."""
        index = rows[:, None] + np.asarray(offsets)[None, :] * self.stride
        return np.clip(index, self.segment_start[rows][:, None], self.segment_end[rows][:, None])


class LiveLifter:
    """Causal frame-by-frame GSR+TMP for live video: ``push(kp2d_17x3 or None) -> (17, 3) mm or None``."""

    def __init__(self, fps: float = 30.0, stature_mm: float | None = None, models_dir: Path = REPO_MODELS_DIR,
                 threads: int = 1, mirror_average: bool = True):
        self._gsr = _session(Path(models_dir) / ONNX_FILE["gsr"], threads)
        self._tmp = _session(Path(models_dir) / ONNX_FILE["tmp"], threads)
        offsets = context_offsets(self._tmp)
        self._smoothing_offsets = smoothing_offsets(self._tmp)
        if (offsets >= 0).any() or (self._smoothing_offsets > 0).any():
            raise ModelsMissingError("the live TMP model must be causal (it attends to future frames)")
        self.tau = len(offsets)
        self.mirror_average = mirror_average
        self.stride = history_stride(fps)
        self.stature_mm = stature_mm
        self._max_missing = int(round(GAP_RESET_S * fps))
        # (GSR pose, 2D features) of the previous frames, for TMP's window; their TMP filter weights, to average
        self._past: deque[tuple[np.ndarray, np.ndarray]] = deque(maxlen=self.tau * self.stride)
        self._past_weights: deque[np.ndarray] = deque(maxlen=max(1, -int(self._smoothing_offsets.min()) * self.stride))
        self._statures: deque[float] = deque(maxlen=300)
        self._missing = 0

    def reset(self) -> None:
        self._past.clear()
        self._past_weights.clear()
        self._statures.clear()
        self._missing = 0

    def push(self, kp2d: np.ndarray | None) -> np.ndarray | None:
        """The 3D pose (17, 3) mm of this frame's person, or None where there is none (``kp2d`` None or empty)."""
        if kp2d is not None:
            kp2d = np.asarray(kp2d, dtype=np.float64)
            present = np.isfinite(kp2d).all(axis=-1) & (np.nan_to_num(kp2d[:, 2]) > 0)
        if kp2d is None or present.sum() < 2:
            self._missing += 1
            if self._missing > self._max_missing:
                self.reset()
            return None
        self._missing = 0
        features = normalise_keypoints(kp2d[None, :, :2], np.where(present, kp2d[:, 2], 0.0)[None])
        if self.mirror_average:  # the person and its mirror image as a batch of 2, each with its own history
            features = np.concatenate([features, mirror(features)])
        pose, feature = self._gsr.run(None, {"keypoints": features})
        # Every stride-th earlier frame, oldest first.
        past = list(self._past)
        picks = [_frames_back(past, k * self.stride, (pose, features)) for k in range(self.tau, 0, -1)]
        history = np.stack([picked_pose for picked_pose, _ in picks], axis=1).astype(np.float32)
        keypoints_window = np.stack([picked for _, picked in picks] + [features], axis=1).astype(np.float32)
        weights, candidates, correction = self._tmp.run(None, {
            "feature": feature, "pose_m": pose, "context_m": history, "keypoints_window": keypoints_window})
        past_weights = list(self._past_weights)  # the weights of the frames at the (negative) smoothing offsets
        smoothed = np.mean([_frames_back(past_weights, -offset * self.stride, weights)
                            for offset in self._smoothing_offsets], axis=0)
        refined = _refined_poses(smoothed, candidates, correction)
        self._past.append((pose, features))
        self._past_weights.append(weights)
        if self.mirror_average:
            refined = 0.5 * (refined[:1] + mirror(refined[1:]))
        # One body size, as offline: the known stature, else the median of GSR's for this person so far.
        self._statures.append(float(np.mean(skeleton_stature_mm(pose))) * 1000.0)
        return _to_millimetres(refined[0], self.stature_mm or float(np.median(self._statures)))
