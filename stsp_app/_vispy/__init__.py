"""vispy scenes embedded in the Qt application (the 3D skeleton view)."""
