"""The app's persistent settings (QSettings): model size, device, smoothing strength, units, face blurring,
recent files and the slow-motion rates given for them."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QSettings

from stsp_app.analysis_settings import AnalysisSettings
from stsp_app.epe.config import DEVICES, MODEL_VARIANTS

LENGTH_UNITS: dict[str, float] = {"mm": 1.0, "cm": 0.1}  # unit -> factor from millimetres
MAX_RECENT_FILES = 8
MIN_STATURE_CM, MAX_STATURE_CM = 50.0, 250.0


class AppSettings:
    """Typed access to the stored settings; every change is written at once."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()

    def file_name(self) -> str:
        """Where the settings are kept (a file, or the system's registry on Windows)."""
        return self._store.fileName()

    def _text(self, key: str, allowed, default: str) -> str:
        value = str(self._store.value(key, default))
        return value if value in allowed else default

    @property
    def model(self) -> str:
        return self._text("analysis/model", MODEL_VARIANTS, "full")

    @model.setter
    def model(self, value: str) -> None:
        self._store.setValue("analysis/model", value)

    @property
    def device(self) -> str:
        return self._text("analysis/device", DEVICES, "auto")

    @device.setter
    def device(self, value: str) -> None:
        self._store.setValue("analysis/device", value)

    @property
    def smoothing(self) -> float:
        try:
            return min(max(float(self._store.value("analysis/smoothing", 1.0)), 0.0), 3.0)
        except (TypeError, ValueError):
            return 1.0

    @smoothing.setter
    def smoothing(self, value: float) -> None:
        self._store.setValue("analysis/smoothing", float(value))

    @property
    def small_people(self) -> bool:
        """Also look for people too small for the detector in a wide shot (EPEConfig.detection_tiles); off by
        default: it sometimes adds a false person to the list. Without it the picture's quarters are searched
        only while nobody is found."""
        value = self._store.value("analysis/small_people", False)
        return value.lower() == "true" if isinstance(value, str) else bool(value)

    @small_people.setter
    def small_people(self, value: bool) -> None:
        self._store.setValue("analysis/small_people", bool(value))

    @property
    def stature_cm(self) -> float:
        """The child's height, which sets the 3D scale; 0 when unknown (the models' proportions are used)."""
        try:
            value = float(self._store.value("analysis/stature_cm", 0.0))
        except (TypeError, ValueError):
            return 0.0
        return value if MIN_STATURE_CM <= value <= MAX_STATURE_CM else 0.0

    @stature_cm.setter
    def stature_cm(self, value: float) -> None:
        self._store.setValue("analysis/stature_cm", float(value))

    @property
    def length_unit(self) -> str:
        return self._text("display/length_unit", LENGTH_UNITS, "mm")

    @length_unit.setter
    def length_unit(self, value: str) -> None:
        self._store.setValue("display/length_unit", value)

    @property
    def blur_faces(self) -> bool:
        """Blur every face in exported pictures and reports (on unless the coach turns it off)."""
        value = self._store.value("privacy/blur_faces", True)
        return value.lower() != "false" if isinstance(value, str) else bool(value)

    @blur_faces.setter
    def blur_faces(self, value: bool) -> None:
        self._store.setValue("privacy/blur_faces", bool(value))

    @property
    def technical_details(self) -> bool:
        """Show the technical figures (the models' device and speed, the jitter's name and unit); off by default:
        a coach reads plain words."""
        value = self._store.value("display/technical_details", False)
        return value.lower() == "true" if isinstance(value, str) else bool(value)

    @technical_details.setter
    def technical_details(self, value: bool) -> None:
        self._store.setValue("display/technical_details", bool(value))

    @property
    def recent_files(self) -> list[str]:
        value = self._store.value("files/recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(path) for path in (value or [])]

    def add_recent_file(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        recent = [path] + [other for other in self.recent_files if other != path]
        self._store.setValue("files/recent", recent[:MAX_RECENT_FILES])

    def clear_recent_files(self) -> None:
        self._store.setValue("files/recent", [])
        self._store.setValue("files/slow_motion", "{}")

    def slow_motion_rate(self, path: str | Path) -> float | None:
        """The filming rate last given for the video at ``path`` (Analysis → Filmed in slow motion…), while the
        file is still the one it was given for (same size and modification time); None otherwise."""
        entry = self._slow_motion_rates().get(str(Path(path).resolve()))
        return entry["fps"] if entry is not None and entry["file"] == _file_identity(path) else None

    def set_slow_motion_rate(self, path: str | Path, capture_fps: float | None) -> None:
        """Remember (None: forget) the rate ``path`` was filmed at; kept for the recent files only."""
        rates = self._slow_motion_rates()
        path = str(Path(path).resolve())
        rates.pop(path, None)
        if capture_fps is not None:
            rates[path] = {"fps": float(capture_fps), "file": _file_identity(path)}
        recent = set(self.recent_files) | {path}
        self._store.setValue("files/slow_motion", json.dumps({key: rates[key] for key in rates if key in recent}))

    def _slow_motion_rates(self) -> dict:
        try:
            rates = json.loads(str(self._store.value("files/slow_motion", "{}")))
        except ValueError:  # damaged by hand: forget the rates, keep the rest
            return {}
        return rates if isinstance(rates, dict) else {}

    def analysis_settings(self) -> AnalysisSettings:
        """The settings that change an analysis's result (its cache key is made from them)."""
        return AnalysisSettings(model=self.model, smoothing=self.smoothing, small_people=self.small_people,
                                stature_mm=10.0 * self.stature_cm if self.stature_cm else None)


def _file_identity(path: str | Path) -> list[int]:
    """[size, modification time in ns] of a file ([] if it is gone): another file at the same path differs."""
    try:
        status = Path(path).stat()
    except OSError:
        return []
    return [status.st_size, status.st_mtime_ns]
