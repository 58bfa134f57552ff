from django.urls import path

from safehub.strategy import views

app_name = "strategy"
urlpatterns = [
    path("", views.worktray_page, name="worktray"),
    path("invitations/", views.invitations_page, name="invitations"),
    path("<int:pk>/", views.discussion_page, name="discussion"),
    path("<int:pk>/arrange/", views.arrange, name="arrange"),
    path("<int:pk>/exception/", views.record_exception, name="exception"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/record/", views.record_discussion, name="record"),
    path("<int:pk>/send-record/", views.send_record, name="send-record"),
    path("<int:pk>/invitations/<int:invitation_pk>/agree/", views.agree_contribution, name="agree-contribution"),
    path("<int:pk>/actions/", views.add_action, name="add-action"),
    path("<int:pk>/actions/<int:action_pk>/close/", views.close_action, name="close-action"),
    path("<int:pk>/conference/", views.record_conference, name="conference"),
    path("start/contact/<int:contact_pk>/", views.start_now, name="start-now"),
    path("start/person/<int:person_pk>/", views.start_for_person, name="start-for-person"),
]
