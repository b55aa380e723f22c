import sys

from stsp_app.cli import main

# Guarded: the desktop app starts its analysis in a "spawn" child process, which imports this module again.
if __name__ == "__main__":
    sys.exit(main())
