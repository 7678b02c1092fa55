from django.apps import AppConfig


class WebConfig(AppConfig):
    """HTTP for people: the server-rendered web app served at `/`."""

    name = "web"
    label = "web"
    verbose_name = "MARAC web app"

    def ready(self):
        from . import checks  # noqa: F401  (registers the policy-row check)
