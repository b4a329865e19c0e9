import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")
# A server takes SECRET_KEY from its environment only, never the checkout's var/secret-key.
os.environ["EFFICIENCY_WEB_SERVER"] = "1"
application = get_wsgi_application()

# A restore refuses to run under a live server: it looks for this process's file in var/run.
from efficiency.backup.running import announce  # noqa: E402 - needs the settings loaded

announce()
