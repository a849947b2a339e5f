"""WSGI entry point for application servers (gunicorn, uwsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
application = get_wsgi_application()

# perfweb (issue 16): the calendar imports `holidays` lazily for the command's start-up; a
# server worker imports it now rather than during its first request.
from motcua.workcalendar.engine import preload  # noqa: E402

preload()
