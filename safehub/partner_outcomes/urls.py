from django.urls import path

from safehub.partner_outcomes import views

app_name = "partner_outcomes"
urlpatterns = [
    path("", views.referrals, name="referrals"),
    path("<int:pk>/", views.referral, name="referral"),
]
