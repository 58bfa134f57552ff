from django.urls import path  # noqa: F401

app_name = "protocols"
urlpatterns: list = []  # type: ignore[type-arg]
