from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"

    def ready(self):
        from . import checks, schema  # noqa: F401  (the slice's start-up check; OpenAPI extensions)
