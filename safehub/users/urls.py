from django.urls import path

from safehub.users import views

app_name = "users"
urlpatterns = [
    path("", views.home, name="home"),
    path("users/", views.user_list, name="users"),
    path("users/new/", views.create_user, name="create-user"),
    path("users/<int:pk>/", views.user_detail, name="user"),
    path("users/<int:pk>/<slug:action>/", views.change_user, name="change-user"),
    path("locked-accounts/", views.locked_accounts, name="locked-accounts"),
    path("agencies/", views.agency_list, name="agencies"),
    path("agencies/new/", views.create_agency, name="create-agency"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency"),
    path("teams/<int:pk>/rename/", views.rename_team, name="rename-team"),
]
