from django.urls import URLPattern, URLResolver, path

from chibo.people import views, views_accounts, views_positions, views_restructure

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("orgs/", views.org_tree, name="org_tree"),
    path("orgs/<str:code>/", views.org_detail, name="org_detail"),
    path("orgs/<str:code>/members/", views.org_members, name="org_members"),
    path("orgs/<str:code>/members/new/", views.member_create, name="member_create"),
    path("orgs/<str:code>/grants/", views.org_grants, name="org_grants"),
    path("orgs/<str:code>/split/", views_restructure.org_split_view, name="org_split"),
    path("orgs/<str:code>/positions/new/", views_positions.position_create, name="position_create"),
    path(
        "positions/<int:position_id>/end/", views_positions.position_end_view, name="position_end"
    ),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/account/", views_accounts.person_account, name="person_account"),
]
