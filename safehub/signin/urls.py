from django.urls import path

from safehub.signin import views

app_name = "signin"
urlpatterns = [
    path("password/", views.change_password, name="change-password"),
]
