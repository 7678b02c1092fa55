from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "marac.orders"
    label = "orders"

    def ready(self):
        from marac.notifications.sweep import register_sweep_step

        from . import sweeps

        register_sweep_step("orders_notification_overdue", sweeps.notification_overdue)
        register_sweep_step("orders_expiry_reminder", sweeps.expiry_reminder)
        register_sweep_step("orders_expire", sweeps.expire_orders)
        register_sweep_step("orders_breach_response_overdue", sweeps.breach_response_overdue)
