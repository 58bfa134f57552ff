from django.urls import path  # noqa: F401

app_name = "contacts"
urlpatterns: list = []  # type: ignore[type-arg]
