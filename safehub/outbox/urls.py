from django.urls import path

from safehub.outbox import views

app_name = "outbox"
urlpatterns = [path("", views.outbox, name="outbox")]
