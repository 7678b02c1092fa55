from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "marac.support"
    label = "support"
