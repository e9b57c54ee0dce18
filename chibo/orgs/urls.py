from django.urls import URLPattern, URLResolver, path

from chibo.orgs import views

# The tree browser and the org page live in chibo.people.urls: they show people.
urlpatterns: list[URLPattern | URLResolver] = [
    path("orgs/<str:code>/move/", views.org_move_view, name="org_move"),
    path("orgs/<str:code>/merge/", views.org_merge_view, name="org_merge"),
]
