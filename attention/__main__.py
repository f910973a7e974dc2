"""``python -m attention`` is the ``attention`` command."""

import sys

from .cli import main

sys.exit(main())
