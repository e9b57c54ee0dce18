"""Pages of a member's party life: admissions, standing, transfers."""

from django.urls import URLPattern, URLResolver, path

from chibo.people import views_lifecycle as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("orgs/<str:code>/party-life/", views.org_party_life, name="org_party_life"),
    path("orgs/<str:code>/admissions/new/", views.admission_create, name="admission_create"),
    path("admissions/<int:admission_id>/", views.admission_detail, name="admission_detail"),
    path("admissions/<int:admission_id>/course/", views.admission_course, name="admission_course"),
    path(
        "admissions/<int:admission_id>/papers/",
        views.admission_papers_view,
        name="admission_papers",
    ),
    path(
        "admissions/<int:admission_id>/resolution/",
        views.admission_resolution,
        name="admission_resolution",
    ),
    path(
        "admissions/<int:admission_id>/decision/",
        views.admission_decision,
        name="admission_decision",
    ),
    path(
        "admissions/<int:admission_id>/ceremony/",
        views.admission_ceremony,
        name="admission_ceremony",
    ),
    path("admissions/<int:admission_id>/stop/", views.admission_stop_view, name="admission_stop"),
    path("people/<int:person_id>/official/", views.person_official, name="person_official"),
    path("people/<int:person_id>/standing/", views.person_standing, name="person_standing"),
    path("people/<int:person_id>/transfer/", views.transfer_create, name="transfer_create"),
    path("transfers/<int:transfer_id>/", views.transfer_detail, name="transfer_detail"),
    path(
        "transfers/<int:transfer_id>/introduce/",
        views.transfer_introduce_view,
        name="transfer_introduce",
    ),
    path(
        "transfers/<int:transfer_id>/receive/",
        views.transfer_receive_view,
        name="transfer_receive",
    ),
    path("transfers/<int:transfer_id>/return/", views.transfer_return_view, name="transfer_return"),
    path("transfers/<int:transfer_id>/cancel/", views.transfer_cancel_view, name="transfer_cancel"),
]
