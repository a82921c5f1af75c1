"""`python -m datasync_tui`: the same as the `datasync-tui` command."""

import sys

from datasync_tui.cli import main

if __name__ == "__main__":
    sys.exit(main())
