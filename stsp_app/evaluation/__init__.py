"""Measurements anyone can rerun: speed benchmarks, 2D robustness, 3D accuracy (docs/RESULTS.md)."""
