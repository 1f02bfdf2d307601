# Served over WSGI (gunicorn) in production: a sync Django app is slower over ASGI.
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()
