"""Reads of feedback items: the scoped list, one item, the public look-up, routing.

Every officer read starts from `Feedback.objects.visible_to(user)`; an item outside the scope
raises `Feedback.DoesNotExist`, exactly like a missing one (views turn it into a 404).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db.models import Prefetch, QuerySet

from motcua.feedback import followcode
from motcua.feedback.choices import OPEN_STATES, RESOLVED_STATES, TRANSITIONS
from motcua.feedback.models import (
    Category,
    Feedback,
    FeedbackEntry,
    FeedbackPause,
    RoutingRule,
    StandardAnswer,
)
from motcua.lib.vntext import fold
from motcua.units.models import Unit

LIST_RELATED = ("unit", "intake_unit", "category", "area", "handler")


def list_feedback(user: Any) -> QuerySet[Feedback]:
    """The items `user` may see, with what a list row shows."""
    return Feedback.objects.visible_to(user).select_related(*LIST_RELATED)


def get_feedback_for_user(user: Any, code: str, *, full: bool = False) -> Feedback:
    """The item with `code` if `user` may see it; else `Feedback.DoesNotExist` (→ 404).

    With `full`, the timeline and the supplement waits come along (fixed number of queries).
    """
    rows = list_feedback(user).select_related(
        "forwarded_from", "forwarded_to_unit", "repeat_of", "dossier", "procedure", "survey"
    )
    if full:
        rows = rows.prefetch_related(
            Prefetch("events", queryset=FeedbackEntry.objects.select_related("unit", "actor")),
            Prefetch("pauses", queryset=FeedbackPause.objects.order_by("opened_at", "id")),
        )
    if not code:
        raise Feedback.DoesNotExist("không tìm thấy phản ánh")
    return rows.get(code=code.strip().upper())


def list_sender_feedback(user: Any) -> QuerySet[Feedback]:
    """Items a citizen sent while signed in (the portal's "my feedback")."""
    if not getattr(user, "is_authenticated", False):
        return Feedback.objects.none()
    return Feedback.objects.filter(sender_user=user).select_related("unit")


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def find_public(code: str, contact_last4: str) -> Feedback:
    """The item a sender follows with its code and the last 4 digits of their phone or ID number.

    A sender who gave only an e-mail has a random follow code (motcua/feedback/followcode.py)
    that must be given instead; items received before follow codes existed keep the old rule
    (the last 4 characters before the "@"). Raises `Feedback.DoesNotExist` when the pair does
    not match (same answer as a wrong code).
    """
    raw = (contact_last4 or "").strip()
    if not code or len(followcode.normalize(raw)) not in {4, followcode.LENGTH}:
        raise Feedback.DoesNotExist("không tìm thấy phản ánh")
    item = Feedback.objects.select_related("unit", "forwarded_to_unit").get(
        code=code.strip().upper()
    )
    if item.follow_code:
        if followcode.matches(raw, item.follow_code):
            return item
        raise Feedback.DoesNotExist("không tìm thấy phản ánh")
    key = raw.lower()
    if len(key) != 4:
        raise Feedback.DoesNotExist("không tìm thấy phản ánh")
    phone = _digits(item.sender_phone)
    ident = _digits(item.sender_id_number)
    local_part = item.sender_email.partition("@")[0].lower()
    if (phone and phone.endswith(key)) or (ident and ident.endswith(key)):
        return item
    if not phone and not ident and local_part.endswith(key):
        return item
    raise Feedback.DoesNotExist("không tìm thấy phản ánh")


def list_public(query: str = "", *, category: Category | None = None) -> QuerySet[Feedback]:
    """Published answers the public may read, newest first; `query` ignores diacritics."""
    rows = Feedback.objects.public().select_related("unit", "category")
    if category is not None:
        rows = rows.filter(category=category)
    for word in fold(query).split():
        rows = rows.filter(search_text__contains=word)
    return rows.order_by("-published_at", "-id")


def get_public_feedback(code: str) -> Feedback:
    """One published answer by code; `Feedback.DoesNotExist` otherwise."""
    return list_public().get(code=(code or "").strip().upper())


def list_categories(province: Unit, *, active_only: bool = True) -> QuerySet[Category]:
    """The province's category tree, in display order (parents before their children)."""
    rows = Category.objects.filter(province__code=province.code).select_related("parent")
    if active_only:
        rows = rows.filter(active=True)
    return rows.order_by("order", "code")


def list_standard_answers(category: Category) -> QuerySet[StandardAnswer]:
    """The current answers of the library for a category (and its parents)."""
    ids = []
    node: Category | None = category
    while node is not None and node.pk not in ids:
        ids.append(node.pk)
        node = node.parent
    return StandardAnswer.objects.filter(category_id__in=ids, active=True).order_by(
        "title", "-version"
    )


def province_of(unit: Unit) -> Unit:
    """The top of the unit's tree (its province version)."""
    seen = {unit.pk}
    while unit.parent_id is not None and unit.parent_id not in seen:
        seen.add(unit.parent_id)
        unit = unit.parent  # type: ignore[assignment]
    return unit


def route_unit(category: Category | None, area: Unit | None, day: dt.date) -> Unit | None:
    """The default handling unit for category + area (routing rules, feedback.md §3).

    For the category, then each of its parents: the rule of the area, else of the area's
    parents going up, else the category's default rule (no area). Rules naming a unit not
    in force on `day` are skipped. None when no rule applies.
    """
    if category is None:
        return None
    chain: list[Category] = []
    node: Category | None = category
    while node is not None and node not in chain:
        chain.append(node)
        node = node.parent
    rules = {
        (r.category_id, r.area_id): r.handling_unit
        for r in RoutingRule.objects.filter(category__in=chain).select_related("handling_unit")
    }
    areas: list[Unit] = []
    place: Unit | None = area
    while place is not None and place not in areas:
        areas.append(place)
        place = place.parent
    for cat in chain:
        for key in [*((cat.pk, a.pk) for a in areas), (cat.pk, None)]:
            unit = rules.get(key)
            if unit is not None and unit.is_valid_on(day):
                return unit
    return None


def allowed_operations(user: Any, feedback: Feedback) -> list[str]:
    """Service names `user` may call on the item now (buttons of the officer page)."""
    from motcua.feedback.services import OPERATIONS, may_perform

    return [op for op in OPERATIONS if may_perform(user, feedback, op)]


def is_overdue(feedback: Feedback, now: dt.datetime) -> bool:
    """Open and past the 15-working-day limit at `now` (the 766 "open overdue")."""
    return (
        feedback.state in OPEN_STATES
        and feedback.handle_due is not None
        and feedback.handle_due < now
    )


def resolved_on_time(feedback: Feedback) -> bool | None:
    """Whether a resolved item reached "awaiting publication" within 15 working days."""
    if feedback.state not in RESOLVED_STATES or feedback.resolved_at is None:
        return None
    return feedback.handle_due is not None and feedback.resolved_at <= feedback.handle_due


def next_states(feedback: Feedback) -> dict[str, str]:
    """Events the transition table allows from the item's state, with the state each leads to."""
    return {
        event: moves[feedback.state]
        for event, moves in TRANSITIONS.items()
        if feedback.state in moves
    }
