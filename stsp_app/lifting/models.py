"""PyTorch models that lift 17 2D keypoints to root-relative 3D (metres, camera axes).

- ``GSR``: graph attention over the skeleton graph (paper Eq. 10-14) and a regression head.
- ``TMP``: cross-attention from the current frame's features to the encoded GSR poses of the previous tau
  frames (Eq. 17-18, 21); causal for live video. The offline variant also attends to the next frames.
- ``MLPLifter``: the single-frame baseline of Martinez et al. 2017.
- ``TCNLifter``: the temporal-convolution baseline of Pavllo et al. 2019 (VideoPose3D), 9 or 27 frames.

Every model takes normalised 2D features (``stsp_app.lifting.normalisation``): (..., 17, 3) = x, y, confidence.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from stsp_app.core.skeleton import BONES, NUM_JOINTS

INPUT_CHANNELS = 3  # x, y, confidence per joint


def skeleton_attention_mask() -> torch.Tensor:
    """(17, 17) additive mask: 0 where j is i itself or a skeleton neighbour of i (Eq. 10), -1e9 elsewhere."""
    allowed = torch.eye(NUM_JOINTS, dtype=torch.bool)
    for parent, child in BONES:
        allowed[parent, child] = True
        allowed[child, parent] = True
    return torch.where(allowed, torch.tensor(0.0), torch.tensor(-1e9))


class GraphAttentionLayer(nn.Module):
    """One GAT layer (Eq. 11-12) over the skeleton graph, with a residual connection and layer norm."""

    def __init__(self, dim: int):
        super().__init__()
        self.weight = nn.Linear(dim, dim, bias=False)  # W
        self.attention_self = nn.Parameter(torch.randn(dim) / math.sqrt(dim))  # first half of a
        self.attention_neighbour = nn.Parameter(torch.randn(dim) / math.sqrt(dim))  # second half of a
        self.norm = nn.LayerNorm(dim)
        self.register_buffer("mask", skeleton_attention_mask(), persistent=False)

    def forward(self, h: torch.Tensor) -> torch.Tensor:  # (B, 17, D)
        wh = self.weight(h)
        scores = (wh @ self.attention_self)[:, :, None] + (wh @ self.attention_neighbour)[:, None, :]
        alpha = torch.softmax(nn.functional.leaky_relu(scores, 0.2) + self.mask, dim=-1)
        return self.norm(h + nn.functional.elu(alpha @ wh))


class ResidualBlock(nn.Module):
    def __init__(self, dim: int, dropout: float):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(dim, dim), nn.LayerNorm(dim), nn.GELU(), nn.Dropout(dropout),
            nn.Linear(dim, dim), nn.LayerNorm(dim), nn.GELU(), nn.Dropout(dropout),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.layers(x)


class GSR(nn.Module):
    """2D features (B, 17, 3) -> (3D pose (B, 17, 3) in metres, frame feature (B, feature_dim))."""

    def __init__(self, hidden: int = 256, layers: int = 2, node_out: int = 32, feature_dim: int = 512,
                 dropout: float = 0.1):
        super().__init__()
        self.embed = nn.Linear(INPUT_CHANNELS, hidden)
        self.joint_embedding = nn.Parameter(torch.zeros(NUM_JOINTS, hidden))
        self.gat = nn.ModuleList(GraphAttentionLayer(hidden) for _ in range(layers))
        self.node_out = nn.Linear(hidden, node_out)
        # Phi_3D (Eq. 14): a regression network over all node features.
        self.head = nn.Sequential(
            nn.Linear(NUM_JOINTS * (node_out + INPUT_CHANNELS), feature_dim), nn.GELU(),
            ResidualBlock(feature_dim, dropout),
        )
        self.to_pose = nn.Linear(feature_dim, NUM_JOINTS * 3)
        self.feature_dim = feature_dim

    def forward(self, keypoints: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h = self.embed(keypoints) + self.joint_embedding
        for layer in self.gat:
            h = layer(h)
        nodes = torch.cat([self.node_out(h), keypoints], dim=-1).flatten(1)
        feature = self.head(nodes)
        pose = self.to_pose(feature).view(-1, NUM_JOINTS, 3)
        return pose, feature


class TMP(nn.Module):
    """Refines the current GSR pose with cross-attention to the GSR poses of neighbouring frames.

    The causal model (``future=0``, live video) sees the previous ``tau`` frames; the offline model also the
    next ``future`` frames. forward(feature_t (B, F), pose_t (B, 17, 3), context (B, tau + future, 17, 3) at
    ``context_offsets``, keypoints_window (B, tau + 1 + future, 17, 3): the normalised 2D input of the
    context frames and frame t, in time order) -> (filter weights (B, C, 17, 3), candidates (B, C, 17, 3),
    correction (B, 17, 3)); ``refined_poses`` turns a sequence of them into poses.

    The output is a learned temporal filter plus a correction: for each joint and axis, weights (summing to 1)
    over the window's C candidate poses, that the attended features choose. The candidates are the window's
    GSR poses and the same poses with x, y taken from their 2D keypoints (``image_plane_poses``). Weight on frame
    t's image-plane pose keeps what the camera saw (clean 2D); spread weights smooth (noisy 2D). A correction
    alone, as the paper's Phi_pred, smoothed clean and noisy input alike (docs/RESULTS.md).

    Each frame's weights are averaged with those of the frames at ``smoothing_offsets`` before they are applied
    (``refined_poses``): the candidates differ by centimetres, so weights that jitter from frame to frame put
    that jitter into the motion (docs/RESULTS.md). The offline model averages over ``weight_smoothing`` frames
    either side, the causal one over the ``weight_smoothing`` previous frames.
    """

    def __init__(self, tau: int = 5, future: int = 0, feature_dim: int = 512, dim: int = 256, heads: int = 4,
                 dropout: float = 0.1, weight_smoothing: int = 0):
        super().__init__()
        self.tau = tau
        self.future = future
        self.weight_smoothing = weight_smoothing
        self.heads = heads
        self.head_dim = dim // heads
        pose_size = NUM_JOINTS * 3
        self.feature_dim = feature_dim
        self.window_size = tau + future + 1
        # F_t: the frame feature, the current pose, its joints' 2D confidences and how much each joint shakes
        # across the window, in the GSR poses and in the image-plane poses.
        self.query_in = nn.Sequential(nn.Linear(feature_dim + pose_size + 3 * NUM_JOINTS, dim), nn.LayerNorm(dim))
        # Phi_enc: each neighbouring pose with its offset from the current one, plus its position in the window.
        self.encoder = nn.Sequential(nn.Linear(2 * pose_size, dim), nn.GELU(), nn.Linear(dim, dim), nn.LayerNorm(dim))
        self.time_embedding = nn.Parameter(torch.zeros(tau + future, dim))
        self.w_q = nn.Linear(dim, dim)
        self.w_k = nn.Linear(dim, dim)
        self.w_v = nn.Linear(dim, dim)
        self.w_o = nn.Linear(dim, dim)
        # Phi_pred (Eq. 21): the filter weights over the window's 2 x window_size candidate poses (through a
        # rank-64 bottleneck, which keeps the files small), starting close to frame t's image-plane pose alone
        # (what the camera saw), and a correction added to the filtered pose, starting at zero.
        self.filter_weights = nn.Sequential(nn.Linear(2 * dim, 64), nn.Linear(64, 2 * self.window_size * pose_size))
        nn.init.zeros_(self.filter_weights[1].weight)
        with torch.no_grad():
            self.filter_weights[1].bias.view(2 * self.window_size, pose_size)[self.window_size + tau] = 4.0
        self.predict = nn.Sequential(nn.Linear(2 * dim, dim), nn.GELU(), nn.Dropout(dropout), nn.Linear(dim, pose_size))
        nn.init.zeros_(self.predict[-1].weight)
        nn.init.zeros_(self.predict[-1].bias)

    @property
    def context_offsets(self) -> list[int]:
        """Frame offsets of the context poses, in order: -tau .. -1, then 1 .. future."""
        return context_offsets(self.tau, self.future)

    @property
    def smoothing_offsets(self) -> list[int]:
        """Frame offsets of the frames whose filter weights are averaged with frame t's (0 included)."""
        return list(range(-self.weight_smoothing, (self.weight_smoothing if self.future else 0) + 1))

    def forward(self, feature_t: torch.Tensor, pose_t: torch.Tensor, context: torch.Tensor,
                keypoints_window: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        batch = pose_t.shape[0]
        size = self.tau + self.future
        current = pose_t.flatten(1)
        others = context.flatten(2)
        window = torch.cat([context[:, :self.tau], pose_t[:, None], context[:, self.tau:]], dim=1)  # in time order
        image_plane = image_plane_poses(window, keypoints_window)
        confidence = keypoints_window[:, self.tau, :, 2]
        shake = torch.cat([_shake_m(window), _shake_m(image_plane)], dim=-1)
        query = self.query_in(torch.cat([feature_t, current, confidence, torch.log1p(100.0 * shake)], dim=-1))  # F_t
        z_context = self.encoder(torch.cat([others, others - current[:, None, :]], dim=-1)) + self.time_embedding
        head_dim = self.head_dim
        q = self.w_q(query).view(batch, self.heads, 1, head_dim)  # Eq. 17
        k = self.w_k(z_context).view(batch, size, self.heads, head_dim).transpose(1, 2)
        v = self.w_v(z_context).view(batch, size, self.heads, head_dim).transpose(1, 2)
        attention = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(head_dim), dim=-1)  # Eq. 18
        a_t = self.w_o((attention @ v).reshape(batch, -1))
        hidden = torch.cat([query, a_t], dim=-1)
        candidates = torch.cat([window, image_plane], dim=1)
        weights = torch.softmax(self.filter_weights(hidden).view(batch, 2 * self.window_size, NUM_JOINTS, 3), dim=1)
        return weights, candidates, self.predict(hidden).view(batch, NUM_JOINTS, 3)


