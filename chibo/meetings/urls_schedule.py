"""Pages of the calendar, the meeting page, topics, deadlines and agenda templates."""

from django.urls import URLPattern, URLResolver, path

from chibo.meetings import views_schedule as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("orgs/<str:code>/meetings/", views.calendar, name="meeting_calendar"),
    path("orgs/<str:code>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("orgs/<str:code>/meetings/deadlines/", views.deadlines, name="meeting_deadlines"),
    path("orgs/<str:code>/meetings/agenda/", views.agenda_templates, name="agenda_templates"),
    path("orgs/<str:code>/topics/", views.topic_list, name="topic_list"),
    path("orgs/<str:code>/topics/review/", views.topic_review, name="topic_review"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting_detail"),
    path(
        "meetings/documents/<int:document_id>/",
        views.document_download,
        name="meeting_document",
    ),
    path("topics/<int:topic_id>/", views.topic_detail, name="topic_detail"),
]
