"""Model fetching: manifest verification, idempotence, the missing-model error, the CLI, the runtime's provider."""

from __future__ import annotations

import json
import shutil

import pytest

from stsp_app.blazepose.fetch import (
    ALL_MODELS,
    ModelIntegrityError,
    ensure_models,
    fetch_models,
    load_manifest,
    onnx_path,
    stamp_path,
    tflite_path,
    verify_file,
)
from stsp_app.blazepose.runtime import CPU_PROVIDER, CUDA_PROVIDER, OnnxModel, cuda_device_count
from stsp_app.blazepose.tflite_to_onnx import CONVERTER_VERSION
from stsp_app.cli import main
from stsp_app.core.content_hash import file_sha256
from stsp_app.errors import ModelsMissingError


def test_manifest_lists_the_four_models_with_sha256():
    manifest = load_manifest()
    assert set(manifest.models) == set(ALL_MODELS)
    for entry in manifest.models.values():
        assert len(entry.sha256) == 64 and entry.size_bytes > 1_000_000
        assert entry.package in manifest.packages


def test_verification_accepts_the_fetched_file_and_rejects_a_flipped_byte(blazepose_models, tmp_path):
    entry = load_manifest().models["detector"]
    verify_file(tflite_path(entry), entry)
    corrupted = tmp_path / entry.file
    shutil.copyfile(tflite_path(entry), corrupted)
    data = bytearray(corrupted.read_bytes())
    data[len(data) // 2] ^= 0x01
    corrupted.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="sha256"):
        verify_file(corrupted, entry)
    corrupted.write_bytes(bytes(data[:-1]))
    with pytest.raises(ModelIntegrityError, match="bytes"):
        verify_file(corrupted, entry)


def test_second_fetch_downloads_and_converts_nothing(blazepose_models):
    report = fetch_models()
    assert report.downloaded_packages == [] and report.extracted == [] and report.converted == []
    assert set(report.ready) | set(report.unavailable) == set(ALL_MODELS)
    assert {"detector", "full"} <= set(report.ready)
    for name, onnx_file in report.ready.items():
        entry = load_manifest().models[name]
        stamp = json.loads(stamp_path(entry).read_text())
        assert stamp["tflite_sha256"] == entry.sha256 == file_sha256(tflite_path(entry))
        assert stamp["converter_version"] == CONVERTER_VERSION
        assert stamp["onnx_sha256"] == file_sha256(onnx_file)


def test_missing_models_raise_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("STSP_COACH_CACHE", str(tmp_path))
    with pytest.raises(ModelsMissingError, match="stsp-coach models fetch"):
        ensure_models(["detector", "full"])


def test_ensure_models_returns_the_converted_files(blazepose_models):
    paths = ensure_models(["detector", "full"])
    assert paths == {name: blazepose_models.ready[name] for name in ("detector", "full")}


def test_models_list_command_reports_ready_models(blazepose_models, capsys):
    assert main(["models", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    states = {line.split()[0]: line.split()[1] for line in lines[1:]}
    assert states["detector"] == "ready" and states["full"] == "ready"


def test_runtime_reports_the_provider_it_really_uses(blazepose_models):
    cpu = OnnxModel(blazepose_models.ready["detector"], threads=1, device="cpu")
    assert (cpu.provider, cpu.device_name) == (CPU_PROVIDER, "CPU")
    auto = OnnxModel(blazepose_models.ready["detector"], threads=1, device="auto")
    assert auto.provider in (CPU_PROVIDER, CUDA_PROVIDER)
    if cuda_device_count() == 0:
        assert auto.provider == CPU_PROVIDER
    assert auto.provider == auto.session.get_providers()[0]


def test_models_fetch_command_on_a_complete_cache_reports_up_to_date(blazepose_models, capsys):
    assert main(["models", "fetch", "detector", "full"]) == 0
    output = capsys.readouterr().out
    assert "all up to date" in output
    assert "detector  ready" in output and "full      ready" in output


def test_converted_files_carry_the_pinned_hashes_and_a_damaged_one_is_converted_again(blazepose_models):
    manifest = load_manifest()
    for name, onnx_file in blazepose_models.ready.items():
        assert file_sha256(onnx_file) == manifest.models[name].onnx_sha256, name
    detector = manifest.models["detector"]
    data = bytearray(onnx_path(detector).read_bytes())
    data[len(data) // 2] ^= 0x01
    onnx_path(detector).write_bytes(bytes(data))
    report = fetch_models(("detector",))
    assert report.converted == ["detector"]
    assert file_sha256(onnx_path(detector)) == detector.onnx_sha256
