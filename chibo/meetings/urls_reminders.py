from django.urls import URLPattern, URLResolver, path

from chibo.meetings import views_reminders as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("calendar/", views.calendar_feed, name="calendar_feed"),
    path("calendar/<str:token>.ics", views.calendar_ics, name="calendar_ics"),
]
