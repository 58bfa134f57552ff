from django.urls import path

from safehub.letters import views

app_name = "letters"
urlpatterns = [
    path("", views.waiting, name="waiting"),
    path("contacts/<int:pk>/write/<slug:kind>/", views.write, name="write"),
    path("contacts/<int:pk>/not-written-to/", views.not_to_write, name="not-to-write"),
    path("contacts/<int:pk>/lift/", views.lift, name="lift"),
    path("consultations/<int:pk>/summary/", views.write_summary, name="write-summary"),
    path("contacts/<int:pk>/encompass/<int:subject>/", views.tell_school, name="tell-school"),
    path("contacts/<int:pk>/gp-practices/<int:agency>/called/", views.record_call, name="record-call"),
    path("schools/", views.schools, name="schools"),
    path("schools/new/", views.school, name="add-school"),
    path("schools/<int:pk>/", views.school, name="school"),
    path("messages/<int:pk>/", views.message, name="message"),
    path("messages/<int:pk>/letter.pdf", views.message_pdf, name="message-pdf"),
    path("messages/<int:pk>/<slug:action>/", views.message_action, name="message-action"),
    path("templates/", views.templates, name="templates"),
    path("templates/<int:pk>/", views.template, name="template"),
    path("notify/callback/", views.notify_callback, name="notify-callback"),
]
