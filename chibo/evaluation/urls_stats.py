"""Pages of evaluation statistics and the round's exports."""

from django.urls import URLPattern, URLResolver, path

from chibo.evaluation import views_stats as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("orgs/<str:code>/evaluation/stats/", views.stats_page, name="evaluation_stats"),
    path(
        "evaluation/rounds/<int:round_id>/summary.xlsx",
        views.summary_xlsx,
        name="evaluation_summary_xlsx",
    ),
    path(
        "evaluation/rounds/<int:round_id>/decision.docx",
        views.decision_download,
        name="evaluation_decision_docx",
    ),
]
