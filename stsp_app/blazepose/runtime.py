"""A small ONNX Runtime session wrapper that picks the execution provider that can really run.

``onnxruntime-gpu`` lists CUDAExecutionProvider as available even on a machine without a GPU; asking for it
there logs errors and silently falls back to the CPU. So CUDA is requested only when a CUDA device is visible
(the driver library answers with at least one device), and the provider actually used is read back from the
session afterwards.
"""

from __future__ import annotations

import ctypes
import functools
import logging
from pathlib import Path

import numpy as np

from stsp_app.core.onnx_options import onnx_session_options
from stsp_app.errors import UserFacingError

log = logging.getLogger(__name__)

CUDA_PROVIDER = "CUDAExecutionProvider"
CPU_PROVIDER = "CPUExecutionProvider"
DEVICES = ("auto", "cpu", "cuda")


@functools.cache
def cuda_device_count() -> int:
    """Number of CUDA devices the NVIDIA driver reports (0 without a driver or GPU)."""
    try:
        driver = ctypes.CDLL("libcuda.so.1")
    except OSError:
        return 0
    count = ctypes.c_int(0)
    if driver.cuInit(0) != 0 or driver.cuDeviceGetCount(ctypes.byref(count)) != 0:
        return 0
    return count.value


def _requested_providers(device: str) -> list[str]:
    import onnxruntime as ort

    if device not in DEVICES:
        raise UserFacingError(f"unknown device {device!r}; choose one of {', '.join(DEVICES)}")
    cuda_possible = CUDA_PROVIDER in ort.get_available_providers() and cuda_device_count() > 0
    if device == "cuda" and not cuda_possible:
        raise UserFacingError("--device cuda: no CUDA GPU is visible to ONNX Runtime on this machine")
    if device in ("auto", "cuda") and cuda_possible:
        _load_cuda_libraries()
        return [CUDA_PROVIDER, CPU_PROVIDER]
    return [CPU_PROVIDER]


@functools.cache
def _load_cuda_libraries() -> None:
    """Load the CUDA and cuDNN libraries that ``pip install "onnxruntime-gpu[cuda,cudnn]"`` puts in the
    environment's site-packages, where the CUDA provider would not find them itself (README, GPU)."""
    import onnxruntime as ort

    ort.preload_dlls()


# ONNX Runtime fuses the graph's operators (its default). ``stsp-coach eval-2d --rounding`` switches the fusions
# off to change only the floating-point rounding of the same arithmetic, as another CPU's kernels would
# (docs/RESULTS.md, "Why the 2D figures differ between machines").
_graph_fusion = True


def set_graph_fusion(enabled: bool) -> None:
    """Fuse the operators of the sessions made from now on (True, the default) or run them one by one."""
    global _graph_fusion
    _graph_fusion = bool(enabled)


class OnnxModel:
    """One ONNX Runtime session: ``run(array)`` feeds the single input and returns all outputs by name."""

    def __init__(self, path: Path, threads: int = 2, device: str = "auto") -> None:
        import onnxruntime as ort

        options = onnx_session_options(threads)
        if not _graph_fusion:
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        requested = _requested_providers(device)
        self.session = ort.InferenceSession(str(path), options, providers=requested)
        self.provider = self.session.get_providers()[0]
        if device == "cuda" and self.provider != CUDA_PROVIDER:
            raise UserFacingError(
                "--device cuda: ONNX Runtime could not load its CUDA provider (CUDA/cuDNN libraries missing?)"
            )
        if requested[0] == CUDA_PROVIDER and self.provider != CUDA_PROVIDER:
            log.warning("CUDA provider failed to load for %s; running on the CPU", Path(path).name)
        self.device_name = "CUDA GPU" if self.provider == CUDA_PROVIDER else "CPU"
        self.input_name = self.session.get_inputs()[0].name
        self.input_shape = tuple(self.session.get_inputs()[0].shape)
        self.output_names = [output.name for output in self.session.get_outputs()]
        log.info(
            "%s runs on %s (%s, %d threads)",
            Path(path).name, self.device_name, self.provider, options.intra_op_num_threads,
        )

    def run(self, tensor: np.ndarray) -> dict[str, np.ndarray]:
        outputs = self.session.run(self.output_names, {self.input_name: np.ascontiguousarray(tensor, np.float32)})
        return dict(zip(self.output_names, outputs))
