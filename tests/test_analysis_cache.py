"""The per-video analysis cache: keyed by content and settings, atomic, deletable."""

import json

import pytest

from stsp_app.core.analysis_cache import AnalysisCache, analysis_key
from stsp_app.core.content_hash import file_sha256
from stsp_app.core.paths import shared_data_dir

CLIP = shared_data_dir() / "video" / "basketball_youth_drill.mp4"


def test_store_load_clear(tmp_path):
    cache = AnalysisCache(tmp_path / "analyses")
    digest = file_sha256(CLIP)
    key = analysis_key(digest, {"model": "full", "smoothing": 1.0})
    assert key != analysis_key(digest, {"model": "lite", "smoothing": 1.0})
    assert key == analysis_key(digest, {"smoothing": 1.0, "model": "full"})
    assert cache.load(key, lambda path: json.loads(path.read_text())) is None
    cache.store(key, lambda path: path.write_text(json.dumps({"frames": 300})))
    assert cache.load(key, lambda path: json.loads(path.read_text())) == {"frames": 300}
    assert [path.name for path in cache.root.iterdir()] == [cache.entry_path(key).name]
    assert cache.clear() == 1
    assert cache.entries() == [] and cache.load(key, lambda path: path.read_text()) is None


def test_failed_write_leaves_nothing_and_unreadable_entry_is_dropped(tmp_path):
    cache = AnalysisCache(tmp_path)

    def failing_write(path):
        path.write_text("{half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        cache.store("k", failing_write)
    assert list(tmp_path.iterdir()) == []
    cache.entry_path("k").write_text("{not json")
    assert cache.load("k", lambda path: json.loads(path.read_text())) is None
    assert not cache.entry_path("k").exists()


def test_the_lifting_weights_version_changes_with_the_shipped_files(tmp_path):
    from stsp_app.lifting.model_files import MANIFEST_FILE, shipped_models_version

    assert shipped_models_version(tmp_path) == "none"
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"outputs": {"lifting_gsr.onnx": "a" * 64}}))
    first = shipped_models_version(tmp_path)
    (tmp_path / MANIFEST_FILE).write_text(json.dumps({"outputs": {"lifting_gsr.onnx": "b" * 64}}))
    assert shipped_models_version(tmp_path) not in (first, "none")
    assert shipped_models_version() != "none"  # the repository's models/
