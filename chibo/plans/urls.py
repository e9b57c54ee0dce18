from django.urls import URLPattern, URLResolver, path

from chibo.plans import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("plans/", views.home, name="plans_home"),
    path("orgs/<str:code>/plans/", views.unit, name="plans_unit"),
    path("orgs/<str:code>/plans/themes/new/", views.theme_create, name="theme_create"),
    path("orgs/<str:code>/plans/themes/<int:theme_id>/", views.theme_detail, name="theme_detail"),
    path("orgs/<str:code>/plans/themes/<int:theme_id>/quiz/", views.theme_quiz, name="theme_quiz"),
    path("orgs/<str:code>/plans/sessions/new/", views.session_create, name="session_create"),
    path("orgs/<str:code>/library/", views.library_view, name="library"),
    path(
        "orgs/<str:code>/library/<int:entry_id>/",
        views.document_detail,
        name="document_detail",
    ),
    path(
        "orgs/<str:code>/library/<int:entry_id>/file/",
        views.document_file,
        name="document_file",
    ),
    path("orgs/<str:code>/commitments/", views.compliance, name="commitment_compliance"),
    path("orgs/<str:code>/commitments/write/", views.commitment_write, name="commitment_write"),
    path("commitments/<int:commitment_id>/", views.commitment_detail, name="commitment_detail"),
]
