"""Pages of the evaluation app, one URL module per part of the domain."""

from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("chibo.evaluation.urls_rounds")),
    path("", include("chibo.evaluation.urls_stats")),
]
