"""The WSGI application, for gunicorn and any other WSGI server (and `safehub runserver`)."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

# gunicorn's code for a worker that cannot boot: it stops, rather than start worker after worker.
CANNOT_BOOT = 3

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    # A missing or bad setting (SECRET_KEY, say) is one line, not a traceback in every worker's log.
    sys.stderr.write(f"safehub: {' '.join(str(error).split())}\n")
    raise SystemExit(CANNOT_BOOT) from None
