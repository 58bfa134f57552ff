from django.urls import path

from safehub.consent import views

app_name = "consent"
urlpatterns = [
    path("contacts/<int:contact_pk>/answer/", views.record_answer, name="answer"),
    path("contacts/<int:contact_pk>/competence/", views.assess_competence, name="competence"),
    path("contacts/<int:contact_pk>/share-without-consent/", views.ask_override, name="ask"),
    path("contacts/<int:contact_pk>/wait-for-consent/", views.pause, name="pause"),
    path("contacts/<int:contact_pk>/resume/", views.resume, name="resume"),
    path("overrides/", views.overrides, name="overrides"),
    path("overrides/<int:pk>/", views.override, name="override"),
    path("overrides/<int:pk>/decide/", views.decide, name="decide"),
    path("overrides/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
