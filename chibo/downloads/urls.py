from django.urls import URLPattern, URLResolver, path

from chibo.downloads import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("downloads/<int:export_id>/", views.export_job_detail, name="export_job"),
    path("downloads/<int:export_id>/file", views.export_job_file, name="export_job_file"),
]
