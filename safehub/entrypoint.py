"""What this process is for, as its entry point declares it before the settings are read.

A process that may serve web requests needs the real SECRET_KEY: sessions, CSRF tokens and the
signed-in user's session hash are signed with it. A process that serves none (an offline data
command such as `safehub link`, or any command's `--help`) signs nothing that outlives it, so
`safehub.cli` declares it offline and the settings give it a random key of its own (ADR 0013).

Every other way in (gunicorn or any WSGI or ASGI server, `python -m django`, a script that sets
DJANGO_SETTINGS_MODULE) leaves the default, so a missing key stops it. The declaration is a
variable in this process, not an environment variable, so the processes it starts never inherit it.
"""

serves_web_requests = True