def _shake_m(window: torch.Tensor) -> torch.Tensor:
    """How much each joint shakes across a window of poses (B, W, 17, 3): mean norm of its second differences."""
    second_difference = window[:, 2:] - 2.0 * window[:, 1:-1] + window[:, :-2]  # (torch.diff has no ONNX export)
    return torch.linalg.norm(second_difference, dim=-1).mean(dim=1)  # (B, 17)


def image_plane_poses(poses: torch.Tensor, keypoints: torch.Tensor) -> torch.Tensor:
    """The poses (..., 17, 3) with x, y replaced by their frames' 2D keypoints (..., 17, 3: normalised x, y,
    confidence), scaled onto the pose by least squares (weak perspective: x, y of a joint relative to the
    pelvis are proportional to its 2D offset); z stays the pose's.

    With exact 2D these follow the camera's view more closely than any lifter's x, y (docs/RESULTS.md); with
    noisy 2D they carry its noise. Joints without confidence get x, y = 0. The scale (metres per unit of
    normalised 2D, i.e. half the person's 2D box) is kept within 0-3 m.
    """
    xy, confidence = keypoints[..., :2], keypoints[..., 2:].clamp(0.0, 1.0)
    pose_xy = poses[..., :2] - poses[..., :1, :2]
    scale = ((confidence * pose_xy * xy).sum(dim=(-2, -1))
             / (confidence * xy * xy).sum(dim=(-2, -1)).clamp_min(1e-6)).clamp(0.0, 3.0)
    return torch.cat([scale[..., None, None] * xy, poses[..., 2:]], dim=-1)


