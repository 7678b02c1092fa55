from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "marac.agencies"
    label = "agencies"
