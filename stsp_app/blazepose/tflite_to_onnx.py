"""Convert a BlazePose .tflite model to ONNX with the project's own code (no TensorFlow).

Design: the TFLite graph is NHWC; ONNX convolutions are NCHW. Every rank-4 run-time tensor is kept in NCHW
inside the ONNX graph, with one Transpose after the (NHWC) graph input and one before each rank-4 output,
so the ONNX model has the TFLite model's input/output names and NHWC shapes. Constant weights are
materialised in numpy: DEQUANTIZE (float16 -> float32) and DENSIFY (sparse -> dense) operators on constants
are folded away, and convolution kernels are permuted to ONNX's layout. Operators the BlazePose models do
not use raise :class:`UnsupportedOperatorError` instead of producing a wrong graph.

Outputs the app never reads can be left out (``drop_outputs``): the operators that feed only them are not
converted, so ONNX Runtime does not run them (the landmark models' segmentation mask is 40 % of their time).

``CONVERTER_VERSION`` is recorded beside each converted file; bump it whenever the produced graph changes,
so ``stsp-coach models fetch`` converts again.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from stsp_app.core.atomic_write import atomic_path
from stsp_app.blazepose.tflite_reader import TfliteGraph, TfliteOperator, read_tflite

CONVERTER_VERSION = 2  # 2: outputs can be dropped with the operators that feed only them
ONNX_OPSET = 17
ONNX_IR_VERSION = 8  # the IR version that goes with opset 17; any ONNX Runtime >= 1.13 loads it

_NHWC_TO_NCHW = (0, 3, 1, 2)
_NCHW_TO_NHWC = (0, 2, 3, 1)
_NHWC_AXIS_IN_NCHW = {0: 0, 1: 2, 2: 3, 3: 1}
_PADDING_SAME, _PADDING_VALID = 0, 1
# FusedActivationFunction enum: NONE 0, RELU 1, RELU_N1_TO_1 2, RELU6 3, TANH 4, SIGN_BIT 5
_CLIP_RANGES = {2: (-1.0, 1.0), 3: (0.0, 6.0)}


class UnsupportedOperatorError(ValueError):
    """The TFLite graph uses an operator or option this converter does not implement."""


def same_padding(in_size: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    """TensorFlow's SAME padding (before, after) for one spatial axis; the extra pixel goes after."""
    out_size = math.ceil(in_size / stride)
    effective_kernel = (kernel - 1) * dilation + 1
    total = max((out_size - 1) * stride + effective_kernel - in_size, 0)
    return total // 2, total - total // 2


class _OnnxBuilder:
    """Accumulates ONNX nodes and initializers while walking the TFLite operators in order."""

    def __init__(self, graph: TfliteGraph) -> None:
        self.graph = graph
        self.nodes: list = []
        self.initializers: list = []
        self.constants: dict[int, np.ndarray] = {
            t.index: t.data for t in graph.tensors if t.data is not None
        }
        self.nchw: set[int] = set()  # run-time rank-4 tensors, stored NCHW in the ONNX graph
        self._counter = 0

    # --- naming
    def name(self, tensor_index: int) -> str:
        return f"t{tensor_index}"

    def fresh(self, stem: str) -> str:
        self._counter += 1
        return f"{stem}_{self._counter}"

    def add_initializer(self, stem: str, array: np.ndarray) -> str:
        from onnx import numpy_helper

        name = self.fresh(stem)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(self, op_type: str, inputs: list[str], outputs: list[str], **attributes) -> None:
        from onnx import helper

        self.nodes.append(helper.make_node(op_type, inputs, outputs, name=self.fresh(op_type), **attributes))

    # --- tensors
    def shape(self, tensor_index: int) -> tuple[int, ...]:
        return self.graph.tensors[tensor_index].shape

    def constant(self, tensor_index: int, operator: TfliteOperator) -> np.ndarray:
        if tensor_index not in self.constants:
            raise UnsupportedOperatorError(
                f"operator {operator.index} {operator.kind}: input {tensor_index} must be a constant"
            )
        return self.constants[tensor_index]

    def runtime_input(self, tensor_index: int, operator: TfliteOperator) -> str:
        if tensor_index in self.constants:
            raise UnsupportedOperatorError(
                f"operator {operator.index} {operator.kind}: constant input {tensor_index} is not supported here"
            )
        return self.name(tensor_index)

    def activation(self, code: int, pre_activation: str, output: str, operator: TfliteOperator) -> None:
        if code == 1:
            self.node("Relu", [pre_activation], [output])
        elif code in _CLIP_RANGES:
            low, high = _CLIP_RANGES[code]
            self.node(
                "Clip",
                [
                    pre_activation,
                    self.add_initializer("clip_min", np.array(low, np.float32)),
                    self.add_initializer("clip_max", np.array(high, np.float32)),
                ],
                [output],
            )
        elif code == 4:
            self.node("Tanh", [pre_activation], [output])
        else:
            raise UnsupportedOperatorError(f"operator {operator.index} {operator.kind}: fused activation {code}")

    def output_with_activation(self, operator: TfliteOperator) -> str:
        """Where the op itself writes: the output name, or a temporary that the fused activation reads."""
        if operator.options.get("activation", 0) == 0:
            return self.name(operator.outputs[0])
        return self.fresh(f"t{operator.outputs[0]}_linear")

    def finish_activation(self, operator: TfliteOperator, written: str) -> None:
        code = operator.options.get("activation", 0)
        if code != 0:
            self.activation(code, written, self.name(operator.outputs[0]), operator)

    def mark_layout(self, operator: TfliteOperator) -> None:
        for index in operator.outputs:
            if len(self.shape(index)) == 4:
                self.nchw.add(index)


