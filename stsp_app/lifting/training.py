"""Training of GSR, TMP and the baselines on views of shared/data/mocap/train, and their ONNX export.

Reproducible: every random draw comes from ``TrainingConfig.seed``; step counts (not wall-clock budgets) fix
how long each model trains, so the same command gives the same weights on the same CPU and thread count
(other CPUs or thread counts change float rounding, not the recipe).
"""

from __future__ import annotations

import gzip
import io
import logging
import math
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from stsp_app.core.atomic_write import atomic_path
from stsp_app.core.pose_alignment import joint_errors_mm, procrustes_align
from stsp_app.lifting.dataset import training_draw
from stsp_app.lifting.model_files import CONTEXT_OFFSETS_KEY, MODEL_NAMES, ONNX_FILE, SMOOTHING_OFFSETS_KEY
from stsp_app.lifting.losses import baseline_loss, gsr_loss, tmp_loss
from stsp_app.lifting.models import GSR, TMP, MLPLifter, TCNLifter, run_gsr_tmp
from stsp_app.lifting.noise import NoiseProfile

log = logging.getLogger(__name__)



@dataclass
class TrainingConfig:
    seed: int = 0
    threads: int = 1
    views_per_motion: int = 36  # 12 let the seed decide how people on a new rig are tilted (docs/RESULTS.md)
    clean_share: float = 0.3  # share of training views with clean 2D (the rest get EPE-like noise)
    # Training motions are played this much slower..faster than recorded (validation ones as recorded): the
    # training mocap is mostly everyday motion, slower than a kick or a sprint.
    speed_range: tuple[float, float] = (0.75, 1.5)
    # The offline TMP's training windows also take every 2nd frame (twice the speed, four times the
    # acceleration): views of clean, fast motion are rare in the training mocap, and without them TMP smooths a
    # kick's clean 2D as if it were noise (docs/RESULTS.md). GSR sees single frames, so this is TMP's alone.
    tmp_frame_steps: tuple[int, ...] = (1, 2)
    # The live (causal) TMP keeps windows at the played speed and the paper's loss weights (below): a causal
    # filter can smooth only by lagging, and with the offline settings it lagged (docs/RESULTS.md).
    causal_tmp_frame_steps: tuple[int, ...] = (1,)
    # Frames either side (offline) / before (causal) whose TMP filter weights are averaged with frame t's
    # (models.TMP): weights that jitter from frame to frame put their jitter into the motion (docs/RESULTS.md).
    tmp_weight_smoothing: int = 4
    causal_tmp_weight_smoothing: int = 2
    # Half the training views straighten the knees, and half the elbows, by up to this many degrees
    # (dataset.straighten_limbs): straight limbs are rare in the training mocap and every rig bends them its own way.
    limb_straightening_max_deg: float = 0.0
    validation_every_nth_motion: int = 8  # these motions (of mocap/train) only measure, never train
    gat_layers: int = 2
    hidden: int = 256
    feature_dim: int = 512
    gsr_dropout: float = 0.1
    tau: int = 5
    tmp_window: int = 8  # frames per TMP training window whose losses count (after tau history frames)
    batch_size: int = 256
    learning_rate: float = 1e-3
    gsr_steps: int = 6000
    tmp_steps: int = 3000
    mlp_steps: int = 6000
    tcn_steps: int = 4500
    beta_bone: float = 1.0
    beta_angle: float = 0.1
    beta_shape: float = 3.0  # GSR's scale-aligned MPJPE term (losses.gsr_loss)
    beta_direction: float = 0.0  # GSR's bone-direction term (losses.gsr_loss)
    beta_flexion: float = 0.5  # GSR's knee and elbow angle term (losses.flexion_loss)
    baseline_beta_shape: float = 0.0  # the same term for the MLP and TCN baselines (0: their papers' loss)
    gamma_velocity: float = 1.0  # offline TMP
    # 20, not 1: the offline TMP then keeps what the camera saw where the 2D is clean instead of trading the
    # motion's acceleration for a little position error (docs/RESULTS.md).
    gamma_acceleration: float = 20.0
    causal_gamma_velocity: float = 1.0
    causal_gamma_acceleration: float = 1.0
    models: tuple[str, ...] = MODEL_NAMES
    validation_batches: int = 20

    def scaled(self, factor: float) -> "TrainingConfig":
        """The same recipe with every step count multiplied by ``factor`` (short ablation runs, longer runs)."""
        values = asdict(self)
        for key in ("gsr_steps", "tmp_steps", "mlp_steps", "tcn_steps", "validation_batches"):
            values[key] = max(1, int(round(values[key] * factor)))
        values["models"] = tuple(self.models)
        values["speed_range"] = tuple(self.speed_range)
        values["tmp_frame_steps"] = tuple(self.tmp_frame_steps)
        values["causal_tmp_frame_steps"] = tuple(self.causal_tmp_frame_steps)
        return TrainingConfig(**values)


