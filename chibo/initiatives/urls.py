from django.urls import URLPattern, URLResolver, path

from chibo.initiatives import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("initiatives/", views.home, name="initiatives_home"),
    path("initiatives/overlaps/", views.overlaps_all, name="overlaps_all"),
    path("initiatives/units/", views.units, name="measure_units"),
    path("initiatives/<int:initiative_id>/", views.detail, name="initiative_detail"),
    path("initiatives/<int:initiative_id>/results/new/", views.result_add, name="result_add"),
    path(
        "initiatives/<int:initiative_id>/fund/contribute/",
        views.contribute,
        name="fund_contribute",
    ),
    path("initiatives/<int:initiative_id>/fund/payout/", views.payout, name="fund_payout"),
    path("initiatives/<int:initiative_id>/status/", views.status_change, name="initiative_status"),
    path("initiatives/results/<int:result_id>/void/", views.result_void_page, name="result_void"),
    path(
        "initiatives/contributions/<int:contribution_id>/void/",
        views.contribution_void_page,
        name="contribution_void",
    ),
    path(
        "initiatives/payouts/<int:payout_id>/void/",
        views.payout_void_page,
        name="payout_void",
    ),
    path("orgs/<str:code>/initiatives/", views.unit, name="initiatives_unit"),
    path("orgs/<str:code>/initiatives/new/", views.register, name="initiative_register"),
    path("orgs/<str:code>/initiatives/overlaps/", views.overlaps_org, name="overlaps_org"),
    path("orgs/<str:code>/emulation/", views.emulation, name="emulation"),
    path("orgs/<str:code>/emulation/new/", views.movement_create, name="movement_create"),
    path("emulation/<int:movement_id>/", views.movement_detail, name="movement_detail"),
    path("emulation/<int:movement_id>/units/<str:code>/", views.sheet, name="score_sheet"),
    path("orgs/<str:code>/honours/", views.honours, name="honours"),
    path("orgs/<str:code>/honours/exemplars/new/", views.exemplar_create, name="exemplar_create"),
    path("orgs/<str:code>/honours/awards/new/", views.award_create, name="award_create"),
]