def _spatial_pads(builder: _OnnxBuilder, operator: TfliteOperator, input_index: int, kernel_hw) -> list[int]:
    """ONNX pads [top, left, bottom, right] for a TFLite SAME/VALID window operator."""
    padding = operator.options["padding"]
    if padding == _PADDING_VALID:
        return [0, 0, 0, 0]
    if padding != _PADDING_SAME:
        raise UnsupportedOperatorError(f"operator {operator.index} {operator.kind}: padding {padding}")
    _, height, width, _ = builder.shape(input_index)
    stride_h, stride_w = operator.options["stride_hw"]
    dilation_h, dilation_w = operator.options.get("dilation_hw", (1, 1))
    top, bottom = same_padding(height, kernel_hw[0], stride_h, dilation_h)
    left, right = same_padding(width, kernel_hw[1], stride_w, dilation_w)
    return [top, left, bottom, right]


def _convert_conv(builder: _OnnxBuilder, operator: TfliteOperator, depthwise: bool) -> None:
    data_index, weight_index = operator.inputs[0], operator.inputs[1]
    weights = builder.constant(weight_index, operator).astype(np.float32)
    in_channels = builder.shape(data_index)[3]
    if depthwise:
        # TFLite [1, kh, kw, in*multiplier] -> ONNX grouped conv [in*multiplier, 1, kh, kw], group = in;
        # output channel c*multiplier + m in both.
        if weights.shape[3] != in_channels * operator.options["depth_multiplier"]:
            raise UnsupportedOperatorError(f"operator {operator.index}: depthwise weights {weights.shape}")
        kernel = weights.transpose(3, 0, 1, 2)
        group = in_channels
    else:
        # TFLite [out, kh, kw, in] -> ONNX [out, in, kh, kw]
        kernel = weights.transpose(0, 3, 1, 2)
        group = 1
    inputs = [builder.runtime_input(data_index, operator), builder.add_initializer("weight", kernel)]
    if len(operator.inputs) > 2 and operator.inputs[2] >= 0:
        bias = builder.constant(operator.inputs[2], operator).astype(np.float32)
        inputs.append(builder.add_initializer("bias", bias))
    written = builder.output_with_activation(operator)
    builder.node(
        "Conv",
        inputs,
        [written],
        kernel_shape=list(kernel.shape[2:]),
        strides=list(operator.options["stride_hw"]),
        dilations=list(operator.options["dilation_hw"]),
        pads=_spatial_pads(builder, operator, data_index, kernel.shape[2:]),
        group=group,
    )
    builder.finish_activation(operator, written)


