from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "marac.notifications"
    label = "notifications"
