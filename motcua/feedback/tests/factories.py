"""Test helpers for feedback: a small category tree with routing rules, staff, and items
brought to any state through the services (never by writing the state directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from motcua.conftest import Province, make_user
from motcua.feedback import services
from motcua.feedback.choices import Channel, FeedbackState
from motcua.feedback.models import Category, Feedback, RoutingRule
from motcua.people.choices import Role
from motcua.units.models import Unit

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

SENDER = {
    "name": "Lê Thị Hoa",
    "phone": "0912345678",
    "email": "hoa@example.vn",
    "id_number": "087095001234",
    "address": "Ấp 2, xã Mỹ An, Đồng Tháp",
}


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """An aware local instant: local(2025, 3, 3, 9) is Mon 03/03/2025 09:00 in Vietnam."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def _province_unit(province: Province | Unit) -> Unit:
    return province.old if isinstance(province, Province) else province


def make_categories(province: Province | Unit) -> dict[str, Category]:
    """A small tree with routing rules, keyed by code.

    - `hanh-chinh` Thủ tục hành chính (regulation; default rule → the provincial office VP)
      - `ho-tich` Hộ tịch: norm 10 working days; rules: district D1 → D1, commune C1 → C1,
        new commune N1 → N1 (areas below a rule's area inherit it)
      - `dat-dai` Đất đai: norm 20 working days (capped at the 15-day limit)
    - `hanh-vi` Hành vi cán bộ (conduct; default → VP)
    - `tong-dai` Hỏi đáp tổng đài: norm 5 calendar days, no rule of its own
    - `cu` an inactive category

    With the conftest `Province` the categories belong to the old province (code DT, which the
    new province keeps); with a plain unit, to that unit, and only the default rules exist.
    """
    root = _province_unit(province)
    make = Category.objects.create
    cats = {
        "hanh-chinh": make(
            province=root, code="hanh-chinh", name="Thủ tục hành chính", subject="regulation"
        ),
        "hanh-vi": make(province=root, code="hanh-vi", name="Hành vi cán bộ", subject="conduct"),
        "tong-dai": make(
            province=root,
            code="tong-dai",
            name="Hỏi đáp tổng đài",
            norm_days=5,
            norm_calendar_days=True,
            order=9,
        ),
        "cu": make(province=root, code="cu", name="Nhóm cũ", active=False, order=10),
    }
    cats["ho-tich"] = make(
        province=root,
        parent=cats["hanh-chinh"],
        code="ho-tich",
        name="Hộ tịch",
        norm_days=10,
        subject="regulation",
        order=1,
    )
    cats["dat-dai"] = make(
        province=root,
        parent=cats["hanh-chinh"],
        code="dat-dai",
        name="Đất đai",
        norm_days=20,
        subject="regulation",
        order=2,
    )
    if isinstance(province, Province):
        p = province
        RoutingRule.objects.create(category=cats["hanh-chinh"], area=None, handling_unit=p.office)
        RoutingRule.objects.create(category=cats["hanh-vi"], area=None, handling_unit=p.office)
        RoutingRule.objects.create(
            category=cats["ho-tich"], area=p.district, handling_unit=p.district
        )
        RoutingRule.objects.create(
            category=cats["ho-tich"], area=p.commune_a, handling_unit=p.commune_a
        )
        RoutingRule.objects.create(
            category=cats["ho-tich"], area=p.new_commune, handling_unit=p.new_commune
        )
    else:
        RoutingRule.objects.create(category=cats["hanh-chinh"], area=None, handling_unit=root)
        RoutingRule.objects.create(category=cats["hanh-vi"], area=None, handling_unit=root)
    return cats


