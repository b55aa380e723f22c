"""The machine and library versions a measurement ran on, stated with every table (figures of the 2D stage
differ in their last digits from one CPU to another)."""

from __future__ import annotations

import os
import platform
from importlib import metadata

# The libraries whose versions change the figures: numerics, the model runtime, video decoding.
MEASURING_LIBRARIES = ("numpy", "scipy", "onnxruntime-gpu", "onnxruntime", "opencv-python-headless", "onnx")


def cpu_name() -> str:
    """The CPU's model name (Linux: /proc/cpuinfo), else what the platform says."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine_description() -> str:
    """One line: cores, CPU, system, Python and the measuring libraries' versions."""
    versions = []
    for name in MEASURING_LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return (f"{os.cpu_count()} cores, {cpu_name()}, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, " + ", ".join(versions))
