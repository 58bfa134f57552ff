from django.urls import path  # noqa: F401

app_name = "decisions"
urlpatterns: list = []  # type: ignore[type-arg]
