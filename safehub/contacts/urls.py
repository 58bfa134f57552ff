from django.urls import path

from safehub.contacts import views
from safehub.pages import views as pages  # the contact page is assembled above every app that has a panel on it

app_name = "contacts"
urlpatterns = [
    path("new/", views.record_contact, name="record-contact"),
    path("find/", views.find_contact, name="find-contact"),
    path("<int:pk>/", pages.contact, name="contact"),
    path("<int:pk>/pack.pdf", pages.contact_pack, name="contact-pack"),
    path("<int:pk>/restriction/", views.restrict, name="restrict"),
    path("<int:pk>/allocation/", views.allocate, name="allocate"),
]
