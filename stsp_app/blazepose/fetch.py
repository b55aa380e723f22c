"""Fetch BlazePose's weights from their registry packages, verify them, convert them to ONNX.

The manifest ``models/blazepose_manifest.json`` names, for each model (``detector``, ``lite``, ``full``,
``heavy``), the registry package that holds it, the path inside, its sha256 and size. Files live in the
per-user cache (``model_cache_dir()/blazepose``), never in the repository:

- ``<name>.tflite``: the file as extracted from the package, checked against the manifest;
- ``<name>.onnx``: its conversion by :mod:`stsp_app.blazepose.tflite_to_onnx`;
- ``<name>.onnx.json``: the stamp saying which tflite sha256 and converter version the ONNX file came from,
  and the ONNX file's own sha256.

A second ``fetch`` only re-hashes the files: nothing is downloaded or converted again.
The detector and the full landmark model come from the PyPI wheel ``mediapipe`` (downloaded with
``pip download --no-deps``, never installed; a wheel is a zip); lite and heavy only exist in the npm package
``@mediapipe/pose`` (``npm pack``), so they are unavailable where ``npm`` is not on PATH.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from stsp_app.core.atomic_write import atomic_path, write_text_atomic
from stsp_app.core.content_hash import file_sha256
from stsp_app.core.paths import REPO_MODELS_DIR, bundle_dir, model_cache_dir
from stsp_app.errors import ModelsMissingError, UserFacingError

log = logging.getLogger(__name__)

MANIFEST_PATH = REPO_MODELS_DIR / "blazepose_manifest.json"
# The folder of converted BlazePose models inside the installed app (packaging/stsp-coach.spec).
BUNDLED_BLAZEPOSE_DIR = "blazepose_models"
DETECTOR = "detector"
LANDMARK_VARIANTS = ("lite", "full", "heavy")
ALL_MODELS = (DETECTOR, *LANDMARK_VARIANTS)
FETCH_HINT = "run `stsp-coach models fetch`"


class ModelIntegrityError(UserFacingError):
    """A model file does not match the sha256/size the manifest records."""


class PackageUnavailableError(UserFacingError):
    """A registry package cannot be fetched on this machine (e.g. npm is not installed)."""


@dataclass(frozen=True)
class ModelEntry:
    name: str  # detector | lite | full | heavy
    file: str  # file name in the cache, e.g. pose_landmark_full.tflite
    package: str  # key into the manifest's packages
    path_in_package: str
    sha256: str
    size_bytes: int
    onnx_sha256: str  # what our converter makes of it (the manifest pins it: the 2D figures rest on these bytes)
    drop_outputs: tuple[str, ...] = ()  # outputs the app never reads, left out of the ONNX model


@dataclass(frozen=True)
class Manifest:
    packages: dict[str, dict]
    models: dict[str, ModelEntry]


@dataclass
class FetchReport:
    """What one ``fetch_models`` call did (the second call on a complete cache downloads/converts nothing)."""

    downloaded_packages: list[str] = field(default_factory=list)
    extracted: list[str] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)
    ready: dict[str, Path] = field(default_factory=dict)  # model name -> ONNX path
    unavailable: dict[str, str] = field(default_factory=dict)  # model name -> reason


def load_manifest(path: Path = MANIFEST_PATH) -> Manifest:
    raw = json.loads(Path(path).read_text())
    models = {
        name: ModelEntry(
            name=name,
            file=item["file"],
            package=item["package"],
            path_in_package=item["path"],
            sha256=item["sha256"],
            size_bytes=int(item["bytes"]),
            onnx_sha256=item["onnx_sha256"],
            drop_outputs=tuple(item.get("drop_outputs", ())),
        )
        for name, item in raw["models"].items()
    }
    return Manifest(packages=raw["packages"], models=models)


def blazepose_cache_dir() -> Path:
    """Where the converted BlazePose models are: the user's cache, or inside the installed app, which carries
    the ones converted on the machine that built it."""
    bundled = bundle_dir()
    return bundled / BUNDLED_BLAZEPOSE_DIR if bundled is not None else model_cache_dir() / "blazepose"


def tflite_path(entry: ModelEntry) -> Path:
    return blazepose_cache_dir() / entry.file


def onnx_path(entry: ModelEntry) -> Path:
    return blazepose_cache_dir() / (Path(entry.file).stem + ".onnx")


def stamp_path(entry: ModelEntry) -> Path:
    return onnx_path(entry).with_name(onnx_path(entry).name + ".json")


def verify_file(path: Path, entry: ModelEntry) -> None:
    """Raise ModelIntegrityError unless ``path`` has the manifest's size and sha256 for ``entry``."""
    size = Path(path).stat().st_size
    if size != entry.size_bytes:
        raise ModelIntegrityError(
            f"{path}: {size} bytes, the manifest expects {entry.size_bytes} for {entry.name} "
            f"({entry.path_in_package}); the file is corrupt or from another package version"
        )
    actual = file_sha256(path)
    if actual != entry.sha256:
        raise ModelIntegrityError(
            f"{path}: sha256 {actual} does not match the manifest's {entry.sha256} for {entry.name} "
            f"({entry.path_in_package}); the file is corrupt or from another package version"
        )


