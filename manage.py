#!/usr/bin/env python
"""Same as `python -m ratusz`."""

from ratusz.__main__ import main

if __name__ == "__main__":
    main()
