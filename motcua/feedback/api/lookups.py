"""Looking up the codes an API body or an Open311 form names: units, categories, users.

Every miss is a `FeedbackError` on the field that named it, so callers answer it like any
other domain error (HTTP 400 on that field).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from motcua.feedback.models import Category
from motcua.feedback.services import FeedbackError
from motcua.people.models import User
from motcua.people.policy import Action, actions_for_role
from motcua.people.scope import memberships_reaching
from motcua.units.models import Unit, UnitQuerySet


def unit_by_code(
    code: str, *, field: str, on: dt.date | None = None, among: UnitQuerySet | None = None
) -> Unit:
    """The version of unit `code` in force on `on` (default today), else its latest version.

    FeedbackError on `field` when there is none (among `among`, when given).
    """
    text = (code or "").strip()
    rows = among if among is not None else Unit.objects.all()
    unit = None
    if text:
        unit = rows.version_of(text, on=on or timezone.localdate()) or rows.version_of(text)
    if unit is None:
        raise FeedbackError(
            gettext("không tìm thấy đơn vị “%(code)s”") % {"code": text}, field=field
        )
    return unit


def category_by_code(code: str, *, province: str, field: str = "category") -> Category:
    """The active category `code` of the province; FeedbackError on `field`."""
    text = (code or "").strip()
    category = (
        Category.objects.filter(code=text, province__code=province, active=True)
        .order_by(F("province__valid_from").desc(nulls_last=True))
        .first()
        if text
        else None
    )
    if category is None:
        raise FeedbackError(
            gettext("không tìm thấy nhóm phản ánh “%(code)s”") % {"code": text}, field=field
        )
    return category


def user_by_username(username: str, *, field: str) -> User:
    """The user with the username; FeedbackError on `field`."""
    user = User.objects.filter(username=(username or "").strip(), is_active=True).first()
    if user is None:
        raise FeedbackError(
            gettext("không tìm thấy người dùng “%(name)s”") % {"name": username}, field=field
        )
    return user


def default_intake_unit(user: Any) -> Unit:
    """The one unit where the account receives; FeedbackError when it has none or several."""
    ids = {
        m.unit_id
        for m in memberships_reaching(user, None)
        if Action.RECEIVE in actions_for_role(m.role)
    }
    if len(ids) != 1:
        raise FeedbackError(gettext("cần chọn nơi tiếp nhận (mã đơn vị)"), field="intake_unit")
    return Unit.objects.get(pk=ids.pop())
