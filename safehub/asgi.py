"""The ASGI application, for an ASGI server; it refuses a bad setting as safehub.wsgi does."""

import os
import sys

from django.core.asgi import get_asgi_application
from django.core.exceptions import ImproperlyConfigured

from safehub.wsgi import CANNOT_BOOT

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.settings")
try:
    application = get_asgi_application()
except ImproperlyConfigured as error:
    sys.stderr.write(f"safehub: {' '.join(str(error).split())}\n")
    raise SystemExit(CANNOT_BOOT) from None
