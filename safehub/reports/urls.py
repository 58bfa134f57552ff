from django.urls import path

from safehub.reports import views

app_name = "reports"
urlpatterns = [
    path("mash-checks-timeliness/", views.mash_checks_timeliness, name="checks-timeliness"),
]
