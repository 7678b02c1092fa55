"""gunicorn reads this file from the working directory. It refuses to start the API
unless Django's deploy checks pass at error level: above all, no real
DJANGO_SECRET_KEY (marac.E001) means no server."""

import os
import sys


def on_starting(server):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marac.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    try:
        call_command("check", deploy=True, fail_level="ERROR")
    except SystemCheckError as exc:
        server.log.error("Refusing to start: the deploy checks failed.\n%s", exc)
        sys.exit(1)
