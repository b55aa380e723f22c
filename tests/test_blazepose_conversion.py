"""The project's TFLite->ONNX converter against the reference LiteRT interpreter, on real preprocessed inputs.

Agreement measure per output: max|onnx - tflite| <= 1e-3 * max|tflite| (relative to the output's range;
an elementwise relative error is meaningless for values near zero).
"""

from __future__ import annotations

import numpy as np
import pytest

from stsp_app.blazepose.detector import PoseDetector
from stsp_app.blazepose.fetch import LANDMARK_VARIANTS, load_manifest, tflite_path
from stsp_app.blazepose.landmarker import preprocess_crop
from stsp_app.blazepose.roi import Roi
from stsp_app.blazepose.runtime import OnnxModel
from stsp_app.blazepose.tflite_reader import TfliteGraph, TfliteOperator, TfliteTensor, read_tflite
from stsp_app.blazepose.tflite_to_onnx import UnsupportedOperatorError, convert_graph, same_padding

RELATIVE_TOLERANCE = 1e-3


def relative_error(onnx_output: np.ndarray, reference: np.ndarray) -> float:
    return float(np.abs(onnx_output - reference).max() / np.abs(reference).max())


def _assert_outputs_match(onnx_outputs, reference_outputs, label, dropped=()):
    assert set(onnx_outputs) == set(reference_outputs) - set(dropped), label
    reference_outputs = {name: value for name, value in reference_outputs.items() if name not in dropped}
    for name, reference in reference_outputs.items():
        assert onnx_outputs[name].shape == reference.shape, f"{label} {name}"
        error = relative_error(onnx_outputs[name], reference)
        assert error <= RELATIVE_TOLERANCE, f"{label} {name}: max abs diff / max abs = {error:.2e}"


def test_detector_matches_litert_on_real_images(blazepose_models, litert_reference, person_images):
    detector = PoseDetector(threads=2, device="cpu")
    path = tflite_path(load_manifest().models["detector"])
    for name, image in person_images.items():
        tensor, _ = detector.preprocess(image)
        _assert_outputs_match(detector.model.run(tensor), litert_reference(path, tensor), f"detector/{name}")


@pytest.mark.parametrize("variant", LANDMARK_VARIANTS)
def test_landmark_model_matches_litert_on_real_crops(variant, blazepose_models, litert_reference, person_images):
    if variant in blazepose_models.unavailable:
        pytest.skip(f"{variant}: {blazepose_models.unavailable[variant]}")
    detector = PoseDetector(threads=2, device="cpu")
    model = OnnxModel(blazepose_models.ready[variant], threads=2, device="cpu")
    entry = load_manifest().models[variant]
    assert entry.drop_outputs == ("Identity_2",)  # the segmentation mask, never read
    for name, image in person_images.items():
        roi = Roi.from_detection(detector.detect(image)[0])
        tensor = preprocess_crop(image, roi)
        _assert_outputs_match(model.run(tensor), litert_reference(tflite_path(entry), tensor), f"{variant}/{name}",
                              dropped=entry.drop_outputs)


def test_dropping_an_output_leaves_the_others_bit_for_bit(blazepose_models, person_images):
    """The landmark model without its segmentation mask: fewer operators, the same numbers in every other output."""
    import onnxruntime as ort

    graph = read_tflite(tflite_path(load_manifest().models["full"]))
    whole = convert_graph(graph, "whole")
    pruned = convert_graph(graph, "pruned", drop_outputs=("Identity_2",))
    assert [output.name for output in pruned.graph.output] == ["Identity", "Identity_1", "Identity_3", "Identity_4"]
    assert len(pruned.graph.node) < 0.9 * len(whole.graph.node)
    sessions = [ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
                for model in (whole, pruned)]
    detector = PoseDetector(threads=2, device="cpu")
    image = next(iter(person_images.values()))
    tensor = preprocess_crop(image, Roi.from_detection(detector.detect(image)[0]))
    kept = [output.name for output in pruned.graph.output]
    for whole_output, pruned_output in zip(*(session.run(kept, {"input_1": tensor}) for session in sessions)):
        np.testing.assert_array_equal(whole_output, pruned_output)
    with pytest.raises(ValueError, match="no output"):
        convert_graph(graph, "typo", drop_outputs=("Identity_9",))


def test_densified_weights_equal_the_interpreters(blazepose_models):
    """Our reading of TFLite's sparse format gives the same dense weights as the DENSIFY kernel."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    path = tflite_path(load_manifest().models["detector"])
    graph = read_tflite(path)
    interpreter = Interpreter(
        model_path=str(path),
        experimental_preserve_all_tensors=True,
        experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES,
    )
    interpreter.allocate_tensors()
    interpreter.invoke()
    densify_ops = [op for op in graph.operators if op.kind == "DENSIFY"]
    assert len(densify_ops) == 38
    for op in densify_ops:
        ours = graph.tensors[op.inputs[0]].data
        assert ours is not None and (ours == 0).any(), "a sparse tensor holds zeros once dense"
        np.testing.assert_array_equal(ours, interpreter.get_tensor(op.outputs[0]))


def test_same_padding_is_asymmetric_like_tensorflow():
    assert same_padding(224, kernel=3, stride=2, dilation=1) == (0, 1)
    assert same_padding(225, kernel=3, stride=2, dilation=1) == (1, 1)
    assert same_padding(64, kernel=5, stride=1, dilation=1) == (2, 2)
    assert same_padding(64, kernel=3, stride=1, dilation=2) == (2, 2)


def test_unknown_operator_fails_loudly():
    tensors = [
        TfliteTensor(0, "input_1", (1, 4), np.dtype(np.float32), None),
        TfliteTensor(1, "Identity", (1, 4), np.dtype(np.float32), None),
    ]
    graph = TfliteGraph(tensors=tensors, operators=[TfliteOperator(0, "SOFTMAX", [0], [1])], inputs=[0], outputs=[1])
    with pytest.raises(UnsupportedOperatorError, match="SOFTMAX"):
        convert_graph(graph, "softmax_only")
