"""Pages of the roll call, absence notices, assignments and minutes."""

from django.urls import URLPattern, URLResolver, path

from chibo.meetings import views_attendance as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("meetings/<int:meeting_id>/attendance/", views.attendance, name="meeting_attendance"),
    path("meetings/<int:meeting_id>/absence/", views.absence, name="meeting_absence"),
    path("meetings/<int:meeting_id>/minutes/", views.minutes_page, name="meeting_minutes"),
    path(
        "meetings/<int:meeting_id>/minutes/<int:minutes_id>/",
        views.minutes_version,
        name="meeting_minutes_version",
    ),
    path(
        "meetings/<int:meeting_id>/minutes/<int:minutes_id>/docx/",
        views.minutes_download,
        name="meeting_minutes_docx",
    ),
    path("orgs/<str:code>/meeting-assignments/", views.assignments, name="meeting_assignments"),
]
