"""Help -> About: the version, the licences of what the app is built from, and where it keeps its data."""

from __future__ import annotations

from importlib import metadata

from stsp_app import __version__
from stsp_app.blazepose.fetch import blazepose_cache_dir
from stsp_app.core.paths import user_cache_dir
from stsp_app.records.data_folder import data_folder

# The libraries the app runs on, as their packages are named.
LIBRARIES = ("PySide6-Essentials", "opencv-python-headless", "onnxruntime-gpu", "onnxruntime", "numpy", "scipy",
             "pyqtgraph", "vispy", "matplotlib", "reportlab", "ezc3d", "platformdirs")
MODELS_LICENCE = "BlazePose keypoint models (MediaPipe Pose, Google): Apache-2.0, fetched from their registry packages"


def licence_of(distribution: str) -> str | None:
    """An installed package's licence as its metadata states it (None when it is not installed)."""
    try:
        fields = metadata.metadata(distribution)
    except metadata.PackageNotFoundError:
        return None
    expression = fields.get("License-Expression")
    if expression:
        return expression
    stated = (fields.get("License") or "").strip()
    if stated and "\n" not in stated and len(stated) <= 60 and not stated.lower().startswith(("copyright", "license agreement")):
        return stated
    classifiers = [value.split("::")[-1].strip() for value in fields.get_all("Classifier") or []
                   if value.startswith("License ::")]
    return classifiers[0] if classifiers else "see the package's licence file"


def about_text(settings_file: str) -> str:
    """The About box's text: plain lines, the data folders last (a coach may be asked where the data is)."""
    libraries = [f"  {name} {metadata.version(name)}: {licence}" for name in LIBRARIES
                 if (licence := licence_of(name)) is not None]
    return "\n".join([
        f"STSP Coach {__version__}",
        "3D motion analysis of children's sport from video.",
        "",
        MODELS_LICENCE,
        "Built on:",
        *libraries,
        "",
        "Where the data lives (children's data is personal data: it stays on this computer):",
        f"  children's records, sessions, reports, exports: {data_folder()}",
        f"  stored analyses (File -> Delete cached analyses): {user_cache_dir() / 'analyses'}",
        f"  keypoint models: {blazepose_cache_dir()}",
        f"  settings: {settings_file}",
    ])