def make_staff(province: Province) -> dict[str, Any]:
    """Feedback staff of commune C1 and its neighbours.

    `desk` one-stop officer at C1, `spec` specialist at C1, `lead` leader of C1, `lead2` a
    second leader of C1, `other` specialist at C2 (another unit), `dlead` leader of district D1
    (reaches C1 and C2), `root` a superuser.
    """
    p = province
    return {
        "desk": make_user("desk", (p.commune_a, Role.ONE_STOP_OFFICER), email="desk@c1.vn"),
        "spec": make_user(
            "spec", (p.commune_a, Role.SPECIALIST), email="spec@c1.vn", full_name="Phan Văn Sĩ"
        ),
        "lead": make_user("lead", (p.commune_a, Role.LEADER), email="lead@c1.vn"),
        "lead2": make_user("lead2", (p.commune_a, Role.LEADER), email="lead2@c1.vn"),
        "other": make_user("other", (p.commune_b, Role.SPECIALIST), email="other@c2.vn"),
        "dlead": make_user("dlead", (p.district, Role.LEADER), email="dlead@d1.vn"),
        "root": make_user("root", is_superuser=True),
    }


def make_feedback(
    *,
    unit: Unit | None = None,
    at: dt.datetime | None = None,
    channel: str = Channel.PORTAL,
    title: str = "Thủ tục đăng ký khai sinh yêu cầu giấy tờ không có trong quy định",
    content: str = "Cán bộ yêu cầu nộp thêm bản sao sổ hộ khẩu dù quy định không yêu cầu.",
    sender: dict[str, str] | None = None,
    **kwargs: Any,
) -> Feedback:
    """A received item through `services.receive_feedback` (portal, the sample sender)."""
    return services.receive_feedback(
        channel=channel,
        title=title,
        content=content,
        sender=dict(SENDER) if sender is None else sender,
        unit=unit,
        at=at,
        **kwargs,
    )


PUBLIC_ANSWER = (
    "Theo quy định hiện hành, thủ tục đăng ký khai sinh không yêu cầu bản sao sổ hộ khẩu. "
    "Ủy ban nhân dân xã đã chấn chỉnh bộ phận một cửa."
)


def advance(
    feedback: Feedback,
    state: str,
    *,
    actor: Any,
    at: dt.datetime,
    to_unit: Unit | None = None,
) -> Feedback:
    """Bring a received item to `state` through the services, each step at `at`.

    `actor` must be allowed to process and approve at the item's unit (a leader or a
    superuser). For `forwarded`, `to_unit` forwards inside motcua (the original is returned).
    """
    s = FeedbackState
    f = feedback
    if state == s.RECEIVED:
        return f
    if state == s.REFUSED:
        return services.refuse_feedback(feedback=f, actor=actor, reason="Nội dung trùng", at=at)
    if state == s.FORWARDED:
        services.forward_feedback(
            feedback=f,
            actor=actor,
            reason="Thuộc thẩm quyền cơ quan khác",
            to_unit=to_unit,
            to_body="" if to_unit is not None else "Cục Thuế tỉnh",
            at=at,
        )
        return Feedback.objects.get(pk=f.pk)
    if state == s.REDIRECTED:
        return services.redirect_feedback(
            feedback=f, actor=actor, reason="Là đơn khiếu nại", target="Ban Tiếp công dân", at=at
        )
    if state == s.ANSWERED:
        return services.quick_answer(feedback=f, actor=actor, answer="Đã hướng dẫn", at=at)
    f = services.request_supplement(
        feedback=f, actor=actor, request="Đề nghị cho biết ngày nộp hồ sơ", at=at
    )
    if state == s.SUPPLEMENT_REQUESTED:
        return f
    f = services.record_supplement(feedback=f, text="Nộp ngày 03/03/2025", at=at)
    if state == s.SUPPLEMENTED:
        return f
    f = services.start_processing(feedback=f, actor=actor, at=at)
    if state == s.PROCESSING:
        return f
    f = services.draft_answer(
        feedback=f,
        actor=actor,
        official="Kính gửi bà Lê Thị Hoa: thủ tục không yêu cầu bản sao sổ hộ khẩu.",
        public=PUBLIC_ANSWER,
        public_title="Giấy tờ khi đăng ký khai sinh",
        at=at,
    )
    f = services.approve_answer(feedback=f, actor=actor, at=at)
    if state == s.ANSWER_APPROVED:
        return f
    f = services.publish_feedback(feedback=f, actor=actor, at=at)
    if state == s.PUBLISHED:
        return f
    if state == s.CLOSED:
        return services.close_feedback(feedback=f, actor=actor, at=at)
    raise ValueError(f"unknown state {state!r}")
