from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "safehub.contacts"
    label = "contacts"
    verbose_name = "Contacts"
