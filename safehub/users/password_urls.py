"""The one-time set-password link's page: open to a visitor who is not signed in (the link is the key)."""

from django.urls import path

from safehub.users import views

app_name = "passwords"
urlpatterns = [
    path("<uidb64>/<token>/", views.SetPasswordView.as_view(), name="set-password"),
]
