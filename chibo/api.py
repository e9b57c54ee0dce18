"""The JSON API under /api/v1 (django-ninja). Each app contributes a router.

Every route but the token request needs `Authorization: Bearer <token>`. Reads go
through the same selectors as the pages, so an object outside the user's scope answers
404 here exactly as it does there. Errors are JSON `{"detail": ...}` in Vietnamese.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, re_path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from chibo.core.api_auth import BearerAuth, LoginRejected, api_token_for_login
from chibo.core.api_errors import describe_errors
from chibo.core.schemas import ErrorOut, ValidationErrorOut
from chibo.evaluation.api import router as evaluation_router
from chibo.initiatives.api import router as initiatives_router
from chibo.meetings.api import router as meetings_router
from chibo.meetings.api_stats import router as meeting_stats_router
from chibo.orgs.api import router as orgs_router
from chibo.people.api import router as people_router
from chibo.plans.api import router as plans_router


class ChiboAPI(NinjaAPI):
    """Unknown paths under /api/v1/ (its root included) answer the JSON 404 of every
    route, not the HTML page of the site: an API client reads `detail` either way."""

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        urls = [url for url in super()._get_urls() if getattr(url, "name", "") != "api-root"]
        unknown = csrf_exempt(self._unknown_path)
        # Last, after every router, whatever order the routers were added in.
        return [*urls, path("", unknown, name="api-root"), re_path(r"^", unknown)]

    def _unknown_path(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _not_found(request, Http404())


api = ChiboAPI(
    title="Chibo API",
    version="1",
    description="Tổ chức, đảng viên, hội viên trong phạm vi người dùng được xem.",
    urls_namespace="api",
    # Swagger UI loads its assets from a CDN, which the platform never does.
    docs_url=None,
    auth=BearerAuth(),
)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Same answer for "does not exist" and "outside your scope": never confirm existence.
    return api.create_response(
        request,
        {"detail": _("Không tìm thấy, hoặc bạn không có quyền xem nội dung này.")},
        status=404,
    )


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request, {"detail": _("Bạn không có quyền thực hiện việc này.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else ""
    response = api.create_response(
        request,
        {
            "detail": message
            or _(
                "Cần đăng nhập: gửi tiêu đề “Authorization: Bearer <mã truy cập>” với một mã "
                "còn hạn (lấy mã tại /api/v1/auth/token)."
            )
        },
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {
        # Ninja's own words, for a body that is not JSON at all.
        "Cannot parse request body": _("Nội dung gửi lên không phải JSON hợp lệ."),
        "Too many requests.": _("Quá nhiều yêu cầu, vui lòng thử lại sau ít phút."),
    }
    detail = messages.get(exc.message, exc.message)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": describe_errors(exc.errors)}, status=422)


@api.exception_handler(DjangoValidationError)
def _rejected_by_service(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # Services name the field in their ValidationError; show it the way ninja shows its own.
    errors: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                errors.append(
                    {
                        "type": "value_error",
                        "loc": ["body", field],
                        "msg": message,
                        "message": message,
                    }
                )
    else:
        errors = [
            {"type": "value_error", "loc": ["body"], "msg": message, "message": message}
            for message in exc.messages
        ]
    return api.create_response(request, {"detail": errors}, status=422)


class TokenIn(Schema):
    username: str = Field(max_length=150)
    # Long enough for any pass phrase, short enough that hashing it costs nothing.
    password: str = Field(max_length=4096)


class TokenOut(Schema):
    token: str
    expires_at: datetime.datetime


auth_router = Router(tags=["auth"])


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
    summary="Lấy mã truy cập bằng tên đăng nhập và mật khẩu",
)
def token_create(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    try:
        issued = api_token_for_login(
            request=request, username=payload.username, password=payload.password
        )
    except LoginRejected as rejected:
        return Status(429 if rejected.locked_out else 401, {"detail": rejected.message})
    return Status(200, {"token": issued.key, "expires_at": issued.expires_at})


api.add_router("/auth", auth_router)
api.add_router("/orgs", orgs_router)
api.add_router("", people_router)
api.add_router("", meetings_router)
api.add_router("", meeting_stats_router)
api.add_router("/plans", plans_router)
api.add_router("", initiatives_router)
api.add_router("", evaluation_router)
