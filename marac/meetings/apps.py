from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "marac.meetings"
    label = "meetings"
