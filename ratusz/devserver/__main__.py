"""`python -m ratusz.devserver`: see the package's docstring."""

import sys

from ratusz.devserver.launcher import main

sys.exit(main())
