"""Pages of the meetings app, one URL module per part of the domain."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("chibo.meetings.urls_schedule")),
    path("", include("chibo.meetings.urls_attendance")),
    path("", include("chibo.meetings.urls_stats")),
    path("", include("chibo.meetings.urls_reminders")),
]
