from django.urls import path

from safehub.information_requests import views

app_name = "information_requests"
urlpatterns = [
    path("", views.requests_list, name="list"),
    path("new/", views.take, name="take"),
    path("<int:pk>/", views.request_page, name="request"),
    path("<int:pk>/approve/", views.approve, name="approve"),
]
