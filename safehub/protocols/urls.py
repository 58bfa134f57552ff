from django.urls import path

from safehub.protocols import views

app_name = "protocols"
urlpatterns = [
    path("", views.protocol_list, name="list"),
    path("<int:pk>/", views.protocol_detail, name="protocol"),
    path("<int:pk>/activate/", views.activate, name="activate"),
]
