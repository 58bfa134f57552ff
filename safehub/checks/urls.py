from django.urls import path

from safehub.checks import views

app_name = "checks"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("worktray/", views.worktray, name="worktray"),
    path("alerts/read/", views.dismiss_alerts, name="dismiss-alerts"),
    path("requests/<int:pk>/", views.request_view, name="request"),
    path("requests/<int:pk>/gp-form.pdf", views.gp_form, name="gp-form"),
    path("requests/<int:pk>/agree/", views.agree, name="agree"),
    path("<int:pk>/", views.checks_view, name="checks"),
    path("<int:pk>/ask/", views.ask_another_agency, name="ask-another-agency"),
    path("<int:pk>/requests/<int:request_pk>/withdraw/", views.withdraw, name="withdraw"),
    path("contacts/<int:pk>/start/", views.start, name="start"),
]
