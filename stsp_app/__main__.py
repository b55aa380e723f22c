import sys

from stsp_app.cli import main

sys.exit(main())