def _run_download(command: list[str], cwd: Path, what: str) -> None:
    log.info("downloading %s: %s", what, " ".join(command))
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise PackageUnavailableError(f"could not download {what}: {detail[-1] if detail else 'no output'}")


def download_package(package: dict, directory: Path) -> Path:
    """Download one registry package into ``directory`` and return the archive's path."""
    if package["registry"] == "pypi":
        # Ask for the manifest's exact wheel whatever this interpreter is: only its data files are used.
        _run_download(
            [
                sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                "--only-binary=:all:", "--platform", package["platform"],
                "--python-version", package["python_version"],
                "--dest", str(directory), package["requirement"],
            ],
            directory,
            f"{package['requirement']} from PyPI",
        )
    elif package["registry"] == "npm":
        npm = shutil.which("npm")
        if npm is None:
            raise PackageUnavailableError(f"npm is not installed, so {package['spec']} cannot be fetched")
        _run_download([npm, "pack", "--silent", package["spec"]], directory, f"{package['spec']} from npm")
    else:
        raise UserFacingError(f"manifest names an unknown registry {package['registry']!r}")
    archive = directory / package["file_name"]
    if not archive.is_file():
        found = sorted(p.name for p in directory.iterdir())
        raise PackageUnavailableError(f"expected {package['file_name']} after the download, found {found}")
    return archive


def extract_member(archive: Path, member: str, destination: Path) -> None:
    """Copy one file out of a wheel (zip) or npm tarball (tar.gz) without unpacking the rest."""
    try:
        with atomic_path(destination) as temporary:
            if zipfile.is_zipfile(archive):
                with zipfile.ZipFile(archive) as bundle, bundle.open(member) as source, open(temporary, "wb") as target:
                    shutil.copyfileobj(source, target)
            else:
                with tarfile.open(archive, "r:gz") as bundle:
                    source = bundle.extractfile(member)
                    if source is None:
                        raise KeyError(member)
                    with source, open(temporary, "wb") as target:
                        shutil.copyfileobj(source, target)
    except KeyError:
        raise ModelIntegrityError(
            f"{archive.name} holds no file {member}: not the package the manifest names"
        ) from None


def _read_stamp(entry: ModelEntry) -> dict | None:
    try:
        return json.loads(stamp_path(entry).read_text())
    except (OSError, ValueError):
        return None


def _stamp_matches(entry: ModelEntry) -> bool:
    """The ONNX file exists and was converted from this manifest's tflite by this converter version."""
    from stsp_app.blazepose.tflite_to_onnx import CONVERTER_VERSION

    stamp = _read_stamp(entry)
    return (
        stamp is not None
        and onnx_path(entry).is_file()
        and stamp.get("tflite_sha256") == entry.sha256
        and stamp.get("converter_version") == CONVERTER_VERSION
    )


def _onnx_verified(entry: ModelEntry) -> bool:
    return _stamp_matches(entry) and file_sha256(onnx_path(entry)) == entry.onnx_sha256


def _tflite_verified(entry: ModelEntry) -> bool:
    path = tflite_path(entry)
    if not path.is_file():
        return False
    try:
        verify_file(path, entry)
    except ModelIntegrityError as error:
        log.warning("%s; fetching it again", error)
        return False
    return True


