from django.urls import path

from safehub.screening import views

app_name = "screening"
urlpatterns = [
    path("<int:pk>/screening/", views.screen_contact, name="screen-contact"),
    path("<int:pk>/screening/people/", views.identify_people, name="identify-people"),
]
