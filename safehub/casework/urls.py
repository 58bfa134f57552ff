from django.urls import path

from safehub.casework import views

app_name = "casework"
urlpatterns = [
    path("import/", views.import_page_view, name="import"),
]
