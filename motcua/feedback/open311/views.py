"""Open311 GeoReport v2 (JSON subset): services, creating a request, reading requests.

Spec: http://wiki.open311.org/GeoReport_v2/. The GET methods are public and need no key:
they expose categories, and for every PAKN item its code, status, category, handling unit,
area and dates (so that a partner channel can show its caller the progress of a request it
posted) but text only where the answer is published, and then only the public version with
personal data removed; never anything about the sender (`representations.py`). POST
requests takes a form-encoded body whose `api_key` is the API token of a partner channel
account (call centre, chatbot) that may receive feedback at exactly one unit; the item is
logged there through `services.receive_feedback` like any other intake.

Errors answer the spec's way: an HTTP status with a JSON array
`[{"code": <status>, "description": "..."}]`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from rest_framework.authtoken.models import Token

from motcua.feedback import services
from motcua.feedback.api.lookups import category_by_code, default_intake_unit
from motcua.feedback.choices import OPEN_STATES, Channel, Kind
from motcua.feedback.models import Category, Feedback
from motcua.feedback.open311 import representations as rep
from motcua.feedback.selectors import province_of
from motcua.feedback.services import FeedbackError
from motcua.lib.vntext import nfc
from motcua.people.policy import Action, can
from motcua.units.choices import UnitLevel
from motcua.units.models import Unit

DEFAULT_WINDOW = dt.timedelta(days=90)
MAX_REQUESTS = 1000
MAX_DESCRIPTION = 4000
TITLE_LENGTH = 120
# Channels a partner may declare with the `channel` extension parameter (default: app).
PARTNER_CHANNELS = frozenset(
    {Channel.APP, Channel.CHATBOT, Channel.HOTLINE, Channel.ZALO, Channel.EMAIL}
)


class Open311Error(Exception):
    """A refused call, answered as `[{"code": status, "description": message}]`."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def _answer(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(exc: Open311Error) -> JsonResponse:
    return _answer([{"code": exc.status, "description": exc.description}], status=exc.status)


def _check_format(response_format: str) -> None:
    if response_format != "json":
        raise Open311Error(400, gettext("chỉ hỗ trợ định dạng json"))


def _jurisdiction(params: Any) -> str | None:
    """The province code named by `jurisdiction_id`, or None when absent; 400 when unknown."""
    code = (params.get("jurisdiction_id") or "").strip()
    if not code:
        return None
    if not Unit.objects.filter(code=code, level=UnitLevel.PROVINCE).exists():
        raise Open311Error(400, gettext("jurisdiction_id không hợp lệ: %(code)s") % {"code": code})
    return code


def _categories(jurisdiction: str | None) -> QuerySet[Category]:
    rows = Category.objects.filter(active=True).select_related("parent")
    if jurisdiction is not None:
        rows = rows.filter(province__code=jurisdiction)
    return rows


def _public_items(jurisdiction: str | None) -> QuerySet[Feedback]:
    """PAKN items with, per row, whether their answer is published (one query for both)."""
    rows = (
        Feedback.objects.filter(kind=Kind.PAKN)
        .select_related("category", "unit", "area", "forwarded_to_unit")
        .annotate(is_public=Exists(Feedback.objects.public().filter(pk=OuterRef("pk"))))
    )
    if jurisdiction is not None:
        # Codes are PA-<province code>-<YYMMDD>-<NNNN> (services.receive_feedback).
        rows = rows.filter(code__startswith=f"PA-{jurisdiction}-")
    return rows


def _instant(params: Any, name: str) -> dt.datetime | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        raise Open311Error(400, gettext("%(name)s phải theo ISO 8601 kèm múi giờ") % {"name": name})
    return value


def _codes(params: Any, name: str) -> list[str]:
    return [c.strip() for c in (params.get(name) or "").split(",") if c.strip()]


# -- services ------------------------------------------------------------------------------


@require_GET
def service_list(request: HttpRequest, response_format: str) -> JsonResponse:
    """GET services: the active categories as service types."""
    try:
        _check_format(response_format)
        jurisdiction = _jurisdiction(request.GET)
    except Open311Error as exc:
        return _error(exc)
    return _answer([rep.service(c) for c in _categories(jurisdiction)])


@require_GET
def service_definition(
    request: HttpRequest, service_code: str, response_format: str
) -> JsonResponse:
    """GET a service definition (no attributes: every service has metadata false)."""
    try:
        _check_format(response_format)
        category = _categories(_jurisdiction(request.GET)).filter(code=service_code).first()
        if category is None:
            raise Open311Error(404, gettext("không có service_code này"))
    except Open311Error as exc:
        return _error(exc)
    return _answer(rep.service_definition(category))


# -- requests ------------------------------------------------------------------------------


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, response_format: str) -> JsonResponse:
    """GET service requests (public, filtered) or POST one (partner account by api_key)."""
    try:
        _check_format(response_format)
        if request.method == "POST":
            return _answer(_create(request), status=201)
        return _answer(_search(request.GET))
    except Open311Error as exc:
        return _error(exc)


@require_GET
def request_detail(request: HttpRequest, request_id: str, response_format: str) -> JsonResponse:
    """GET one service request by its id (the item's code)."""
    try:
        _check_format(response_format)
        item = _public_items(_jurisdiction(request.GET)).filter(code=request_id).first()
        if item is None:
            raise Open311Error(404, gettext("không có service_request_id này"))
    except Open311Error as exc:
        return _error(exc)
    return _answer([rep.service_request(item, public=item.is_public)])  # type: ignore[attr-defined]


