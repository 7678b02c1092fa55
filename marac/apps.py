from django.apps import AppConfig
from django.db.backends.signals import connection_created


class MaracConfig(AppConfig):
    """The project package itself: registers project-wide system checks and the
    PostgreSQL connection setup (marac.postgres)."""

    name = "marac"
    verbose_name = "MARAC"

    def ready(self):
        from . import checks  # noqa: F401
        from .postgres import use_iso_timestamptz_loader

        connection_created.connect(use_iso_timestamptz_loader, dispatch_uid="marac.iso_timestamptz_loader")
