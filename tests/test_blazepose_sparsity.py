"""TFLite's sparse tensor format, read by our reader, against LiteRT's own DENSIFY kernel.

The BlazePose detector only uses row-wise CSR without blocks; these cases also cover blocks and a permuted
traversal order. Each case is written as a real one-operator .tflite file (a constant sparse tensor and a
DENSIFY operator whose output is the graph output), built here with the flatbuffers library following
TFLite's schema; the interpreter's result is the reference.
"""

from __future__ import annotations

import flatbuffers
import numpy as np
import pytest

from stsp_app.blazepose.tflite_reader import read_tflite

DENSE, SPARSE_CSR = 0, 1
INT32_VECTOR, UINT8_VECTOR = 1, 3
DENSIFY_CODE = 124
FLOAT32 = 0


def _int_vector(builder: flatbuffers.Builder, values) -> int:
    builder.StartVector(4, len(values), 4)
    for value in reversed(values):
        builder.PrependInt32(int(value))
    return builder.EndVector()


def _offset_vector(builder: flatbuffers.Builder, offsets) -> int:
    builder.StartVector(4, len(offsets), 4)
    for offset in reversed(offsets):
        builder.PrependUOffsetTRelative(offset)
    return builder.EndVector()


def _index_vector(builder: flatbuffers.Builder, values, kind: int) -> int:
    """A SparseIndexVector table (Int32Vector or Uint8Vector) with one field: values."""
    if kind == INT32_VECTOR:
        vector = _int_vector(builder, values)
    else:
        builder.StartVector(1, len(values), 1)
        for value in reversed(values):
            builder.PrependUint8(int(value))
        vector = builder.EndVector()
    builder.StartObject(1)
    builder.PrependUOffsetTRelativeSlot(0, vector, 0)
    return builder.EndObject()


def build_densify_model(shape, values, traversal_order, block_map, levels, index_kind=INT32_VECTOR) -> bytes:
    """A .tflite flatbuffer: constant sparse float32 tensor 0 -> DENSIFY -> output tensor 1.

    ``levels``: one (format, dense_size, segments, indices) per traversal level.
    """
    builder = flatbuffers.Builder(1024)
    # DimensionMetadata tables: format, dense_size, array_segments(_type), array_indices(_type).
    metadata = []
    for level_format, dense_size, segments, indices in levels:
        segments_table = _index_vector(builder, segments, index_kind) if level_format == SPARSE_CSR else None
        indices_table = _index_vector(builder, indices, index_kind) if level_format == SPARSE_CSR else None
        builder.StartObject(6)
        builder.PrependInt8Slot(0, level_format, 0)
        builder.PrependInt32Slot(1, dense_size, 0)
        if segments_table is not None:
            builder.PrependUint8Slot(2, index_kind, 0)
            builder.PrependUOffsetTRelativeSlot(3, segments_table, 0)
            builder.PrependUint8Slot(4, index_kind, 0)
            builder.PrependUOffsetTRelativeSlot(5, indices_table, 0)
        metadata.append(builder.EndObject())
    traversal = _int_vector(builder, traversal_order)
    blocks = _int_vector(builder, block_map)
    metadata_vector = _offset_vector(builder, metadata)
    builder.StartObject(3)
    builder.PrependUOffsetTRelativeSlot(0, traversal, 0)
    builder.PrependUOffsetTRelativeSlot(1, blocks, 0)
    builder.PrependUOffsetTRelativeSlot(2, metadata_vector, 0)
    sparsity = builder.EndObject()

    tensors = []
    for index, name in enumerate(("sparse_weights", "dense_weights")):
        name_offset = builder.CreateString(name)
        shape_offset = _int_vector(builder, shape)
        builder.StartObject(7)
        builder.PrependUOffsetTRelativeSlot(0, shape_offset, 0)
        builder.PrependInt8Slot(1, FLOAT32, 0)
        builder.PrependUint32Slot(2, index + 1, 0)  # buffer 1 holds the values, buffer 2 is empty
        builder.PrependUOffsetTRelativeSlot(3, name_offset, 0)
        if index == 0:
            builder.PrependUOffsetTRelativeSlot(6, sparsity, 0)
        tensors.append(builder.EndObject())

    operator_inputs, operator_outputs = _int_vector(builder, [0]), _int_vector(builder, [1])
    builder.StartObject(3)
    builder.PrependUint32Slot(0, 0, 0)
    builder.PrependUOffsetTRelativeSlot(1, operator_inputs, 0)
    builder.PrependUOffsetTRelativeSlot(2, operator_outputs, 0)
    operator = builder.EndObject()

    tensor_vector = _offset_vector(builder, tensors)
    graph_inputs, graph_outputs = _int_vector(builder, []), _int_vector(builder, [1])
    operator_vector = _offset_vector(builder, [operator])
    builder.StartObject(4)
    builder.PrependUOffsetTRelativeSlot(0, tensor_vector, 0)
    builder.PrependUOffsetTRelativeSlot(1, graph_inputs, 0)
    builder.PrependUOffsetTRelativeSlot(2, graph_outputs, 0)
    builder.PrependUOffsetTRelativeSlot(3, operator_vector, 0)
    subgraph = builder.EndObject()

    builder.StartObject(4)  # OperatorCode: deprecated_builtin_code, custom_code, version, builtin_code
    builder.PrependInt8Slot(0, DENSIFY_CODE, 0)
    builder.PrependInt32Slot(2, 1, 1)
    builder.PrependInt32Slot(3, DENSIFY_CODE, 0)
    operator_code = builder.EndObject()

    raw = np.asarray(values, np.float32).tobytes()
    builder.StartVector(1, len(raw), 16)
    for byte in reversed(raw):
        builder.PrependUint8(byte)
    data = builder.EndVector()
    buffers = []
    for content in (None, data, None):
        builder.StartObject(1)
        if content is not None:
            builder.PrependUOffsetTRelativeSlot(0, content, 0)
        buffers.append(builder.EndObject())

    codes_vector = _offset_vector(builder, [operator_code])
    subgraph_vector = _offset_vector(builder, [subgraph])
    buffer_vector = _offset_vector(builder, buffers)
    description = builder.CreateString("stsp densify test")
    builder.StartObject(5)
    builder.PrependUint32Slot(0, 3, 0)
    builder.PrependUOffsetTRelativeSlot(1, codes_vector, 0)
    builder.PrependUOffsetTRelativeSlot(2, subgraph_vector, 0)
    builder.PrependUOffsetTRelativeSlot(3, description, 0)
    builder.PrependUOffsetTRelativeSlot(4, buffer_vector, 0)
    builder.Finish(builder.EndObject(), file_identifier=b"TFL3")
    return bytes(builder.Output())


