from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "safehub.meetings"
    label = "meetings"
