from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("safehub.queues.urls")),
    path("account/", include("safehub.accounts.urls")),
    path("contacts/", include("safehub.contacts.urls")),
    path("contacts/", include("safehub.screening.urls")),
    path("contacts/", include("safehub.decisions.urls")),
    path("people/", include("safehub.people.urls")),
    path("matching/", include("safehub.matching.urls")),
    path("checks/", include("safehub.checks.urls")),
    path("consultations/", include("safehub.consultations.urls")),
    path("protocols/", include("safehub.protocols.urls")),
    path("audit/", include("safehub.audit.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "safehub.core.views.not_found"
handler403 = "safehub.core.views.forbidden"
