from django.urls import URLPattern, URLResolver, path

from chibo.orgs import views

# The tree browser and the org page live in chibo.people.urls: they show people. So does
# splitting an org, which moves its members.
urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "orgs/divisions/<int:province>/communes.json",
        views.division_communes_json,
        name="division_communes",
    ),
    path("orgs/<str:code>/new/", views.org_create_child, name="org_create_child"),
    path("orgs/<str:code>/edit/", views.org_edit, name="org_edit"),
    path("orgs/<str:code>/move/", views.org_move_view, name="org_move"),
    path("orgs/<str:code>/merge/", views.org_merge_view, name="org_merge"),
]