@dataclass
class SequenceSet:
    """Many variable-length sequences stored end to end; windows are gathered with clamped indices."""

    features: torch.Tensor  # (N, 17, 3) normalised 2D
    targets_m: torch.Tensor  # (N, 17, 3) root-relative camera-frame 3D, metres
    offsets: np.ndarray  # (S,) first row of each sequence
    lengths: np.ndarray  # (S,)

    @staticmethod
    def from_sequences(items: list[tuple[np.ndarray, np.ndarray]]) -> "SequenceSet":
        lengths = np.array([len(features) for features, _ in items])
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        return SequenceSet(
            torch.from_numpy(np.concatenate([f for f, _ in items])),
            torch.from_numpy(np.concatenate([t for _, t in items])),
            offsets,
            lengths,
        )

    @property
    def num_frames(self) -> int:
        return int(self.lengths.sum())

    def sample_windows(self, rng: np.random.Generator, batch: int, relative_frames: np.ndarray):
        """(batch, len(relative_frames), 17, 3) features and targets around random frames of random sequences."""
        row = rng.integers(self.num_frames, size=batch)
        sequence = np.searchsorted(self.offsets, row, side="right") - 1
        start = self.offsets[sequence]
        last = start + self.lengths[sequence] - 1
        index = np.clip(row[:, None] + relative_frames[None, :], start[:, None], last[:, None])
        index = torch.from_numpy(index)
        return self.features[index], self.targets_m[index]


@dataclass
class TrainedModels:
    modules: dict[str, torch.nn.Module] = field(default_factory=dict)
    validation_mpjpe_mm: dict[str, float] = field(default_factory=dict)
    validation_pmpjpe_mm: dict[str, float] = field(default_factory=dict)

    def validate(self, name: str, predict, data: "SequenceSet", relative_frames: np.ndarray, batches: int) -> None:
        errors = _validation_errors_mm(predict, data, relative_frames, batches)
        self.validation_mpjpe_mm[name], self.validation_pmpjpe_mm[name] = errors
    seconds: dict[str, float] = field(default_factory=dict)


def build_sequence_sets(motions: list, config: TrainingConfig, noise: NoiseProfile) -> tuple[SequenceSet, SequenceSet]:
    """Training and validation views of the motions (a list of ``stsp_app.mocap.Motion``)."""
    train_rng = np.random.default_rng(config.seed)
    validation_rng = np.random.default_rng([config.seed, 1])  # validation views do not depend on the training recipe
    train, validation = [], []
    for index, motion in enumerate(motions):
        held_back = index % config.validation_every_nth_motion == config.validation_every_nth_motion - 1
        for _ in range(config.views_per_motion):
            if held_back:
                view = training_draw(motion.joints_mm, motion.fps, validation_rng, noise, config.clean_share)
                validation.append((view.features(), view.root_relative_m()))
            else:
                view = training_draw(motion.joints_mm, motion.fps, train_rng, noise, config.clean_share,
                                     speed_range=config.speed_range,
                                     limb_straightening_max_deg=config.limb_straightening_max_deg)
                train.append((view.features(), view.root_relative_m()))
    train_set = SequenceSet.from_sequences(train)
    # Too few motions to hold any back (tiny test runs): validate on the training views.
    return train_set, SequenceSet.from_sequences(validation) if validation else train_set


