from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "marac.meetings"
    label = "meetings"

    def ready(self):
        from marac.notifications.sweep import register_sweep_step

        from . import packs  # noqa: F401  (registers the meeting_pack job handler)
        from .services import flag_overdue_actions

        register_sweep_step("overdue_actions", flag_overdue_actions)
