"""Measure the converted BlazePose ONNX models against the LiteRT interpreter: output errors and latency.

Prints the figures quoted in docs/models.md. Needs the models fetched (``stsp-coach models fetch``) and the
test extra ``ai-edge-litert``. Run from the repository root:

    nice -n 10 .venv/bin/python -m stsp_app.evaluation.blazepose_agreement [--runs 50]
"""

from __future__ import annotations

import argparse
import statistics
import time

import cv2
import numpy as np
from ai_edge_litert.interpreter import Interpreter

from stsp_app.blazepose import PoseDetector, Roi, decode_landmarks
from stsp_app.blazepose.fetch import fetch_models, load_manifest, tflite_path
from stsp_app.blazepose.landmarker import landmark_output_from_tensors, preprocess_crop
from stsp_app.blazepose.runtime import OnnxModel
from stsp_app.core.paths import shared_data_dir

IMAGES = {
    "footballer": "video/footballer_messi5.jpg",
    "h36m": "eval/h36m-3dhp-frames/h36m/S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000001.jpg",
}


def load_images() -> dict[str, np.ndarray]:
    images = {}
    for name, path in IMAGES.items():
        images[name] = cv2.cvtColor(cv2.imread(str(shared_data_dir() / path)), cv2.COLOR_BGR2RGB)
    capture = cv2.VideoCapture(str(shared_data_dir() / "video/basketball_youth_drill.mp4"))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 60)
    _, frame = capture.read()
    images["basketball"] = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
    return images


class Litert:
    def __init__(self, path, threads: int) -> None:
        self.interpreter = Interpreter(model_path=str(path), num_threads=threads)
        self.interpreter.allocate_tensors()

    def run(self, tensor: np.ndarray) -> dict[str, np.ndarray]:
        self.interpreter.set_tensor(self.interpreter.get_input_details()[0]["index"], tensor)
        self.interpreter.invoke()
        details = self.interpreter.get_output_details()
        return {d["name"]: self.interpreter.get_tensor(d["index"]).copy() for d in details}


def error_figures(ours: np.ndarray, reference: np.ndarray) -> tuple[float, float, float]:
    """(max|a-b| / max|b|, max elementwise |a-b|/|b| where |b| >= 1% of max|b|, median elementwise |a-b|/|b|)."""
    difference = np.abs(ours - reference)
    magnitude = np.abs(reference)
    significant = magnitude >= 0.01 * magnitude.max()
    elementwise = difference[significant] / magnitude[significant]
    median = float(np.median(difference / np.maximum(magnitude, 1e-12)))
    return float(difference.max() / magnitude.max()), float(elementwise.max()), median


def median_ms(function, tensor: np.ndarray, runs: int) -> float:
    for _ in range(5):
        function(tensor)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(tensor)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    report = fetch_models()
    manifest = load_manifest()
    images = load_images()
    detector = PoseDetector(threads=2, device="cpu")
    rois = {name: Roi.from_detection(detector.detect(image)[0]) for name, image in images.items()}
    inputs = {}
    for model_name in report.ready:
        if model_name == "detector":
            inputs[model_name] = {name: detector.preprocess(image)[0] for name, image in images.items()}
        else:
            inputs[model_name] = {name: preprocess_crop(image, rois[name]) for name, image in images.items()}

    print("## Output agreement, ONNX vs LiteRT (worst over images)")
    print(
        "| model | output | max abs diff / max abs | max elementwise rel. (|ref| >= 1% of max) "
        "| median elementwise rel. |"
    )
    print("| --- | --- | --- | --- | --- |")
    for model_name in report.ready:
        onnx_model = OnnxModel(report.ready[model_name], threads=2, device="cpu")
        litert = Litert(tflite_path(manifest.models[model_name]), threads=2)
        worst: dict[str, list[float]] = {}
        for tensor in inputs[model_name].values():
            ours, theirs = onnx_model.run(tensor), litert.run(tensor)
            for output_name in ours:  # LiteRT also gives the outputs the conversion leaves out (drop_outputs)
                figures = error_figures(ours[output_name], theirs[output_name])
                worst[output_name] = [max(a, b) for a, b in zip(worst.get(output_name, [0, 0, 0]), figures)]
        for output_name, (range_rel, element_rel, median_rel) in sorted(worst.items()):
            print(f"| {model_name} | {output_name} | {range_rel:.1e} | {element_rel:.1e} | {median_rel:.1e} |")

    print("\n## Decoded landmarks (full model, heatmap refinement), ONNX vs LiteRT outputs, max over 33+2 points")
    landmarker_model = OnnxModel(report.ready["full"], threads=2, device="cpu")
    litert_full = Litert(tflite_path(manifest.models["full"]), threads=2)
    for name, image in images.items():
        tensor = inputs["full"][name]
        size = (image.shape[1], image.shape[0])
        ours = decode_landmarks(landmark_output_from_tensors(landmarker_model.run(tensor), rois[name], size))
        theirs = decode_landmarks(landmark_output_from_tensors(litert_full.run(tensor), rois[name], size))
        xy = np.abs(np.vstack([ours.xy_px, ours.auxiliary_px]) - np.vstack([theirs.xy_px, theirs.auxiliary_px])).max()
        world = np.abs(ours.world_m - theirs.world_m).max() * 1000
        print(f"- {name}: max |dxy| = {xy:.4f} px, max |d world| = {world:.3f} mm")

    print(f"\n## Latency, model call only, median of {args.runs} runs (ms)")
    print("| model | ONNX Runtime 1 thread | ORT 2 threads | LiteRT 1 thread | LiteRT 2 threads |")
    print("| --- | --- | --- | --- | --- |")
    for model_name in report.ready:
        tensor = inputs[model_name]["footballer"]
        row = []
        for threads in (1, 2):
            session = OnnxModel(report.ready[model_name], threads=threads, device="cpu")
            row.append(median_ms(session.run, tensor, args.runs))
        for threads in (1, 2):
            row.append(median_ms(Litert(tflite_path(manifest.models[model_name]), threads).run, tensor, args.runs))
        print(f"| {model_name} | " + " | ".join(f"{value:.1f}" for value in row) + " |")


if __name__ == "__main__":
    main()
