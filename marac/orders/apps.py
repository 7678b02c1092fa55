from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "marac.orders"
    label = "orders"

    def ready(self):
        from marac.meetings.pack_sections import register_pack_section
        from marac.notifications.sweep import register_sweep_step

        from . import sweeps
        from .pack import spo_pack_section, spo_request_pack_section

        register_pack_section("spo_summary", "Stalking Protection Orders", spo_pack_section)
        register_pack_section("spo_requests", "Requests for a Stalking Protection Order", spo_request_pack_section)

        register_sweep_step("orders_notification_overdue", sweeps.notification_overdue)
        register_sweep_step("orders_change_notification_overdue", sweeps.change_notification_overdue)
        register_sweep_step("orders_expiry_reminder", sweeps.expiry_reminder)
        register_sweep_step("orders_expire", sweeps.expire_orders)
        register_sweep_step("orders_breach_response_overdue", sweeps.breach_response_overdue)
        register_sweep_step("orders_spo_request_response_overdue", sweeps.spo_request_response_overdue)
