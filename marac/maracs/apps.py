from django.apps import AppConfig


class MaracsConfig(AppConfig):
    name = "marac.maracs"
    label = "maracs"
