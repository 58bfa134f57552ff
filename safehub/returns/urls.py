from django.urls import path

from safehub.returns import views

app_name = "returns"
urlpatterns = [
    path("", views.home, name="home"),
    path("annex-a/", views.request_annex_a, name="request-annex-a"),
    path("census/", views.request_census, name="request-census"),
    path("checks/<int:pk>/", views.check, name="check"),
    path("checks/<int:pk>/download/", views.download, name="download"),
]
