"""The member list downloads: /orgs/<code>/members/export.xlsx and .csv."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path, register_converter

from chibo.core.exporters import formats
from chibo.people import export_views


class ExportFormatConverter:
    """Only the formats a renderer is registered for; any other extension is a 404."""

    regex = "|".join(formats())

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormatConverter, "exportfmt")

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "orgs/<str:code>/members/export.<exportfmt:fmt>",
        export_views.org_members_export,
        name="org_members_export",
    ),
]
