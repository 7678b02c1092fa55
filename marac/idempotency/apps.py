from django.apps import AppConfig


class IdempotencyConfig(AppConfig):
    name = "marac.idempotency"
    label = "idempotency"

    def ready(self):
        from marac.notifications.sweep import register_sweep_step

        from .services import sweep_expired_keys

        register_sweep_step("expire_idempotency_keys", sweep_expired_keys)
