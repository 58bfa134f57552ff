from django.urls import path

from safehub.domestic_abuse import views

app_name = "domestic_abuse"
urlpatterns = [
    path("contacts/<int:contact_pk>/", views.record, name="record"),
    path("checklist/", views.checklist, name="checklist"),
    path("checklist/add/", views.question, name="add-question"),
    path("checklist/<int:number>/", views.question, name="question"),
]
