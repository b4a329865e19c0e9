import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")
# A server takes SECRET_KEY from its environment only, never the checkout's var/secret-key.
os.environ["EFFICIENCY_WEB_SERVER"] = "1"
application = get_wsgi_application()
