"""Pages of a round: opening it, self-assessment, proposals and the committee's decisions."""

from django.urls import URLPattern, URLResolver, path

from chibo.evaluation import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("evaluation/", views.home, name="evaluation_home"),
    path("orgs/<str:code>/evaluation/", views.rounds, name="evaluation_rounds"),
    path("evaluation/rounds/<int:round_id>/", views.round_detail, name="evaluation_round"),
    path("evaluation/rounds/<int:round_id>/self/", views.self_page, name="evaluation_self"),
    path(
        "evaluation/rounds/<int:round_id>/units/<str:code>/",
        views.cell_page,
        name="evaluation_cell",
    ),
    path(
        "evaluation/rounds/<int:round_id>/units/<str:code>/grade/",
        views.unit_page,
        name="evaluation_unit",
    ),
    path(
        "evaluation/rounds/<int:round_id>/decide/<str:code>/",
        views.decide_page,
        name="evaluation_decide",
    ),
    path("evaluation/members/<int:evaluation_id>/", views.member_page, name="evaluation_member"),
]
