from django.urls import path

from safehub.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.meetings_page, name="meetings"),
    path("open/", views.open_meeting, name="open"),
    path("triage/", views.meetings_page, {"kind": "triage"}, name="triage"),
    path("triage/open/", views.open_meeting, {"kind": "triage"}, name="open-triage"),
    path("triage/<int:pk>/", views.meeting_page, name="triage-meeting"),
    path("<int:pk>/", views.meeting_page, name="meeting"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/items/<int:item_pk>/", views.decide, name="decide"),
    path("<int:pk>/close/", views.close, name="close"),
]
