"""`python -m routes <command> ...`: the command line (routes/cli/)."""

import sys

from routes.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
