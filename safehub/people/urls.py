from django.urls import path

from safehub.people import views

app_name = "people"
urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/warnings/", views.record_warnings, name="record-warnings"),
    path("<int:pk>/involvements/new/", views.add_involvement, name="add-involvement"),
    path("<int:pk>/involvements/<int:involvement_pk>/end/", views.end_involvement, name="end-involvement"),
    path("involvements/import/", views.import_involvements_page, name="import-involvements"),
]