def _convert(entry: ModelEntry) -> None:
    from stsp_app.blazepose.tflite_to_onnx import CONVERTER_VERSION, convert_tflite_to_onnx

    log.info("converting %s to ONNX", entry.file)
    convert_tflite_to_onnx(tflite_path(entry), onnx_path(entry), drop_outputs=entry.drop_outputs)
    converted_sha256 = file_sha256(onnx_path(entry))
    if converted_sha256 != entry.onnx_sha256:
        onnx_path(entry).unlink()
        raise ModelIntegrityError(
            f"converting {entry.file} gave an ONNX file with sha256 {converted_sha256}, not the "
            f"{entry.onnx_sha256} the manifest pins: install the onnx version pyproject.toml names "
            "(`bash packaging/setup.sh`)")
    stamp = {
        "tflite_sha256": entry.sha256,
        "converter_version": CONVERTER_VERSION,
        "onnx_sha256": converted_sha256,
    }
    write_text_atomic(stamp_path(entry), json.dumps(stamp, indent=2) + "\n")


def fetch_models(names: tuple[str, ...] = ALL_MODELS) -> FetchReport:
    """Make each named model present, verified and converted; return what was done.

    A model whose package cannot be fetched here (npm missing for lite/heavy) is reported in
    ``report.unavailable``; a file that does not match the manifest raises ModelIntegrityError.
    """
    manifest = load_manifest()
    unknown = [name for name in names if name not in manifest.models]
    if unknown:
        raise UserFacingError(f"unknown model(s) {unknown}; known: {', '.join(manifest.models)}")
    report = FetchReport()
    entries = [manifest.models[name] for name in names]
    missing = [entry for entry in entries if not _tflite_verified(entry)]

    by_package: dict[str, list[ModelEntry]] = {}
    for entry in missing:
        by_package.setdefault(entry.package, []).append(entry)
    for package_name, package_entries in by_package.items():
        with tempfile.TemporaryDirectory(prefix="stsp-coach-fetch-") as scratch:
            try:
                archive = download_package(manifest.packages[package_name], Path(scratch))
            except PackageUnavailableError as error:
                if package_name == manifest.models[DETECTOR].package:
                    raise  # without the detector nothing works: a hard error
                for entry in package_entries:
                    report.unavailable[entry.name] = str(error)
                log.info("unavailable: %s (%s)", ", ".join(e.name for e in package_entries), error)
                continue
            report.downloaded_packages.append(package_name)
            for entry in package_entries:
                extract_member(archive, entry.path_in_package, tflite_path(entry))
                try:
                    verify_file(tflite_path(entry), entry)
                except ModelIntegrityError:
                    tflite_path(entry).unlink()
                    raise
                report.extracted.append(entry.name)

    for entry in entries:
        if entry.name in report.unavailable:
            continue
        if not _onnx_verified(entry):
            _convert(entry)
            report.converted.append(entry.name)
        report.ready[entry.name] = onnx_path(entry)
    return report


def model_state(entry: ModelEntry) -> str:
    """One word for ``models list``: ready, unconverted, corrupt or missing."""
    path = tflite_path(entry)
    if not path.is_file():
        return "missing"
    try:
        verify_file(path, entry)
    except ModelIntegrityError:
        return "corrupt"
    return "ready" if _onnx_verified(entry) else "unconverted"


def ensure_models(names: tuple[str, ...] | list[str]) -> dict[str, Path]:
    """ONNX paths of the named models; ModelsMissingError (with the fetch hint) if any is not ready.

    Cheap (no hashing): checks the files and their conversion stamps; ``models fetch`` does the hashing.
    """
    manifest = load_manifest()
    paths: dict[str, Path] = {}
    absent = []
    for name in names:
        if name not in manifest.models:
            raise UserFacingError(f"unknown BlazePose model {name!r}; known: {', '.join(manifest.models)}")
        entry = manifest.models[name]
        if _stamp_matches(entry):
            paths[name] = onnx_path(entry)
        else:
            absent.append(name)
    if absent:
        npm_note = ""
        if any(manifest.models[n].package != manifest.models[DETECTOR].package for n in absent):
            npm_note = " (lite and heavy need npm on PATH)"
        raise ModelsMissingError(
            f"BlazePose model(s) {', '.join(absent)} not found in {blazepose_cache_dir()}: {FETCH_HINT}{npm_note}"
        )
    return paths