def _optimiser(module: torch.nn.Module, config: TrainingConfig, steps: int):
    optimiser = torch.optim.AdamW(module.parameters(), lr=config.learning_rate, weight_decay=1e-4)
    warmup = max(1, steps // 50)

    def factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return 0.02 + 0.98 * 0.5 * (1.0 + math.cos(math.pi * (step - warmup) / max(1, steps - warmup)))

    return optimiser, torch.optim.lr_scheduler.LambdaLR(optimiser, factor)


def _fit(name: str, module: torch.nn.Module, steps: int, config: TrainingConfig, loss_of_batch) -> None:
    optimiser, schedule = _optimiser(module, config, steps)
    module.train()
    started = time.monotonic()
    for step in range(steps):
        loss = loss_of_batch()
        optimiser.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(module.parameters(), 5.0)
        optimiser.step()
        schedule.step()
        if step % 500 == 0 or step == steps - 1:
            log.info("%s step %d/%d loss %.4f (%.0f s)", name, step, steps, loss.item(), time.monotonic() - started)
    module.eval()


@torch.no_grad()
def _validation_errors_mm(predict, data: SequenceSet, relative_frames: np.ndarray, batches: int) -> tuple[float, float]:
    """(MPJPE, P-MPJPE) in mm of ``predict`` on random windows of held-back training motions; the target is
    relative frame 0."""
    rng = np.random.default_rng(12345)
    target_index = int(np.flatnonzero(relative_frames == 0)[0])
    errors, aligned_errors = [], []
    for _ in range(batches):
        features, targets = data.sample_windows(rng, 256, relative_frames)
        predicted, target = predict(features).numpy(), targets[:, target_index].numpy()
        errors.append(joint_errors_mm(predicted, target).mean())
        aligned_errors.append(joint_errors_mm(procrustes_align(predicted, target), target).mean())
    return 1000.0 * float(np.mean(errors)), 1000.0 * float(np.mean(aligned_errors))


def _restart_random(seed: int) -> np.random.Generator:
    """Seed torch (initial weights, dropout) and return the generator of training batches, for one model."""
    torch.manual_seed(seed)
    return np.random.default_rng(seed + 1)


def train_models(train: SequenceSet, validation: SequenceSet, config: TrainingConfig,
                 trained_gsr: GSR | None = None) -> TrainedModels:
    """Train the models of ``config.models`` in a fixed order; ``trained_gsr`` skips GSR training (TMP ablations).

    Every model starts its random draws (initial weights, dropout, batches) afresh from the seed, so a model
    trained alone (a TMP on a saved GSR, one baseline) gets the same weights as in a run that trains others
    before it.
    """
    torch.set_num_threads(config.threads)
    result = TrainedModels()
    single = np.array([0])

    def timed(name: str, work) -> None:
        started = time.monotonic()
        work()
        result.seconds[name] = round(time.monotonic() - started, 1)

    if trained_gsr is not None:
        gsr = trained_gsr.eval()
        result.modules["gsr"] = gsr
    elif {"gsr", "tmp", "tmp_offline"} & set(config.models):
        rng = _restart_random(config.seed)
        gsr = GSR(hidden=config.hidden, layers=config.gat_layers, feature_dim=config.feature_dim,
                  dropout=config.gsr_dropout)

        def gsr_batch(rng=rng):
            features, targets = train.sample_windows(rng, config.batch_size, single)
            return gsr_loss(gsr(features[:, 0])[0], targets[:, 0], config.beta_bone, config.beta_angle,
                            config.beta_shape, config.beta_direction, config.beta_flexion)

        timed("gsr", lambda: _fit("gsr", gsr, config.gsr_steps, config, gsr_batch))
        result.modules["gsr"] = gsr
        result.validate("gsr", lambda f: gsr(f[:, 0])[0], validation, single, config.validation_batches)

    causal = (0, config.causal_tmp_frame_steps, config.causal_gamma_velocity, config.causal_gamma_acceleration,
              config.causal_tmp_weight_smoothing)
    offline = (config.tau, config.tmp_frame_steps, config.gamma_velocity, config.gamma_acceleration,
               config.tmp_weight_smoothing)
    for name, (future, frame_steps, gamma_velocity, gamma_acceleration, smoothing) in (("tmp", causal),
                                                                                        ("tmp_offline", offline)):
        if name not in config.models:
            continue
        rng = _restart_random(config.seed)
        tmp = TMP(tau=config.tau, future=future, feature_dim=gsr.feature_dim, weight_smoothing=smoothing)
        for parameter in gsr.parameters():
            parameter.requires_grad_(False)
        # The config.tmp_window frames whose losses count, with what their poses depend on: the frames whose
        # filter weights they average, and those frames' tau frames of context before and `future` after.
        before, after = config.tau - min(tmp.smoothing_offsets), future + max(tmp.smoothing_offsets)
        window = np.arange(-(before + config.tmp_window) + 1, after + 1)
        scored = slice(before, before + config.tmp_window)

        def tmp_batch(tmp=tmp, window=window, scored=scored, rng=rng, frame_steps=frame_steps,
                      gammas=(gamma_velocity, gamma_acceleration)):
            frame_step = int(rng.choice(frame_steps))  # one speed-up per batch
            features, targets = train.sample_windows(rng, config.batch_size // 4, window * frame_step)
            _, refined = run_gsr_tmp(gsr, tmp, features)
            return tmp_loss(refined[:, scored], targets[:, scored], *gammas)

        timed(name, lambda: _fit(name, tmp, config.tmp_steps, config, tmp_batch))
        result.modules[name] = tmp
        context = np.arange(-2 * before, 2 * after + 1)
        centre = 2 * before
        result.validate("gsr+" + name, lambda f, tmp=tmp: run_gsr_tmp(gsr, tmp, f)[1][:, centre], validation,
                        context, config.validation_batches)

    if "mlp" in config.models:
        rng = _restart_random(config.seed)
        mlp = MLPLifter()

        def mlp_batch(rng=rng):
            features, targets = train.sample_windows(rng, config.batch_size, single)
            return baseline_loss(mlp(features[:, 0]), targets[:, 0], config.baseline_beta_shape)

        timed("mlp", lambda: _fit("mlp", mlp, config.mlp_steps, config, mlp_batch))
        result.modules["mlp"] = mlp
        result.validate("mlp", lambda f: mlp(f[:, 0]), validation, single, config.validation_batches)

    for name, levels in (("tcn9", 2), ("tcn27", 3)):
        if name not in config.models:
            continue
        rng = _restart_random(config.seed)
        tcn = TCNLifter(levels=levels)
        half = tcn.receptive_field // 2
        window = np.arange(-half, half + 1)

        def tcn_batch(tcn=tcn, window=window, half=half, rng=rng):
            features, targets = train.sample_windows(rng, config.batch_size, window)
            return baseline_loss(tcn(features), targets[:, half], config.baseline_beta_shape)

        timed(name, lambda: _fit(name, tcn, config.tcn_steps, config, tcn_batch))
        result.modules[name] = tcn
        result.validate(name, tcn, validation, window, config.validation_batches)
    return result


def export_onnx(modules: dict[str, torch.nn.Module], out_dir: Path) -> dict[str, Path]:
    """Write each trained model to ``out_dir/lifting_<name>.onnx`` (batch dimension dynamic); returns the paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, module in modules.items():
        module.eval()
        path = out_dir / ONNX_FILE[name]
        if name == "gsr":
            args, inputs, outputs = (torch.zeros(1, 17, 3),), ["keypoints"], ["pose_m", "feature"]
        elif name in ("tmp", "tmp_offline"):
            feature = torch.zeros(1, module.feature_dim)
            args = (feature, torch.zeros(1, 17, 3), torch.zeros(1, len(module.context_offsets), 17, 3),
                    torch.zeros(1, module.window_size, 17, 3))
            inputs = ["feature", "pose_m", "context_m", "keypoints_window"]
            outputs = ["filter_weights", "candidates_m", "correction_m"]
        elif name == "mlp":
            args, inputs, outputs = (torch.zeros(1, 17, 3),), ["keypoints"], ["pose_m"]
        else:
            args, inputs, outputs = (torch.zeros(1, module.receptive_field, 17, 3),), ["keypoints"], ["pose_m"]
        dynamic = {key: {0: "batch"} for key in inputs + outputs}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # the TorchScript exporter: no onnxscript needed
            torch.onnx.export(module, args, str(path), input_names=inputs, output_names=outputs,
                              dynamic_axes=dynamic, opset_version=17, dynamo=False)
        if name in ("tmp", "tmp_offline"):
            _write_frame_offsets(path, module.context_offsets, module.smoothing_offsets)
        written[name] = path
    return written


def _write_frame_offsets(path: Path, context_offsets: list[int], smoothing_offsets: list[int]) -> None:
    """Record in the ONNX file which frames its context input holds and whose filter weights are averaged, for
    the lifter."""
    import onnx

    model = onnx.load(str(path))
    for key, offsets in ((CONTEXT_OFFSETS_KEY, context_offsets), (SMOOTHING_OFFSETS_KEY, smoothing_offsets)):
        entry = model.metadata_props.add()
        entry.key, entry.value = key, ",".join(str(offset) for offset in offsets)
    with atomic_path(path) as temporary:
        onnx.save(model, str(temporary))


def save_checkpoint(modules: dict[str, torch.nn.Module], config: TrainingConfig, path: Path) -> None:
    """The PyTorch weights and config, gzip-compressed (7 % smaller: models/ stays within 20 MB)."""
    buffer = io.BytesIO()
    torch.save({"config": asdict(config), "state": {name: m.state_dict() for name, m in modules.items()}}, buffer)
    # mtime 0 and the destination's name in the header: the same weights give the same file.
    with atomic_path(path) as temporary, open(temporary, "wb") as raw, \
            gzip.GzipFile(filename=Path(path).name, mode="wb", fileobj=raw, mtime=0) as file:
        file.write(buffer.getvalue())


def load_checkpoint(path: Path) -> dict:
    """``{"config": ..., "state": {model name: state dict}}`` from a ``save_checkpoint`` file (or an uncompressed
    one, as written before 2026-11-24)."""
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip
        data = gzip.decompress(data)
    return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)


def load_gsr_checkpoint(path: Path) -> GSR:
    checkpoint = load_checkpoint(path)
    config = checkpoint["config"]
    gsr = GSR(hidden=config["hidden"], layers=config["gat_layers"], feature_dim=config["feature_dim"])
    gsr.load_state_dict(checkpoint["state"]["gsr"])
    return gsr.eval()
