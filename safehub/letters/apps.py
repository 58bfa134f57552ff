from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "safehub.letters"
    label = "letters"
    verbose_name = "Letters and messages"
