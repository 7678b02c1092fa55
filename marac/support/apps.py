from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "marac.support"
    label = "support"

    def ready(self):
        from marac.notifications.sweep import register_sweep_step

        from .sweeps import review_due

        register_sweep_step("support_plan_review_due", review_due)
