"""The JSON API under /api/v1 (django-ninja). Each app contributes a router."""

from ninja import NinjaAPI

api = NinjaAPI(title="Chibo API", version="1", urls_namespace="api")
