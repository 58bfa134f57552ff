"""The `safehub` command: Django's management commands, named with hyphens.

`safehub verify-audit` runs the `verify_audit` command; `safehub runserver` works as usual.

Only the commands that serve web requests need the real SECRET_KEY; the rest (offline data commands
such as `safehub link`, and any command's `--help`) run with a key of their own (ADR 0013). A missing
or bad setting is one line on stderr and a non-zero exit, never a traceback (unless --traceback asks for it).
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line

from safehub import entrypoint

# Django's commands that answer web requests. gunicorn and other servers load safehub.wsgi instead.
SERVING_COMMANDS = frozenset({"runserver", "testserver"})
HELP = frozenset({"-h", "--help", "--version"})


def serves_web_requests(args: list[str]) -> bool:
    """Whether the command in `args` (as `sys.argv`, with the command already in Django's spelling)
    will answer web requests: a serving command, not just asked for its help."""
    return len(args) > 1 and args[1] in SERVING_COMMANDS and not HELP.intersection(args[2:])


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    entrypoint.serves_web_requests = serves_web_requests(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
    try:
        settings.INSTALLED_APPS  # noqa: B018 - read the settings now, so that a bad one stops here
        execute_from_command_line(args)
    except ImproperlyConfigured as error:
        if "--traceback" in args:
            raise
        sys.exit(f"safehub: {' '.join(str(error).split())}")


if __name__ == "__main__":
    main()
