from django.apps import AppConfig


class MaracConfig(AppConfig):
    """The project package itself: registers project-wide system checks."""

    name = "marac"
    verbose_name = "MARAC"

    def ready(self):
        from . import checks  # noqa: F401
