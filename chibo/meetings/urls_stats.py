"""Pages of meeting statistics and absence warnings (Quy định 24-QĐ/TW)."""

from django.urls import URLPattern, URLResolver, path

from chibo.meetings import views_stats as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("orgs/<str:code>/meetings/stats/", views.stats_page, name="meeting_stats"),
    path("orgs/<str:code>/meetings/warnings/", views.warnings_page, name="meeting_warnings"),
]
