from django.apps import AppConfig


class WebConfig(AppConfig):
    """HTTP for people: the server-rendered web app served at `/`."""

    name = "web"
    label = "web"
    verbose_name = "MARAC web app"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the policy-row check)
        from .middleware import stamp_new_session

        user_logged_in.connect(stamp_new_session, dispatch_uid="web.stamp_new_session")
