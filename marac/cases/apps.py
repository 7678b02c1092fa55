from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "marac.cases"
    label = "cases"
