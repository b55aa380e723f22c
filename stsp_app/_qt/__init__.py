"""The desktop application's Qt widgets (PySide6). Only this package and stsp_app._vispy import a GUI toolkit."""
