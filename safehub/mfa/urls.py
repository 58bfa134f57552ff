from django.urls import path

from safehub.mfa import views

app_name = "mfa"
urlpatterns = [
    # Under the sign-in page's address: the second step is part of signing in.
    path("sign-in/code/", views.second_step, name="second-step"),
    path("sign-in/recovery-code/", views.recovery_code, name="recovery-code"),
    path("sign-in/set-up/", views.set_up, name="set-up"),
    path("", views.account, name="account"),
    path("recovery-codes/", views.recovery_codes, name="recovery-codes"),
    path("recovery-codes/new/", views.new_recovery_codes, name="new-recovery-codes"),
]