def interpreter_dense(model_path) -> np.ndarray:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    interpreter = Interpreter(
        model_path=str(model_path), experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    )
    interpreter.allocate_tensors()
    interpreter.invoke()
    return interpreter.get_tensor(interpreter.get_output_details()[0]["index"])


CASES = {
    # 3x4, rows dense, columns CSR (the detector's layout, on 2-D).
    "csr_rows": dict(
        shape=[3, 4],
        values=[1, 2, 3, 4, 5],
        traversal_order=[0, 1],
        block_map=[],
        levels=[(DENSE, 3, None, None), (SPARSE_CSR, 0, [0, 2, 2, 5], [0, 3, 1, 2, 3])],
    ),
    # A 3x4 matrix stored column by column (traversal order 1, 0), with uint8 indices.
    "csr_columns_uint8": dict(
        shape=[3, 4],
        values=[1, 3, 4, 5, 2, 6],
        traversal_order=[1, 0],
        block_map=[],
        levels=[(DENSE, 4, None, None), (SPARSE_CSR, 0, [0, 1, 2, 4, 6], [0, 2, 2, 0, 2, 0])],
        index_kind=UINT8_VECTOR,
    ),
    # 4x6 with 2x3 blocks: 2x2 grid of blocks, block columns CSR, each stored block dense row-major.
    "blocks_2x3": dict(
        shape=[4, 6],
        values=list(range(1, 13)),
        traversal_order=[0, 1, 2, 3],
        block_map=[0, 1],
        levels=[
            (DENSE, 2, None, None), (SPARSE_CSR, 0, [0, 1, 2], [1, 0]), (DENSE, 2, None, None), (DENSE, 3, None, None)
        ],
    ),
    # 3-D tensor [2, 2, 4]: two dense levels, then CSR along the last axis, with 1x2 blocks on it.
    "blocks_last_axis_3d": dict(
        shape=[2, 2, 4],
        values=[1, 2, 3, 4, 5, 6, 7, 8],
        traversal_order=[0, 1, 2, 3],
        block_map=[2],
        levels=[
            (DENSE, 2, None, None),
            (DENSE, 2, None, None),
            (SPARSE_CSR, 0, [0, 1, 1, 3, 4], [1, 0, 1, 0]),
            (DENSE, 2, None, None),
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_densify_matches_the_interpreter(case, tmp_path):
    spec = CASES[case]
    path = tmp_path / f"{case}.tflite"
    path.write_bytes(
        build_densify_model(
            spec["shape"], spec["values"], spec["traversal_order"], spec["block_map"],
            [(f, size, seg or [], idx or []) for f, size, seg, idx in spec["levels"]],
            spec.get("index_kind", INT32_VECTOR),
        )
    )
    reference = interpreter_dense(path)
    ours = read_tflite(path).tensors[0].data
    assert reference.shape == tuple(spec["shape"])
    assert np.count_nonzero(reference) == len(spec["values"]), "every stored value is non-zero and lands once"
    np.testing.assert_array_equal(ours, reference)
