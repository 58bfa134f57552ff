from django.urls import path

from safehub.signin import views

app_name = "signin"
urlpatterns = [
    path("locked-accounts/", views.locked_accounts, name="locked-accounts"),
    path("locked-accounts/<int:user_id>/unlock/", views.unlock_account, name="unlock-account"),
]