def window_offsets(tau: int, future: int) -> list[int]:
    """Frame offsets of a TMP window, in time order: -tau .. future, frame t (0) included."""
    return list(range(-tau, future + 1))


def context_offsets(tau: int, future: int) -> list[int]:
    return list(range(-tau, 0)) + list(range(1, future + 1))


def context_window(poses: torch.Tensor, offsets: list[int], stride: int = 1) -> torch.Tensor:
    """(B, T, ...) per-frame poses (or other values) -> (B, T, len(offsets), ...): for frame t, those at
    t + offset*stride.

    Frames before the start repeat the first frame, frames after the end the last.
    """
    frames = poses.shape[1]
    index = (torch.arange(frames)[:, None] + torch.tensor(offsets)[None, :] * stride).clamp(0, frames - 1)
    return poses[:, index]


def refined_poses(weights: torch.Tensor, candidates: torch.Tensor, correction: torch.Tensor,
                  smoothing_offsets: list[int], stride: int = 1) -> torch.Tensor:
    """TMP's output over whole sequences (B, T, C, 17, 3), (B, T, C, 17, 3), (B, T, 17, 3) -> poses (B, T, 17, 3):
    each frame's candidates under its filter weights averaged over ``smoothing_offsets``, plus its correction.

    (The lifter does the same with numpy: ``stsp_app.lifting.lifter``.)
    """
    smoothed = context_window(weights, smoothing_offsets, stride).mean(dim=2)
    return (smoothed * candidates).sum(dim=2) + correction


