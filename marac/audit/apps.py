from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "marac.audit"
    label = "audit"
