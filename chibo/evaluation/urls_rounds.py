"""Pages of a round: opening it, self-assessment, proposals and the committee's decisions."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
