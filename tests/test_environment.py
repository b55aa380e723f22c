"""The machine line stated with every measured table."""

import os
import platform

from stsp_app.core.environment import cpu_name, machine_description


def test_the_machine_line_names_the_cores_the_cpu_python_and_the_libraries():
    line = machine_description()
    assert line.startswith(f"{os.cpu_count()} cores, {cpu_name()}, ")
    assert f"Python {platform.python_version()}" in line
    assert "numpy " in line and "scipy " in line and ("onnxruntime" in line) and "opencv-python-headless " in line
    assert cpu_name()
