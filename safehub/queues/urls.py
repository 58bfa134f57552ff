from django.urls import path

from safehub.queues import views

app_name = "queues"
urlpatterns = [
    path("", views.home, name="home"),
    path("queues/<slug:slug>/", views.queue, name="queue"),
    path("caseload/", views.caseload, name="caseload"),
]
