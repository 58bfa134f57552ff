from django.urls import path

from safehub.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Each table of each tile downloads from an address of its own that ends in .csv.
    path("dashboard/<slug:slug>/<slug:table>.csv", views.dashboard_csv, name="dashboard-csv"),
    path("mash-checks-timeliness/", views.mash_checks_timeliness, name="checks-timeliness"),
    # The download has an address of its own that ends in .csv, so browsers and tools know it for one.
    path("mash-checks-timeliness.csv", views.mash_checks_timeliness_csv, name="checks-timeliness-csv"),
    path("strategy-timeliness/", views.strategy_timeliness, name="strategy-timeliness"),
    path("strategy-timeliness.csv", views.strategy_timeliness_csv, name="strategy-timeliness-csv"),
    path("strategy-attendance.csv", views.strategy_attendance_csv, name="strategy-attendance-csv"),
    path("consent/", views.consent, name="consent"),
    path("consent.csv", views.consent_csv, name="consent-csv"),
    path("telling-people/", views.telling_people_report, name="telling-people"),
    path("telling-people.csv", views.telling_people_csv, name="telling-people-csv"),
]
