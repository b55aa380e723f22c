"""``stsp-coach train``: train the lifting models on shared/data/mocap/train and export them to ONNX.

With the defaults it reproduces the shipped models/lifting_gsr.onnx and models/lifting_tmp.onnx and their
manifest, models/lifting_manifest.json (how they were made: data, seed, settings, steps, commit, time, hashes).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from stsp_app.core.atomic_write import write_text_atomic
from stsp_app.lifting.model_files import MANIFEST_FILE, MODEL_NAMES, SHIPPED_MODELS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "train", help="train the 2D->3D lifting models (GSR, TMP, baselines) on mocap/train",
        description="Trains on virtual-camera views of shared/data/mocap/train (never the evaluation data) with a "
                    "fixed seed and writes lifting_<model>.onnx files and lifting_manifest.json to --out.",
    )
    parser.add_argument("--data", type=Path, help="training mocap folder (default: shared data mocap/train)")
    parser.add_argument("--out", type=Path, help="output folder (default: the repository's models/)")
    parser.add_argument("--models", default=",".join(SHIPPED_MODELS),
                        help=f"comma-separated, from {','.join(MODEL_NAMES)} "
                             f"(default {','.join(SHIPPED_MODELS)}: the shipped ones)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--steps-scale", type=float, default=1.0,
                        help="multiply every step count (e.g. 0.3 for short ablation runs, 3 for a longer run)")
    parser.add_argument("--tau", type=int, default=5, help="TMP window: previous frames attended to (default 5)")
    parser.add_argument("--gat-layers", type=int, default=2, help="GAT layers of GSR (default 2)")
    parser.add_argument("--feature-dim", type=int, default=512,
                        help="width of GSR's regression head and frame feature (default 512)")
    parser.add_argument("--gsr-dropout", type=float, default=0.1,
                        help="dropout in GSR's regression head (default 0.1)")
    parser.add_argument("--shape-loss-weight", type=float, default=3.0,
                        help="weight of GSR's scale-aligned MPJPE loss term (default 3; 0 = the paper's loss)")
    parser.add_argument("--direction-loss-weight", type=float, default=0.0,
                        help="GSR's bone-direction loss weight (default 0)")
    parser.add_argument("--flexion-loss-weight", type=float, default=0.5,
                        help="GSR's knee and elbow angle loss weight (default 0.5; 0 = the recipe before it)")
    parser.add_argument("--baseline-shape-loss-weight", type=float, default=0.0,
                        help="the same term for the MLP and TCN baselines (default 0: their papers' MPJPE loss)")
    parser.add_argument("--tmp-loss-weights", default="1,20", metavar="VELOCITY,ACCELERATION",
                        help="weights of the offline TMP's velocity and acceleration losses (Eq. 22's gamma1, "
                             "gamma2; default 1,20)")
    parser.add_argument("--causal-tmp-loss-weights", default="1,1", metavar="VELOCITY,ACCELERATION",
                        help="the same for the causal (live) TMP (default 1,1)")
    parser.add_argument("--views", type=int, default=36, help="virtual-camera views per motion (default 36)")
    parser.add_argument("--limb-straightening", type=float, default=0.0, metavar="DEG",
                        help="half the training views straighten the knees, half the elbows, by up to DEG "
                             "degrees (default 0: never)")
    parser.add_argument("--speeds", default="0.75,1.5", metavar="SLOWEST,FASTEST",
                        help="play each training view at a random speed in this range (default 0.75,1.5; "
                             "1,1 = as recorded)")
    parser.add_argument("--tmp-frame-steps", default="1,2", metavar="STEP[,STEP...]",
                        help="the offline TMP's training windows take every STEP-th frame, one STEP drawn per "
                             "batch (default 1,2: as played and twice as fast)")
    parser.add_argument("--causal-tmp-frame-steps", default="1", metavar="STEP[,STEP...]",
                        help="the same for the causal (live) TMP (default 1)")
    parser.add_argument("--tmp-weight-smoothing", type=int, default=4, metavar="FRAMES",
                        help="the offline TMP averages each frame's filter weights with those of FRAMES frames "
                             "either side (default 4; 0 = none)")
    parser.add_argument("--causal-tmp-weight-smoothing", type=int, default=2, metavar="FRAMES",
                        help="the causal (live) TMP, with those of the FRAMES previous frames (default 2)")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads (default 1: the same weights need the same thread count)")
    parser.add_argument("--gsr-checkpoint", type=Path,
                        help="start from this trained GSR (a lifting_torch.pt) instead of training one: TMP ablations")
    parser.add_argument("--save-checkpoint", action="store_true",
                        help="also write the PyTorch weights to lifting_torch.pt in --out (not shipped)")
    parser.add_argument("--noise-profile", type=Path, help="EPE noise profile (default models/epe_noise_profile.json)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import hashlib
    import json
    import logging
    import time

    from stsp_app.core.paths import REPO_DIR, REPO_MODELS_DIR, shared_data_dir
    from stsp_app.errors import InputError, UserFacingError
    from stsp_app.lifting.noise import load_profile
    try:
        from stsp_app.lifting.training import (
            TrainingConfig, build_sequence_sets, export_onnx, load_gsr_checkpoint, save_checkpoint, train_models,
        )
    except ModuleNotFoundError as error:
        if error.name != "torch":
            raise
        raise UserFacingError("training needs torch, which the installed app leaves out: train from a Python "
                              "set-up (bash packaging/setup.sh, then .venv/bin/stsp-coach train)") from error
    from stsp_app.mocap import iter_motions

    log = logging.getLogger("stsp_app.train")
    data_dir = (args.data or shared_data_dir() / "mocap" / "train").resolve()
    evaluation_dirs = [(shared_data_dir() / "mocap" / "eval").resolve(), (shared_data_dir() / "eval").resolve()]
    if any(data_dir == d or d in data_dir.parents or data_dir in d.parents for d in evaluation_dirs):
        raise InputError(f"{data_dir} holds evaluation data: train only on shared/data/mocap/train")
    if not data_dir.is_dir():
        raise InputError(f"training data folder not found: {data_dir}")
    models = tuple(name.strip() for name in args.models.split(",") if name.strip())
    unknown = sorted(set(models) - set(MODEL_NAMES))
    if unknown or not models:
        raise InputError(f"unknown model(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(MODEL_NAMES)}")
    if min(args.tau, args.gat_layers, args.views, args.feature_dim) < 1 or args.steps_scale <= 0:
        raise InputError("--tau, --gat-layers, --views and --feature-dim must be at least 1 and --steps-scale "
                         "positive")
    if not 0.0 <= args.gsr_dropout < 1.0:
        raise InputError(f"--gsr-dropout must be in [0, 1), got {args.gsr_dropout}")
    try:
        speed_range = tuple(float(word) for word in args.speeds.split(","))
    except ValueError:
        speed_range = ()
    if len(speed_range) != 2 or not 0 < speed_range[0] <= speed_range[1]:
        raise InputError(f"--speeds wants SLOWEST,FASTEST with 0 < SLOWEST <= FASTEST, got {args.speeds!r}")
    gamma_velocity, gamma_acceleration = _loss_weights(args.tmp_loss_weights, "--tmp-loss-weights")
    causal_gammas = _loss_weights(args.causal_tmp_loss_weights, "--causal-tmp-loss-weights")
    tmp_frame_steps = _frame_steps(args.tmp_frame_steps, "--tmp-frame-steps")
    causal_tmp_frame_steps = _frame_steps(args.causal_tmp_frame_steps, "--causal-tmp-frame-steps")
    if min(args.tmp_weight_smoothing, args.causal_tmp_weight_smoothing) < 0:
        raise InputError("--tmp-weight-smoothing and --causal-tmp-weight-smoothing want a number of frames >= 0")
    out_dir = (args.out or REPO_MODELS_DIR).resolve()

    config = TrainingConfig(seed=args.seed, threads=args.threads, tau=args.tau, gat_layers=args.gat_layers,
                            feature_dim=args.feature_dim, gsr_dropout=args.gsr_dropout,
                            views_per_motion=args.views, models=models,
                            limb_straightening_max_deg=args.limb_straightening,
                            speed_range=speed_range, tmp_frame_steps=tmp_frame_steps,
                            causal_tmp_frame_steps=causal_tmp_frame_steps,
                            tmp_weight_smoothing=args.tmp_weight_smoothing,
                            causal_tmp_weight_smoothing=args.causal_tmp_weight_smoothing, gamma_velocity=gamma_velocity,
                            gamma_acceleration=gamma_acceleration, causal_gamma_velocity=causal_gammas[0],
                            causal_gamma_acceleration=causal_gammas[1], beta_shape=args.shape_loss_weight,
                            beta_direction=args.direction_loss_weight, beta_flexion=args.flexion_loss_weight,
                            baseline_beta_shape=args.baseline_shape_loss_weight)
    config = config.scaled(args.steps_scale)
    commit, dirty = _source_version(REPO_DIR)  # before training: the code that makes the weights
    started = time.monotonic()
    motions = list(iter_motions(data_dir))
    if not motions:
        raise InputError(f"{data_dir}: holds no motion files")
    profile = load_profile(args.noise_profile)
    log.info("%d motions from %s; noise profile: %s", len(motions), data_dir, profile.source)
    train, validation = build_sequence_sets(motions, config, profile)
    log.info("%d training frames, %d validation frames (%.0f s)", train.num_frames, validation.num_frames,
             time.monotonic() - started)
    trained_gsr = None
    if args.gsr_checkpoint is not None:
        if not args.gsr_checkpoint.is_file():
            raise InputError(f"GSR checkpoint not found: {args.gsr_checkpoint}")
        trained_gsr = load_gsr_checkpoint(args.gsr_checkpoint)
    trained = train_models(train, validation, config, trained_gsr)
    written = export_onnx(trained.modules, out_dir)
    if args.save_checkpoint:
        save_checkpoint(trained.modules, config, out_dir / "lifting_torch.pt")

    def sha256(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    data_files = sorted(p for p in data_dir.rglob("*") if p.is_file())
    manifest = {
        "command": "stsp-coach train " + " ".join(_option_words(args)),
        "data_dir": _portable(data_dir, shared_data_dir().resolve(), "<shared data>"),
        "data_files": {str(p.relative_to(data_dir)): sha256(p) for p in data_files},
        "motions": len(motions),
        "training_frames": train.num_frames,
        "validation_frames": validation.num_frames,
        "noise_profile": _portable(Path(profile.source), REPO_DIR, "<repository>") if Path(profile.source).is_file()
        else profile.source,
        "config": {k: (list(v) if isinstance(v, tuple) else v) for k, v in vars(config).items()},
        "validation_mpjpe_mm": {k: round(v, 2) for k, v in trained.validation_mpjpe_mm.items()},
        "validation_pmpjpe_mm": {k: round(v, 2) for k, v in trained.validation_pmpjpe_mm.items()},
        "train_seconds": trained.seconds,
        "total_seconds": round(time.monotonic() - started, 1),
        "commit": commit,
        "uncommitted_source_changes": dirty,
        "outputs": {path.name: sha256(path) for path in written.values()},
    }
    manifest_path = out_dir / MANIFEST_FILE
    write_text_atomic(manifest_path, json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {', '.join(p.name for p in written.values())} and {manifest_path.name} to {out_dir} "
          f"in {manifest['total_seconds']:.0f} s; validation MPJPE (mm): {manifest['validation_mpjpe_mm']}, "
          f"P-MPJPE: {manifest['validation_pmpjpe_mm']}")
    return 0


def _loss_weights(text: str, option: str) -> tuple[float, float]:
    from stsp_app.errors import InputError

    try:
        velocity, acceleration = (float(word) for word in text.split(","))
    except ValueError:
        raise InputError(f"{option} wants VELOCITY,ACCELERATION, got {text!r}") from None
    return velocity, acceleration


def _frame_steps(text: str, option: str) -> tuple[int, ...]:
    from stsp_app.errors import InputError

    try:
        steps = tuple(int(word) for word in text.split(","))
    except ValueError:
        steps = ()
    if not steps or min(steps) < 1:
        raise InputError(f"{option} wants whole numbers of at least 1, got {text!r}")
    return steps


def _option_words(args: argparse.Namespace) -> list[str]:
    words = []
    for key, value in sorted(vars(args).items()):
        if key in ("handler", "command", "verbose") or value is None or value is False:
            continue
        words.append(f"--{key.replace('_', '-')}" + ("" if value is True else f" {value}"))
    return words


def _portable(path: Path, base: Path, label: str) -> str:
    """``path`` relative to ``base`` (written as ``label/...``) where it lies inside it, so manifests do not
    depend on where the checkout is."""
    try:
        return f"{label}/{path.resolve().relative_to(base.resolve())}"
    except ValueError:
        return str(path)


def _source_version(repo_dir: Path) -> tuple[str, bool | None]:
    """(commit, whether stsp_app has uncommitted changes) of the checkout, or ("unknown", None) without git."""
    import subprocess

    try:
        commit = subprocess.run(["git", "-C", str(repo_dir), "rev-parse", "HEAD"], capture_output=True, text=True,
                                check=True).stdout.strip()
        dirty = bool(subprocess.run(["git", "-C", str(repo_dir), "status", "--porcelain", "stsp_app"],
                                    capture_output=True, text=True, check=True).stdout.strip())
    except (OSError, subprocess.CalledProcessError):
        return "unknown", None
    return commit, dirty
