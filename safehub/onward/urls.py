from django.urls import path

from safehub.onward import views

app_name = "onward"
urlpatterns = [
    path("", views.packs, name="packs"),
    path("contacts/<int:pk>/send/<slug:outcome>/", views.send, name="send"),
    path("packs/<int:pk>/", views.pack, name="pack"),
    path("packs/<int:pk>/referral.pdf", views.pdf, name="pdf"),
    path("packs/<int:pk>/accept/", views.accept, name="accept"),
    path("packs/<int:pk>/return/", views.return_pack, name="return"),
    path("teams/", views.teams, name="teams"),
    path("teams/new/", views.team, name="add-team"),
    path("teams/<int:pk>/", views.team, name="team"),
]
