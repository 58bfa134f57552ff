from django.urls import path

from safehub.handoffs import views

app_name = "handoffs"

urlpatterns = [
    path("<int:pk>/received/", views.mark_received, name="mark-received"),
]
