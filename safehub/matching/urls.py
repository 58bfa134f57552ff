from django.urls import path

from safehub.matching import views

app_name = "matching"
urlpatterns = [
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("duplicates/<int:pk>/", views.duplicate_pair, name="pair"),
    path("merges/<int:pk>/undo/", views.undo_merge, name="undo-merge"),
]
