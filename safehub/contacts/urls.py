from django.urls import path

from safehub.contacts import views

app_name = "contacts"
urlpatterns = [
    path("new/", views.record_contact, name="record-contact"),
    path("<int:pk>/", views.contact_detail, name="contact"),
    path("<int:pk>/restriction/", views.restrict, name="restrict"),
]
