"""Open311 GeoReport v2 representations of categories (services) and items (service requests).

Everything here is public: a service request shows only what the province published (the
public title and the public answer of an approved, published item) and who handles it.
Never a sender's name, phone, e-mail, ID number or address, nor the sender's own words.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from motcua.feedback.choices import OPEN_STATES, FeedbackState
from motcua.feedback.clock import HANDLE_DAYS
from motcua.feedback.models import Category, Feedback


def iso(instant: dt.datetime | None) -> str | None:
    """ISO 8601 with the local zone offset (2025-03-03T09:00:00+07:00), as the spec requires."""
    if instant is None:
        return None
    return timezone.localtime(instant).isoformat(timespec="seconds")


def service_notice(category: Category | None) -> str:
    """What the sender may expect: the handling limit of the category (≤ the 766 ceiling)."""
    days = (category.norm_days if category is not None else None) or HANDLE_DAYS
    calendar = category is not None and category.norm_calendar_days and category.norm_days
    if calendar:
        text = gettext("Phản ánh, kiến nghị được xử lý trong %(days)s ngày kể từ khi tiếp nhận.")
    else:
        text = gettext(
            "Phản ánh, kiến nghị được xử lý trong %(days)s ngày làm việc kể từ khi tiếp nhận."
        )
    return text % {"days": days}


def service(category: Category) -> dict[str, Any]:
    """One entry of GET services: a category as an Open311 service type."""
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": False,
        "type": "realtime",
        "keywords": category.get_subject_display() if category.subject else "",
        "group": category.parent.name if category.parent is not None else "",
    }


def service_definition(category: Category) -> dict[str, Any]:
    """GET a service definition: no extra attributes (every service has metadata false)."""
    return {"service_code": category.code, "attributes": []}


def status_of(item: Feedback) -> str:
    """open while the unit still handles the item; closed once answered or disposed of."""
    return "open" if item.state in OPEN_STATES else "closed"


def _status_notes(item: Feedback, public: bool) -> str:
    if public:
        return item.answer_public
    notes = str(item.get_state_display())
    if item.state == FeedbackState.FORWARDED:
        # Where it went is the administration's data, not the sender's (feedback.md §3).
        target = item.forwarded_to_unit.name if item.forwarded_to_unit else item.forwarded_to_body
        if target:
            notes = f"{notes}: {target}"
    return notes


def service_request(item: Feedback, *, public: bool) -> dict[str, Any]:
    """One entry of GET requests.

    `public` says whether the item's answer is published (`Feedback.objects.public()`); only
    then are its public title and public answer shown, otherwise no text of the sender's.
    """
    category = item.category
    return {
        "service_request_id": item.code,
        "status": status_of(item),
        "status_notes": _status_notes(item, public),
        "service_name": category.name if category is not None else "",
        "service_code": category.code if category is not None else "",
        "description": item.public_title if public else "",
        "agency_responsible": item.unit.name,
        "service_notice": service_notice(category),
        "requested_datetime": iso(item.received_at),
        "updated_datetime": iso(item.updated_at),
        "expected_datetime": iso(item.norm_due or item.handle_due),
        # The commune or district the matter is located in: never the sender's address.
        "address": item.area.name if item.area is not None else "",
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }
