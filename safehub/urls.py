from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from safehub.accounts import views as account_views

urlpatterns = [
    path("", include("safehub.queues.urls")),
    path("account/", include("safehub.accounts.urls")),
    path("account/", include("safehub.mfa.urls")),
    path("account/", include("safehub.signin.urls")),
    path("contacts/", include("safehub.contacts.urls")),
    path("contacts/", include("safehub.screening.urls")),
    path("contacts/", include("safehub.decisions.urls")),
    path("people/", include("safehub.people.urls")),
    path("handoffs/", include("safehub.handoffs.urls")),
    path("matching/", include("safehub.matching.urls")),
    # The MASH checks timeliness report moved to the reports app; old links and bookmarks still work.
    path("checks/timeliness/", RedirectView.as_view(pattern_name="reports:checks-timeliness", query_string=True)),
    path("checks/", include("safehub.checks.urls")),
    path("consultations/", include("safehub.consultations.urls")),
    path("strategy/", include("safehub.strategy.urls")),
    path("meetings/", include("safehub.meetings.urls")),
    path("domestic-abuse/", include("safehub.domestic_abuse.urls")),
    path("consent/", include("safehub.consent.urls")),
    path("sharing/", include("safehub.sharing.urls")),
    path("referral-outcomes/", include("safehub.partner_outcomes.urls")),
    path("information-requests/", include("safehub.information_requests.urls")),
    path("letters/", include("safehub.letters.urls")),
    path("referrals/", include("safehub.onward.urls")),
    path("protocols/", include("safehub.protocols.urls")),
    path("audit/", include("safehub.audit.urls")),
    path("reports/", include("safehub.reports.urls")),
    path("casework/", include("safehub.casework.urls")),
    path("returns/", include("safehub.returns.urls")),
    path("outbox/", include("safehub.outbox.urls")),  # demo mode only
    path("administration/", include("safehub.users.urls")),
    path("set-password/", include("safehub.users.password_urls")),
    # The admin signs in through Safehub's own page, with its guessing limits and audit (ADR 0023).
    path("admin/login/", account_views.admin_sign_in, name="admin-sign-in"),
    path("admin/", account_views.admin_index, name="admin-home"),
    # Passwords change on Safehub's own page, with its rules, its limits and its audit.
    path("admin/password_change/", RedirectView.as_view(pattern_name="signin:change-password"), name="admin-password"),
    path("admin/", admin.site.urls),  # off unless SAFEHUB_ADMIN_ENABLED (users.middleware)
]

handler404 = "safehub.core.views.not_found"
handler403 = "safehub.core.views.forbidden"
