#!/usr/bin/env python
"""Django's manage.py, the same as the `safehub` command (safehub/cli.py)."""

from safehub.cli import main

if __name__ == "__main__":
    main()
