"""The Celery app. Tasks live in each domain app's tasks.py and are thin: load ids,
call a service, stay idempotent."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marac.settings")

app = Celery("marac")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
