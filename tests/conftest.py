"""Shared fixtures: the real data in ../shared/data, and the BlazePose models (normal per-user cache, fetched
once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stsp_app.core.paths import shared_data_dir

SHARED_DATA = shared_data_dir()
VIDEO_DIR = SHARED_DATA / "video"
BASKETBALL_CLIP = VIDEO_DIR / "basketball_youth_drill.mp4"
FOOTBALLER_IMAGE = VIDEO_DIR / "footballer_messi5.jpg"
H36M_FRAME = SHARED_DATA / "eval/h36m-3dhp-frames/h36m/S1/S1_Directions_1.54138969/S1_Directions_1.54138969_000001.jpg"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    assert SHARED_DATA.is_dir(), f"the shared data folder is missing: {SHARED_DATA}"
    return SHARED_DATA


@pytest.fixture(scope="session")
def blazepose_models():
    """The fetch report of all BlazePose models: fetched, verified and converted on first use (CI: already done
    by ``stsp-coach models fetch`` in set-up, so this only re-checks hashes)."""
    from stsp_app.blazepose.fetch import fetch_models

    return fetch_models()


@pytest.fixture(scope="session")
def litert_reference():
    """``run(tflite_path, input_tensor) -> {output name: array}`` with the reference LiteRT interpreter."""
    from ai_edge_litert.interpreter import Interpreter

    interpreters = {}

    def run(tflite_path, tensor):
        key = str(tflite_path)
        if key not in interpreters:
            interpreter = Interpreter(model_path=key, num_threads=2)
            interpreter.allocate_tensors()
            interpreters[key] = interpreter
        interpreter = interpreters[key]
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], tensor)
        interpreter.invoke()
        return {d["name"]: interpreter.get_tensor(d["index"]).copy() for d in interpreter.get_output_details()}

    return run


@pytest.fixture(scope="session")
def person_images(shared_data):
    """Real RGB images with one main person: a footballer, a Human3.6M frame, a youth basketball frame (#60)."""
    import cv2

    images = {"footballer": cv2.imread(str(FOOTBALLER_IMAGE)), "h36m": cv2.imread(str(H36M_FRAME))}
    capture = cv2.VideoCapture(str(BASKETBALL_CLIP))
    capture.set(cv2.CAP_PROP_POS_FRAMES, 60)
    ok, frame = capture.read()
    capture.release()
    images["basketball"] = frame if ok else None
    for name, image in images.items():
        assert image is not None, f"could not read the {name} image from {shared_data}"
    return {name: cv2.cvtColor(image, cv2.COLOR_BGR2RGB) for name, image in images.items()}


@pytest.fixture(scope="session")
def analysed_clip(blazepose_models):
    """``analysed_clip(file_name) -> VideoAnalysis``: a shared clip of data/video analysed by the whole pipeline
    (default settings, as ``stsp-coach analyze`` runs it), once per test session. A clip that announces more
    frames than decode keeps every frame that decoded."""
    from stsp_app.pipeline import AnalysisInterrupted, analyse_video

    analyses = {}

    def analyse(file_name: str):
        if file_name not in analyses:
            try:
                analyses[file_name] = analyse_video(VIDEO_DIR / file_name)
            except AnalysisInterrupted as interrupted:
                analyses[file_name] = interrupted.analysis
        return analyses[file_name]

    return analyse


JUMP_HEIGHT_CM = 160.0


@pytest.fixture(scope="session")
def two_jumps(tmp_path_factory, blazepose_models):
    """(clip, analysis): a real countermovement jump filmed twice in a row (frames 215-314 of
    cmj_teen_front.mp4 at half size, written twice: 200 frames, two jumps), analysed once per test run as a new
    session of a 160 cm child is analysed (the sessions' model and smoothing; the child's height as stature)."""
    import cv2

    from stsp_app.core.video_source import VideoSource
    from stsp_app.pipeline import Pipeline, analyse_video
    from stsp_app.records.session_workflow import analysis_settings

    clip = tmp_path_factory.mktemp("two_jumps") / "two_jumps.mp4"
    source = VideoSource(VIDEO_DIR / "cmj_teen_front.mp4")
    size = (source.width // 2, source.height // 2)
    writer = cv2.VideoWriter(str(clip), cv2.VideoWriter_fourcc(*"mp4v"), source.fps, size)
    for _ in range(2):
        for index in range(215, 315):
            writer.write(cv2.resize(source.read(index), size, interpolation=cv2.INTER_AREA))
    writer.release()
    video = VideoSource(clip)
    stature_mm = 10.0 * JUMP_HEIGHT_CM
    pipeline = Pipeline(epe_config=analysis_settings(stature_mm).epe_config("auto"), fps=video.fps,
                        stature_mm=stature_mm)
    return clip, analyse_video(video, pipeline)


def cache_with(folder: Path, clip: Path, analysis, stature_mm: float | None):
    """An analysis cache in ``folder`` holding ``analysis`` of ``clip``, keyed as the app and a new session of a
    child of that stature look for it (so neither analyses the clip again)."""
    from stsp_app.core.analysis_cache import AnalysisCache
    from stsp_app.core.content_hash import file_sha256
    from stsp_app.records.session_workflow import analysis_settings

    cache = AnalysisCache(folder)
    cache.store(analysis_settings(stature_mm).cache_key(file_sha256(clip)), analysis.save_json)
    return cache


def ffmpeg(*arguments: str | Path) -> None:
    """Run the ffmpeg command line (installed by packaging/setup.sh) to make a test video, quietly."""
    import subprocess

    subprocess.run(["ffmpeg", "-v", "error", "-y", *map(str, arguments)], check=True)


def write_clip_part(source: Path, path: Path, start: int, stop: int) -> Path:
    """Frames start..stop-1 of a real video as a short video file (MJPEG in .avi, MPEG-4 otherwise)."""
    import cv2

    from stsp_app.core.video_source import VideoSource

    video = VideoSource(source)
    codec = "MJPG" if Path(path).suffix.lower() == ".avi" else "mp4v"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*codec), video.fps, (video.width, video.height))
    for index in range(start, stop):
        writer.write(video.read(index))
    writer.release()
    return Path(path)


def write_clip_start(path: Path, frame_count: int, source: Path = BASKETBALL_CLIP) -> Path:
    """The first frames of a real clip (the youth basketball clip by default): short clips keep tests short."""
    return write_clip_part(source, path, 0, frame_count)