def run_gsr_tmp(gsr: GSR, tmp: TMP, keypoints: torch.Tensor, stride: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """GSR then TMP over whole sequences (B, T, 17, 3) -> (GSR poses, TMP poses), each (B, T, 17, 3)."""
    batch, frames = keypoints.shape[:2]
    pose, feature = gsr(keypoints.reshape(batch * frames, NUM_JOINTS, INPUT_CHANNELS))
    pose = pose.view(batch, frames, NUM_JOINTS, 3)
    context = context_window(pose, tmp.context_offsets, stride)
    keypoints_window = context_window(keypoints, window_offsets(tmp.tau, tmp.future), stride)
    weights, candidates, correction = tmp(
        feature, pose.reshape(-1, NUM_JOINTS, 3),
        context.reshape(batch * frames, len(tmp.context_offsets), NUM_JOINTS, 3),
        keypoints_window.reshape(batch * frames, tmp.window_size, NUM_JOINTS, INPUT_CHANNELS))
    per_sequence = (batch, frames, -1, NUM_JOINTS, 3)
    refined = refined_poses(weights.view(per_sequence), candidates.view(per_sequence),
                            correction.view(batch, frames, NUM_JOINTS, 3), tmp.smoothing_offsets, stride)
    return pose, refined


class MLPLifter(nn.Module):
    """Martinez et al. 2017: linear 1024, two residual blocks, linear out; single frame (B, 17, 3) -> (B, 17, 3)."""

    def __init__(self, hidden: int = 1024, blocks: int = 2, dropout: float = 0.25):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(NUM_JOINTS * INPUT_CHANNELS, hidden), nn.GELU(),
            *(ResidualBlock(hidden, dropout) for _ in range(blocks)),
            nn.Linear(hidden, NUM_JOINTS * 3),
        )

    def forward(self, keypoints: torch.Tensor) -> torch.Tensor:
        return self.layers(keypoints.flatten(1)).view(-1, NUM_JOINTS, 3)


class TCNLifter(nn.Module):
    """VideoPose3D (Pavllo et al. 2019): dilated temporal convolutions, receptive field 3**levels frames.

    (B, receptive_field, 17, 3) centred on the frame to lift -> (B, 17, 3). Symmetric (sees future frames),
    as in the original.
    """

    def __init__(self, levels: int = 2, channels: int = 256, dropout: float = 0.25):
        super().__init__()
        self.receptive_field = 3 ** levels
        self.expand = nn.Sequential(nn.Conv1d(NUM_JOINTS * INPUT_CHANNELS, channels, 3), nn.BatchNorm1d(channels),
                                    nn.ReLU(), nn.Dropout(dropout))
        self.blocks = nn.ModuleList()
        self.dilations = [3 ** level for level in range(1, levels)]
        for dilation in self.dilations:
            self.blocks.append(nn.Sequential(
                nn.Conv1d(channels, channels, 3, dilation=dilation), nn.BatchNorm1d(channels), nn.ReLU(),
                nn.Dropout(dropout),
                nn.Conv1d(channels, channels, 1), nn.BatchNorm1d(channels), nn.ReLU(), nn.Dropout(dropout),
            ))
        self.shrink = nn.Conv1d(channels, NUM_JOINTS * 3, 1)

    def forward(self, keypoints: torch.Tensor) -> torch.Tensor:
        x = self.expand(keypoints.flatten(2).transpose(1, 2))
        for dilation, block in zip(self.dilations, self.blocks):
            trim = dilation
            x = x[:, :, trim:-trim] + block(x)
        return self.shrink(x)[:, :, 0].view(-1, NUM_JOINTS, 3)