def _search(params: Any) -> list[dict[str, Any]]:
    """GET requests: by ids (which override every other filter) or by code, dates and status."""
    rows = _public_items(_jurisdiction(params))
    ids = _codes(params, "service_request_id")
    if ids:
        rows = rows.filter(code__in=ids)
    else:
        start, end = _instant(params, "start_date"), _instant(params, "end_date")
        if start is not None and end is not None and start > end:
            raise Open311Error(400, gettext("start_date phải trước end_date"))
        if start is None:
            start = (end or timezone.now()) - DEFAULT_WINDOW
        rows = rows.filter(received_at__gte=start)
        if end is not None:
            rows = rows.filter(received_at__lte=end)
        codes = _codes(params, "service_code")
        if codes:
            rows = rows.filter(category__code__in=codes)
        statuses = set(_codes(params, "status"))
        if statuses - {"open", "closed"}:
            raise Open311Error(400, gettext("status chỉ nhận open hoặc closed"))
        if statuses == {"open"}:
            rows = rows.filter(state__in=OPEN_STATES)
        elif statuses == {"closed"}:
            rows = rows.exclude(state__in=OPEN_STATES)
    items = rows.order_by("-received_at", "-id")[:MAX_REQUESTS]
    return [rep.service_request(i, public=i.is_public) for i in items]  # type: ignore[attr-defined]


def _partner(params: Any) -> Any:
    """The active account whose API token is `api_key`, if it may receive feedback; else 403."""
    key = (params.get("api_key") or "").strip()
    token = Token.objects.select_related("user").filter(key=key).first() if key else None
    if token is None or not token.user.is_active:
        raise Open311Error(403, gettext("api_key không hợp lệ"))
    if not can(token.user, Action.RECEIVE):
        raise Open311Error(403, gettext("tài khoản không có quyền tiếp nhận phản ánh"))
    return token.user


def _float(params: Any, name: str, limit: float) -> float | None:
    text = (params.get(name) or "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        value = limit + 1
    if not -limit <= value <= limit:
        raise Open311Error(400, gettext("%(name)s không hợp lệ") % {"name": name})
    return value


def _location(params: Any) -> str:
    """The place the sender described (address_string, lat/long), kept in the content."""
    lat, long = _float(params, "lat", 90), _float(params, "long", 180)
    if (lat is None) != (long is None):
        raise Open311Error(400, gettext("cần cả lat và long"))
    parts = [nfc(params.get("address_string") or "")]
    if lat is not None:
        parts.append(f"({lat:.6f}, {long:.6f})")
    return " ".join(p for p in parts if p)


def _title(description: str) -> str:
    first = description.splitlines()[0].strip() if description else ""
    if len(first) <= TITLE_LENGTH:
        return first
    return first[: TITLE_LENGTH - 1].rstrip() + "…"


def _create(request: HttpRequest) -> list[dict[str, Any]]:
    """POST a service request: log a PAKN item at the partner's intake unit."""
    params = request.POST
    actor = _partner(params)
    try:
        intake = default_intake_unit(actor)
    except FeedbackError:
        raise Open311Error(
            403, gettext("tài khoản phải được giao tiếp nhận tại đúng một đơn vị")
        ) from None
    province = province_of(intake).code
    jurisdiction = _jurisdiction(params)
    if jurisdiction is not None and jurisdiction != province:
        raise Open311Error(
            400, gettext("jurisdiction_id không hợp lệ: %(code)s") % {"code": jurisdiction}
        )
    code = (params.get("service_code") or "").strip()
    if not code:
        raise Open311Error(400, gettext("service_code không được để trống"))
    try:
        category = category_by_code(code, province=province)
    except FeedbackError:
        raise Open311Error(
            400, gettext("không có service_code này: %(code)s") % {"code": code}
        ) from None
    description = nfc(params.get("description") or "")
    if not description:
        raise Open311Error(400, gettext("description không được để trống"))
    if len(description) > MAX_DESCRIPTION:
        raise Open311Error(400, gettext("description dài quá 4000 ký tự"))
    channel = (params.get("channel") or Channel.APP).strip()
    if channel not in PARTNER_CHANNELS:
        raise Open311Error(400, gettext("channel không hợp lệ"))
    place = _location(params)
    content = description + (f"\n\n{gettext('Địa điểm')}: {place}" if place else "")
    name = " ".join(nfc(params.get(k) or "") for k in ("last_name", "first_name")).strip()
    email = nfc(params.get("email") or "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise Open311Error(400, gettext("email không hợp lệ")) from None
    sender = {
        "name": name,
        "phone": nfc(params.get("phone") or ""),
        "email": email,
    }
    try:
        item = services.receive_feedback(
            actor=actor,
            channel=channel,
            kind=Kind.PAKN,
            title=_title(description),
            content=content,
            sender=sender,
            intake_unit=intake,
            category=category,
        )
    except FeedbackError as exc:
        raise Open311Error(403 if exc.status == 403 else 400, exc.message) from None
    return [
        {
            "service_request_id": item.code,
            "service_notice": rep.service_notice(category),
            "account_id": None,
        }
    ]
