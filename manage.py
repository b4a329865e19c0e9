#!/usr/bin/env python
import os
import sys
from pathlib import Path

# `make setup` writes a random key for this checkout here; the web server (efficiency.wsgi)
# never reads it and refuses to start without SECRET_KEY in its environment.
LOCAL_KEY = Path(__file__).resolve().parent / "var" / "secret-key"


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "efficiency.settings")
    if not os.environ.get("SECRET_KEY") and LOCAL_KEY.is_file():
        os.environ["SECRET_KEY"] = LOCAL_KEY.read_text().strip()
        os.environ["SECRET_KEY_FROM_CHECKOUT"] = "1"  # `check --deploy` says so
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
