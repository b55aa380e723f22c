import multiprocessing
import sys

from stsp_app.cli import main

# Guarded: the desktop app runs its analysis in a "spawn" child process, which imports this module again.
if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen (PyInstaller) app starts its child processes through here
    sys.exit(main())
