from django.apps import AppConfig


class QueuesConfig(AppConfig):
    name = "safehub.queues"
    label = "queues"
