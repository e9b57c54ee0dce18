from django.urls import URLPattern, URLResolver, path

from chibo.imports import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("orgs/<str:code>/import/", views.import_upload, name="import_upload"),
    path("imports/<int:job_id>/", views.import_job, name="import_job"),
]
