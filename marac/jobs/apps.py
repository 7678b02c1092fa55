from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "marac.jobs"
    label = "jobs"

    def ready(self):
        from marac.notifications.sweep import register_sweep_step

        from . import selftest  # noqa: F401  registers the self-test job kind
        from .services import dispatch_pending_jobs

        register_sweep_step("dispatch_pending_jobs", lambda today: dispatch_pending_jobs())