def _convert_add(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    a, b = operator.inputs
    if builder.shape(a) != builder.shape(b):
        raise UnsupportedOperatorError(
            f"operator {operator.index} ADD: broadcasting {builder.shape(a)} + {builder.shape(b)}"
        )
    written = builder.output_with_activation(operator)
    builder.node("Add", [builder.runtime_input(a, operator), builder.runtime_input(b, operator)], [written])
    builder.finish_activation(operator, written)


def _convert_pad(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    data_index = operator.inputs[0]
    paddings = builder.constant(operator.inputs[1], operator).astype(np.int64).reshape(-1, 2)
    if data_index in builder.nchw:
        paddings = paddings[list(_NHWC_TO_NCHW)]
    pads = np.concatenate([paddings[:, 0], paddings[:, 1]])
    builder.node(
        "Pad",
        [builder.runtime_input(data_index, operator), builder.add_initializer("pads", pads)],
        [builder.name(operator.outputs[0])],
        mode="constant",
    )


def _convert_max_pool(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    data_index = operator.inputs[0]
    kernel_hw = operator.options["filter_hw"]
    written = builder.output_with_activation(operator)
    builder.node(
        "MaxPool",
        [builder.runtime_input(data_index, operator)],
        [written],
        kernel_shape=list(kernel_hw),
        strides=list(operator.options["stride_hw"]),
        pads=_spatial_pads(builder, operator, data_index, kernel_hw),
    )
    builder.finish_activation(operator, written)


def _convert_resize_bilinear(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    data_index = operator.inputs[0]
    out_h, out_w = (int(v) for v in builder.constant(operator.inputs[1], operator))
    batch, _, _, channels = builder.shape(data_index)
    if operator.options["align_corners"]:
        mode = "align_corners"
    elif operator.options["half_pixel_centers"]:
        mode = "half_pixel"
    else:
        mode = "asymmetric"
    sizes = np.array([batch, channels, out_h, out_w], np.int64)
    builder.node(
        "Resize",
        [builder.runtime_input(data_index, operator), "", "", builder.add_initializer("sizes", sizes)],
        [builder.name(operator.outputs[0])],
        mode="linear",
        coordinate_transformation_mode=mode,
    )


def _convert_depth_to_space(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    # TensorFlow's depth_to_space takes input channel (i*block + j)*C_out + c to output (h*block+i, w*block+j, c):
    # ONNX's DCR mode.
    builder.node(
        "DepthToSpace",
        [builder.runtime_input(operator.inputs[0], operator)],
        [builder.name(operator.outputs[0])],
        blocksize=operator.options["block_size"],
        mode="DCR",
    )


def _convert_reshape(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    data_index, output_index = operator.inputs[0], operator.outputs[0]
    source = builder.runtime_input(data_index, operator)
    if data_index in builder.nchw:  # reshape follows NHWC element order
        nhwc = builder.fresh(f"t{data_index}_nhwc")
        builder.node("Transpose", [source], [nhwc], perm=list(_NCHW_TO_NHWC))
        source = nhwc
    out_shape = builder.shape(output_index)
    target = builder.name(output_index)
    if len(out_shape) == 4:
        target = builder.fresh(f"t{output_index}_nhwc")
    builder.node("Reshape", [source, builder.add_initializer("shape", np.array(out_shape, np.int64))], [target])
    if len(out_shape) == 4:
        builder.node("Transpose", [target], [builder.name(output_index)], perm=list(_NHWC_TO_NCHW))


def _convert_concatenation(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    rank = len(builder.shape(operator.inputs[0]))
    axis = operator.options["axis"] % rank
    if operator.inputs[0] in builder.nchw:
        axis = _NHWC_AXIS_IN_NCHW[axis]
    written = builder.output_with_activation(operator)
    builder.node("Concat", [builder.runtime_input(i, operator) for i in operator.inputs], [written], axis=axis)
    builder.finish_activation(operator, written)


def _convert_logistic(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    builder.node("Sigmoid", [builder.runtime_input(operator.inputs[0], operator)], [builder.name(operator.outputs[0])])


def _fold_constant(builder: _OnnxBuilder, operator: TfliteOperator) -> None:
    """DEQUANTIZE of float16 and DENSIFY: evaluated here, their outputs become constants."""
    source = builder.constant(operator.inputs[0], operator)
    if operator.kind == "DEQUANTIZE" and source.dtype != np.float16:
        raise UnsupportedOperatorError(f"operator {operator.index}: DEQUANTIZE of {source.dtype} (only float16)")
    output = builder.graph.tensors[operator.outputs[0]]
    builder.constants[operator.outputs[0]] = source.astype(output.dtype).reshape(output.shape)


_CONVERTERS = {
    "CONV_2D": lambda b, op: _convert_conv(b, op, depthwise=False),
    "DEPTHWISE_CONV_2D": lambda b, op: _convert_conv(b, op, depthwise=True),
    "ADD": _convert_add,
    "PAD": _convert_pad,
    "MAX_POOL_2D": _convert_max_pool,
    "RESIZE_BILINEAR": _convert_resize_bilinear,
    "DEPTH_TO_SPACE": _convert_depth_to_space,
    "RESHAPE": _convert_reshape,
    "CONCATENATION": _convert_concatenation,
    "LOGISTIC": _convert_logistic,
}
_FOLDED = {"DEQUANTIZE", "DENSIFY"}


def _operators_needed(graph: TfliteGraph, outputs: list[int]) -> list[TfliteOperator]:
    """The operators of ``graph`` that some tensor of ``outputs`` depends on, in the graph's order."""
    producer = {index: operator for operator in graph.operators for index in operator.outputs}
    needed_tensors, pending = set(), list(outputs)
    while pending:
        index = pending.pop()
        if index in needed_tensors:
            continue
        needed_tensors.add(index)
        if index in producer:
            pending.extend(i for i in producer[index].inputs if i >= 0)
    return [operator for operator in graph.operators if any(i in needed_tensors for i in operator.outputs)]


def convert_graph(graph: TfliteGraph, model_name: str, drop_outputs: tuple[str, ...] = ()):
    """The ONNX ModelProto equivalent to ``graph`` (checked with ``onnx.checker``), without the outputs named
    in ``drop_outputs`` and the operators that feed only them."""
    import onnx
    from onnx import TensorProto, helper

    output_names = [graph.tensors[index].name for index in graph.outputs]
    unknown = set(drop_outputs) - set(output_names)
    if unknown:
        raise ValueError(f"{model_name} has no output {sorted(unknown)} to drop (outputs: {output_names})")
    kept_outputs = [index for index in graph.outputs if graph.tensors[index].name not in drop_outputs]
    if not kept_outputs:
        raise ValueError(f"{model_name}: every output would be dropped")

    builder = _OnnxBuilder(graph)
    graph_inputs = []
    for index in graph.inputs:
        tensor = graph.tensors[index]
        graph_inputs.append(helper.make_tensor_value_info(tensor.name, TensorProto.FLOAT, list(tensor.shape)))
        if len(tensor.shape) == 4:
            builder.node("Transpose", [tensor.name], [builder.name(index)], perm=list(_NHWC_TO_NCHW))
            builder.nchw.add(index)
        else:
            builder.node("Identity", [tensor.name], [builder.name(index)])

    for operator in _operators_needed(graph, kept_outputs):
        if operator.kind in _FOLDED:
            _fold_constant(builder, operator)
            continue
        converter = _CONVERTERS.get(operator.kind)
        if converter is None:
            raise UnsupportedOperatorError(
                f"operator {operator.index}: {operator.kind} is not supported by the converter"
            )
        converter(builder, operator)
        builder.mark_layout(operator)

    graph_outputs = []
    for index in kept_outputs:
        tensor = graph.tensors[index]
        if index in builder.nchw:
            builder.node("Transpose", [builder.name(index)], [tensor.name], perm=list(_NCHW_TO_NHWC))
        else:
            builder.node("Identity", [builder.name(index)], [tensor.name])
        graph_outputs.append(helper.make_tensor_value_info(tensor.name, TensorProto.FLOAT, list(tensor.shape)))

    onnx_graph = helper.make_graph(builder.nodes, model_name, graph_inputs, graph_outputs, builder.initializers)
    model = helper.make_model(
        onnx_graph,
        opset_imports=[helper.make_opsetid("", ONNX_OPSET)],
        producer_name="stsp_app.blazepose.tflite_to_onnx",
        producer_version=str(CONVERTER_VERSION),
    )
    model.ir_version = ONNX_IR_VERSION
    onnx.checker.check_model(model, full_check=True)
    return model


def convert_tflite_to_onnx(tflite_path: Path, onnx_path: Path, drop_outputs: tuple[str, ...] = ()) -> None:
    """Convert ``tflite_path`` (without the outputs named in ``drop_outputs``) and write the ONNX model to
    ``onnx_path`` (atomically: temp file then rename)."""
    import onnx

    model = convert_graph(read_tflite(tflite_path), model_name=Path(tflite_path).stem, drop_outputs=drop_outputs)
    with atomic_path(onnx_path) as temporary:
        onnx.save_model(model, str(temporary))
