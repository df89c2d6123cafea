"""`python -m bot.cli ...` is `certcheck ...`."""

import sys

from . import main

sys.exit(main())
