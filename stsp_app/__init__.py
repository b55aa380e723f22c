"""STSP Coach: 3D motion analysis of children's sport from monocular video.

Layers (napari-style): the Qt-free core (`core`, `blazepose`, `epe`, `lifting`, `mocap`, `evaluation`,
`pipeline`) is plain Python/numpy/torch and is tested without a screen; `_vispy` renders and `_qt` holds the
widgets. pyproject.toml's import-linter contract stops the core from importing any GUI toolkit.
"""

__version__ = "0.1.0"
