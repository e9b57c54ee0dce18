from django.urls import URLPattern, URLResolver, path

from chibo.fees import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("orgs/<str:code>/fees/", views.sheet, name="fee_sheet"),
    path("orgs/<str:code>/fees/export/", views.export, name="fee_export"),
    path("people/<int:person_id>/fees/", views.person_account, name="fee_person"),
]
