"""Writing the change log. Call inside the transaction that makes the change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from motcua.audit.models import ChangeAction, ObjectChange
from motcua.lib.privacy import mask_personal

# Fields never copied into the log in clear text.
PERSONAL_FIELDS = frozenset({"phone", "id_number", "citizen_id", "identity_number"})
SECRET_FIELDS = frozenset({"password"})


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Return the object's concrete field values as JSON-safe data, personal data masked."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        name = field.attname if field.is_relation else field.name
        label = field.name
        if fields is not None and label not in fields:
            continue
        if label in SECRET_FIELDS:
            continue
        value = _jsonable(getattr(obj, name))
        if label in PERSONAL_FIELDS and isinstance(value, str):
            value = mask_personal(value)
        data[label] = value
    return data


def record_change(
    *,
    obj: models.Model,
    action: str,
    actor: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    source: str = "",
    reason: str = "",
) -> ObjectChange:
    """Write one change-log row for `obj` (before/after are `snapshot()` results)."""
    if action not in ChangeAction.values:
        raise ValueError(f"unknown change action {action!r}")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return ObjectChange.objects.create(
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else "system")),
        source=source,
        action=action,
        content_type=ContentType.objects.get_for_model(type(obj)),
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        before=before,
        after=after,
        reason=reason,
    )


def history_for(obj: models.Model) -> models.QuerySet[ObjectChange]:
    """The change-log rows of one object, newest first."""
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=str(obj.pk)
    )
