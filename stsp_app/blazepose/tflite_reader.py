"""Read a .tflite flatbuffer into plain Python objects: tensors (with constant data materialised) and operators.

Uses the PyPI ``tflite`` package (generated flatbuffer bindings of TFLite's schema), never TensorFlow.
Constant data is returned as it is stored (float16 weights stay float16, sparse weights are densified here
through :mod:`stsp_app.blazepose.tflite_sparsity`); the DEQUANTIZE/DENSIFY operators that turn them into
float32 at run time are folded by the converter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from stsp_app.blazepose.tflite_sparsity import densify

# TensorType enum of the TFLite schema -> numpy dtype, for the types these models hold.
_NUMPY_DTYPES = {0: np.float32, 1: np.float16, 2: np.int32, 3: np.uint8, 4: np.int64, 9: np.int8}


class TfliteFormatError(ValueError):
    """The file is not a TFLite model this reader understands (or uses a feature the converter lacks)."""


@dataclass
class TfliteTensor:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: np.dtype
    data: np.ndarray | None  # dense constant data in ``shape``, or None for a run-time tensor


@dataclass
class TfliteOperator:
    index: int
    kind: str  # BuiltinOperator name, e.g. "CONV_2D"
    inputs: list[int]  # tensor indices, -1 for an omitted optional input
    outputs: list[int]
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class TfliteGraph:
    tensors: list[TfliteTensor]
    operators: list[TfliteOperator]
    inputs: list[int]
    outputs: list[int]


def _builtin_operator_names() -> dict[int, str]:
    import tflite

    return {value: name for name, value in vars(tflite.BuiltinOperator).items() if not name.startswith("_")}


def _read_options(operator, kind: str) -> dict[str, Any]:
    """The operator's builtin options as a dict, for the operator kinds that have options the converter needs."""
    import tflite

    table = operator.BuiltinOptions()
    if kind == "CONV_2D":
        o = tflite.Conv2DOptions()
        o.Init(table.Bytes, table.Pos)
        return {
            "padding": o.Padding(),
            "stride_hw": (o.StrideH(), o.StrideW()),
            "dilation_hw": (o.DilationHFactor(), o.DilationWFactor()),
            "activation": o.FusedActivationFunction(),
        }
    if kind == "DEPTHWISE_CONV_2D":
        o = tflite.DepthwiseConv2DOptions()
        o.Init(table.Bytes, table.Pos)
        return {
            "padding": o.Padding(),
            "stride_hw": (o.StrideH(), o.StrideW()),
            "dilation_hw": (o.DilationHFactor(), o.DilationWFactor()),
            "activation": o.FusedActivationFunction(),
            "depth_multiplier": o.DepthMultiplier(),
        }
    if kind == "ADD":
        o = tflite.AddOptions()
        o.Init(table.Bytes, table.Pos)
        return {"activation": o.FusedActivationFunction()}
    if kind == "CONCATENATION":
        o = tflite.ConcatenationOptions()
        o.Init(table.Bytes, table.Pos)
        return {"axis": o.Axis(), "activation": o.FusedActivationFunction()}
    if kind == "MAX_POOL_2D":
        o = tflite.Pool2DOptions()
        o.Init(table.Bytes, table.Pos)
        return {
            "padding": o.Padding(),
            "stride_hw": (o.StrideH(), o.StrideW()),
            "filter_hw": (o.FilterHeight(), o.FilterWidth()),
            "activation": o.FusedActivationFunction(),
        }
    if kind == "RESIZE_BILINEAR":
        o = tflite.ResizeBilinearOptions()
        o.Init(table.Bytes, table.Pos)
        return {"align_corners": bool(o.AlignCorners()), "half_pixel_centers": bool(o.HalfPixelCenters())}
    if kind == "DEPTH_TO_SPACE":
        o = tflite.DepthToSpaceOptions()
        o.Init(table.Bytes, table.Pos)
        return {"block_size": o.BlockSize()}
    return {}


def _tensor_data(model, tensor, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray | None:
    buffer = model.Buffers(tensor.Buffer())
    if buffer is None or buffer.DataLength() == 0:
        return None
    raw = buffer.DataAsNumpy().tobytes()
    values = np.frombuffer(raw, dtype=dtype)
    sparsity = tensor.Sparsity()
    if sparsity is not None:
        return densify(values, shape, sparsity)
    return values.reshape(shape).copy()


def read_tflite(path: Path) -> TfliteGraph:
    """Parse the first subgraph of a .tflite file (these models have exactly one)."""
    import tflite

    data = Path(path).read_bytes()
    if len(data) < 8 or data[4:8] != b"TFL3":
        raise TfliteFormatError(f"{path} is not a TFLite flatbuffer (no TFL3 identifier)")
    model = tflite.Model.GetRootAsModel(data, 0)
    if model.SubgraphsLength() != 1:
        raise TfliteFormatError(f"{path}: expected one subgraph, found {model.SubgraphsLength()}")
    graph = model.Subgraphs(0)
    names = _builtin_operator_names()

    tensors = []
    for index in range(graph.TensorsLength()):
        tensor = graph.Tensors(index)
        type_code = tensor.Type()
        if type_code not in _NUMPY_DTYPES:
            raise TfliteFormatError(f"{path}: tensor {index} has unsupported type code {type_code}")
        dtype = np.dtype(_NUMPY_DTYPES[type_code])
        shape = tuple(int(d) for d in tensor.ShapeAsNumpy()) if tensor.ShapeLength() else ()
        tensors.append(
            TfliteTensor(
                index=index,
                name=tensor.Name().decode(),
                shape=shape,
                dtype=dtype,
                data=_tensor_data(model, tensor, shape, dtype),
            )
        )

    operators = []
    for index in range(graph.OperatorsLength()):
        operator = graph.Operators(index)
        code = model.OperatorCodes(operator.OpcodeIndex())
        # Schema v3a keeps codes < 127 in the deprecated byte field and larger ones in the int field.
        kind = names.get(max(code.BuiltinCode(), code.DeprecatedBuiltinCode()), f"CUSTOM/UNKNOWN({code.BuiltinCode()})")
        operators.append(
            TfliteOperator(
                index=index,
                kind=kind,
                inputs=[int(i) for i in operator.InputsAsNumpy()] if operator.InputsLength() else [],
                outputs=[int(i) for i in operator.OutputsAsNumpy()] if operator.OutputsLength() else [],
                options=_read_options(operator, kind),
            )
        )

    return TfliteGraph(
        tensors=tensors,
        operators=operators,
        inputs=[int(i) for i in graph.InputsAsNumpy()],
        outputs=[int(i) for i in graph.OutputsAsNumpy()],
    )
