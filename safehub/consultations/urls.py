from django.urls import path

from safehub.consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("new/", views.record_consultation, name="record"),
    path("<int:pk>/", views.consultation_detail, name="consultation"),
    path("<int:pk>/summary-sent/", views.send_summary, name="send-summary"),
]
