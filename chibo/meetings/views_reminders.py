"""The private calendar page (make, replace or stop the iCalendar URL) and the feed itself.

The page is the user's own: it names no org or person but the user. The feed answers 404
for an unknown or revoked token, the same as for a URL that never existed.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chibo.core.models import User
from chibo.meetings.ical import (
    calendar_feed_active,
    calendar_feed_create,
    calendar_feed_revoke,
    calendar_feed_user,
    feed_meetings,
    render_feed,
)
from chibo.meetings.reminders import reminder_days, upcoming_for


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    url = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            token = calendar_feed_create(user=user)
            # Shown once, on this answer only: only the token's hash is kept.
            url = request.build_absolute_uri(reverse("calendar_ics", args=[token]))
        elif action == "revoke":
            calendar_feed_revoke(user=user)
            return redirect("calendar_feed")
    return render(
        request,
        "meetings/reminders_calendar.html",
        {
            "feed": calendar_feed_active(user=user),
            "url": url,
            "upcoming": upcoming_for(user=user, limit=10),
            "reminder_days": reminder_days(),
            "has_email": bool(getattr(getattr(user, "person", None), "email", "")),
        },
    )


@require_GET
def calendar_ics(request: HttpRequest, token: str) -> HttpResponse:
    user = calendar_feed_user(token=token)
    if user is None:
        raise Http404
    body = render_feed(
        feed_meetings(user=user),
        name=_("Lịch sinh hoạt – Chibo"),
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="chibo.ics"'
    # The URL is a secret: keep it out of shared caches and referrer logs.
    response["Cache-Control"] = "private, max-age=900"
    response["Referrer-Policy"] = "no-referrer"
    return response
