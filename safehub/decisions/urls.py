from django.urls import path

from safehub.decisions import views

app_name = "decisions"
urlpatterns = [
    path("<int:pk>/recommendation/", views.recommend, name="recommend"),
    path("<int:pk>/approval/", views.approve, name="approve"),
    path("<int:pk>/outcome/", views.action_outcome, name="action-outcome"),
]
