from django.urls import include, path

urlpatterns = [
    path("", include("chibo.core.urls")),
    path("", include("chibo.orgs.urls")),
    path("", include("chibo.people.urls")),
    path("", include("chibo.people.export_urls")),
    path("", include("chibo.people.urls_lifecycle")),
    path("", include("chibo.fees.urls")),
    path("", include("chibo.imports.urls")),
    path("", include("chibo.downloads.urls")),
    path("", include("chibo.meetings.urls")),
    path("", include("chibo.plans.urls")),
    path("", include("chibo.initiatives.urls")),
    path("", include("chibo.evaluation.urls")),
    path("api/v1/", include("chibo.api_urls")),
]
