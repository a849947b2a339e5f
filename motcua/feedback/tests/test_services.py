"""Services behind the lifecycle: receipt and routing, bad input, forwarding, the answer and
its privacy check, repeats, votes and surveys, notices, scope, the close-due job."""

from __future__ import annotations

import unicodedata
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from motcua.conftest import Province
from motcua.feedback import services
from motcua.feedback.choices import Channel, Competence, FeedbackState, Kind
from motcua.feedback.jobs import close_due
from motcua.feedback.models import (
    Category,
    Feedback,
    FeedbackCodeCounter,
    FeedbackEntry,
    FeedbackPause,
)
from motcua.feedback.selectors import find_public, get_feedback_for_user, list_public
from motcua.feedback.tests.factories import (
    PUBLIC_ANSWER,
    SENDER,
    advance,
    local,
    make_categories,
    make_feedback,
    make_staff,
)

S = FeedbackState
T0 = local(2025, 3, 3, 9)
T1 = local(2025, 3, 4, 10)
T2 = local(2025, 3, 5, 11)


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    return make_staff(province)


@pytest.fixture
def cats(province: Province) -> dict[str, Category]:
    return make_categories(province)


def kinds(f: Feedback) -> list[str]:
    return list(FeedbackEntry.objects.filter(feedback=f).values_list("kind", flat=True))


def processing(province: Province, staff: dict[str, Any], **kw: Any) -> Feedback:
    f = make_feedback(unit=province.commune_a, at=T0, **kw)
    return services.start_processing(feedback=f, actor=staff["spec"], at=T0)


def drafted(
    province: Province, staff: dict[str, Any], public: str = PUBLIC_ANSWER, title: str = ""
) -> Feedback:
    return services.draft_answer(
        feedback=processing(province, staff),
        actor=staff["spec"],
        official="Kính gửi bà Lê Thị Hoa, số điện thoại 0912345678: xin trả lời như sau.",
        public=public,
        public_title=title,
        at=T1,
    )


# -- receipt ---------------------------------------------------------------------------------


def test_codes_follow_the_province_and_the_local_day(province: Province) -> None:
    a = make_feedback(unit=province.commune_a, at=local(2025, 3, 3, 23, 30))
    b = make_feedback(unit=province.commune_b, at=local(2025, 3, 3, 23, 45))
    c = make_feedback(unit=province.commune_a, at=local(2025, 3, 4, 0, 5))
    assert [a.code, b.code, c.code] == [
        "PA-DT-250303-0001",
        "PA-DT-250303-0002",
        "PA-DT-250304-0001",
    ]
    # The new province keeps the code DT: numbering never restarts across the reform.
    d = make_feedback(unit=province.new_commune, at=local(2025, 7, 1, 8))
    assert d.code == "PA-DT-250701-0001"


def test_receipt_records_the_intake_and_starts_the_clock(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(
        actor=staff["desk"],
        intake_unit=province.commune_a,
        channel=Channel.HOTLINE,
        contact_at=local(2025, 3, 3, 8, 50),
        call_duration_seconds=185,
        at=T0,
    )
    row = Feedback.objects.get(pk=f.pk)
    assert row.state == S.RECEIVED
    assert row.unit == province.commune_a  # no routing rule: the intake unit
    assert (row.contact_at, row.received_at) == (local(2025, 3, 3, 8, 50), T0)
    assert row.call_duration_seconds == 185
    assert row.logged_by == staff["desk"]
    assert row.handle_due == local(2025, 3, 24, 9)  # 15 working days
    assert row.refuse_due == local(2025, 3, 5, 9)
    event = row.events.get(kind="feedback.received")
    assert event.actor == staff["desk"]
    assert event.data["channel"] == "hotline"
    assert event.data["handle_due"] == local(2025, 3, 24, 9).isoformat()


def test_text_is_nfc_normalised(province: Province) -> None:
    decomposed = unicodedata.normalize("NFD", "  Phản ánh về thủ tục hộ tịch  ")
    sender = {**SENDER, "name": unicodedata.normalize("NFD", "Lê Thị Hoa")}
    f = make_feedback(unit=province.commune_a, title=decomposed, sender=sender, at=T0)
    row = Feedback.objects.get(pk=f.pk)
    assert row.title == "Phản ánh về thủ tục hộ tịch"
    assert unicodedata.is_normalized("NFC", row.title)
    assert row.sender_name == "Lê Thị Hoa"


def test_phone_and_id_are_stored_as_digits(province: Province) -> None:
    sender = {"phone": "+84 912.345-678", "id_number": "087 095 001 234"}
    f = make_feedback(unit=province.commune_a, sender=sender, at=T0)
    assert (f.sender_phone, f.sender_id_number) == ("0912345678", "087095001234")


@pytest.mark.parametrize(
    ("category", "area", "day", "expected"),
    [
        ("ho-tich", "commune_a", local(2025, 3, 3, 9), "commune_a"),  # the area's own rule
        ("ho-tich", "commune_b", local(2025, 3, 3, 9), "district"),  # the area's parent's rule
        ("ho-tich", "commune_c", local(2025, 3, 3, 9), "office"),  # the parent category's default
        ("dat-dai", "commune_a", local(2025, 3, 3, 9), "office"),  # no rule of its own
        ("hanh-vi", None, local(2025, 3, 3, 9), "office"),  # the category's default rule
        ("ho-tich", "new_commune", local(2025, 8, 4, 9), "new_commune"),
        # C1 and D1 closed on 30/06/2025: their rules are skipped.
        ("ho-tich", "commune_a", local(2025, 8, 4, 9), "office"),
        (None, None, local(2025, 3, 3, 9), "old"),  # nothing at all: the province
    ],
)
def test_routing(
    province: Province,
    cats: dict[str, Category],
    category: str | None,
    area: str | None,
    day: Any,
    expected: str,
) -> None:
    f = make_feedback(
        category=cats[category] if category else None,
        area=getattr(province, area) if area else None,
        province=province.old if day.year == 2025 and day.month < 7 else province.new,
        at=day,
    )
    assert f.unit == getattr(province, expected)


def test_the_named_unit_wins_over_routing(province: Province, cats: dict[str, Category]) -> None:
    f = make_feedback(
        unit=province.commune_b, category=cats["ho-tich"], area=province.commune_a, at=T0
    )
    assert f.unit == province.commune_b
    assert f.subject == "regulation"  # the category's default subject


def test_contact_is_required_from_public_channels(province: Province, settings: Any) -> None:
    no_contact = {"name": "Lê Thị Hoa"}
    with pytest.raises(services.FeedbackError) as err:
        make_feedback(unit=province.commune_a, sender=no_contact, at=T0)
    assert err.value.field == "sender_phone"
    assert "số điện thoại hoặc thư điện tử" in err.value.message
    assert Feedback.objects.count() == 0
    # A letter or a hotline call may come without a way back; so may a question.
    make_feedback(unit=province.commune_a, sender=no_contact, channel=Channel.LETTER, at=T0)
    make_feedback(unit=province.commune_a, sender={}, kind=Kind.QUESTION, at=T0)
    settings.MOTCUA_FEEDBACK_CONTACT_REQUIRED = False
    make_feedback(unit=province.commune_a, sender=no_contact, at=T0)
    assert Feedback.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 256}, "title"),
        ({"content": ""}, "content"),
        ({"channel": "fax"}, "channel"),
        ({"kind": "complaint"}, "kind"),
        ({"subject": "weather"}, "subject"),
        ({"sender": {**SENDER, "phone": "09x2345678"}}, "sender_phone"),
        ({"sender": {**SENDER, "email": "hoa@"}}, "sender_email"),
        ({"sender": {**SENDER, "id_number": "12345"}}, "sender_id_number"),
        ({"sender": {**SENDER, "fax": "1"}}, "sender"),
        ({"at": local(2099, 1, 1, 9)}, "at"),
        ({"contact_at": local(2025, 3, 3, 9, 30)}, "contact_at"),
        ({"call_duration_seconds": -1}, "call_duration_seconds"),
        ({"repeat_dissatisfied": True}, "repeat_of_code"),
        ({"procedure_code": "9.999999"}, "procedure_code"),
        ({"unit": "closed"}, "unit"),
    ],
)
def test_bad_input_is_refused_with_a_field_and_nothing_is_written(
    province: Province, changes: dict[str, Any], field: str
) -> None:
    kwargs: dict[str, Any] = {"unit": province.commune_a, "at": T0, **changes}
    if kwargs["unit"] == "closed":  # C1 closed on 30/06/2025
        kwargs["unit"] = province.commune_a
        kwargs["at"] = local(2025, 7, 2, 9)
    with pytest.raises(services.FeedbackError) as err:
        make_feedback(**kwargs)
    assert err.value.field == field
    assert err.value.status == 400
    assert err.value.message
    assert Feedback.objects.count() == 0
    assert FeedbackEntry.objects.count() == 0
    assert FeedbackCodeCounter.objects.count() == 0


def test_an_officer_is_told_an_unknown_code_a_public_sender_is_not(
    province: Province, staff: dict[str, Any]
) -> None:
    """Public senders cannot probe which dossier or feedback codes exist; officers can fix it."""
    cases: list[tuple[dict[str, Any], str]] = [
        ({"repeat_of_code": "PA-DT-250101-0099"}, "repeat_of_code"),
        ({"dossier_code": "C1-250303-9999"}, "dossier_code"),
    ]
    for changes, field in cases:
        with pytest.raises(services.FeedbackError) as err:
            make_feedback(
                unit=province.commune_a,
                at=T0,
                actor=staff["desk"],
                intake_unit=province.commune_a,
                channel="counter",
                **changes,
            )
        assert err.value.field == field
    assert Feedback.objects.count() == 0
    public = make_feedback(
        unit=province.commune_a,
        at=T0,
        dossier_code="C1-250303-9999",
        repeat_of_code="PA-DT-250101-0099",
    )
    assert public.dossier is None and public.repeat_of is None
    assert "(mã hồ sơ người gửi ghi: C1-250303-9999)" in public.content
    assert "(mã phản ánh trước người gửi ghi: PA-DT-250101-0099)" in public.content


def test_naive_instants_are_refused(province: Province) -> None:
    import datetime as dt

    with pytest.raises(services.FeedbackError) as err:
        make_feedback(unit=province.commune_a, at=dt.datetime(2025, 3, 3, 9))
    assert err.value.field == "at"


def test_categories_of_another_province_or_inactive_are_refused(
    province: Province, cats: dict[str, Category]
) -> None:
    from motcua.conftest import make_unit

    other = make_unit("LA", "Ủy ban nhân dân tỉnh Long An", "province")
    foreign = Category.objects.create(province=other, code="x", name="Khác")
    with pytest.raises(services.FeedbackError) as err:
        make_feedback(unit=province.commune_a, category=foreign, at=T0)
    assert err.value.field == "category"
    with pytest.raises(services.FeedbackError) as err:
        make_feedback(unit=province.commune_a, category=cats["cu"], at=T0)
    assert err.value.field == "category"
    with pytest.raises(services.FeedbackError) as err:
        make_feedback(unit=province.commune_a, area=other, at=T0)
    assert err.value.field == "area"
    with pytest.raises(services.FeedbackError) as err:
        make_feedback(unit=other, province=province.old, at=T0)
    assert err.value.field == "unit"
    assert Feedback.objects.count() == 0


def test_forwarding_to_another_province_numbers_the_item_there(
    province: Province, staff: dict[str, Any]
) -> None:
    from motcua.conftest import make_unit

    other = make_unit("LA", "Ủy ban nhân dân tỉnh Long An", "province")
    department = make_unit("LA-STP", "Sở Tư pháp tỉnh Long An", "department", other)
    f = make_feedback(unit=province.commune_a, at=T0)
    new = services.forward_feedback(
        feedback=f, actor=staff["spec"], reason="Việc ở Long An", to_unit=department, at=T1
    )
    assert new.code == "PA-LA-250304-0001"
    assert (new.unit, new.intake_unit, new.forwarded_from) == (department, province.commune_a, f)


def test_events_cannot_go_back_in_time(province: Province, staff: dict[str, Any]) -> None:
    f = make_feedback(unit=province.commune_a, at=T1)
    with pytest.raises(services.FeedbackError) as err:
        services.start_processing(feedback=f, actor=staff["spec"], at=T0)
    assert err.value.field == "at"
    assert Feedback.objects.get(pk=f.pk).state == S.RECEIVED


def test_a_stale_copy_is_a_concurrent_change(province: Province, staff: dict[str, Any]) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    stale = Feedback.objects.get(pk=f.pk)
    services.classify_feedback(feedback=f, actor=staff["spec"], subject="conduct", at=T1)
    with pytest.raises(services.ConcurrentChange) as err:
        services.refuse_feedback(feedback=stale, actor=staff["spec"], reason="Trùng", at=T2)
    assert err.value.status == 409
    assert Feedback.objects.get(pk=f.pk).state == S.RECEIVED


# -- classification and assignment -----------------------------------------------------------


def test_classification_records_what_changed(
    province: Province, staff: dict[str, Any], cats: dict[str, Category]
) -> None:
    from motcua.dossiers.services import receive_dossier
    from motcua.dossiers.tests.factories import APPLICANT, make_procedure

    procedure = make_procedure(units=[province.commune_a], amount=5)
    dossier = receive_dossier(
        actor=staff["root"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=T0,
    )
    f = make_feedback(unit=province.commune_a, at=T0)
    f = services.classify_feedback(
        feedback=f,
        actor=staff["spec"],
        subject="conduct",
        competence=Competence.IN_SCOPE,
        category=cats["ho-tich"],
        dossier_code=dossier.code,
        procedure_code=procedure.code,
        officer=staff["desk"],
        officer_name="Nguyễn Văn Một Cửa",
        at=T1,
    )
    row = Feedback.objects.get(pk=f.pk)
    assert (row.subject, row.competence, row.category) == ("conduct", "in_scope", cats["ho-tich"])
    assert (row.dossier, row.procedure, row.officer) == (dossier, procedure, staff["desk"])
    assert row.norm_due == local(2025, 3, 17, 9)  # the category's 10-day norm
    event = row.events.get(kind="feedback.classified")
    assert event.data["subject"] == ["", "conduct"]
    assert event.data["dossier"] == [None, dossier.code]
    with pytest.raises(services.FeedbackError) as err:
        services.classify_feedback(feedback=row, actor=staff["spec"], at=T2)
    assert err.value.field == "subject"
    with pytest.raises(services.FeedbackError) as err:
        services.classify_feedback(feedback=row, actor=staff["spec"], competence="maybe", at=T2)
    assert err.value.field == "competence"


def test_assignment_names_a_handler_who_may_process(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    with pytest.raises(services.FeedbackError) as err:
        services.assign_feedback(feedback=f, actor=staff["lead"], handler=staff["other"], at=T1)
    assert err.value.field == "handler"
    f = services.assign_feedback(feedback=f, actor=staff["lead"], handler=staff["spec"], at=T1)
    assert Feedback.objects.get(pk=f.pk).handler == staff["spec"]
    # Dispatch to another unit of the province: the clock keeps the receipt instant.
    f = services.assign_feedback(feedback=f, actor=staff["dlead"], unit=province.commune_b, at=T2)
    row = Feedback.objects.get(pk=f.pk)
    assert (row.unit, row.handler, row.received_at) == (province.commune_b, None, T0)
    assert row.events.filter(kind="feedback.assigned").count() == 2


# -- disposal ----------------------------------------------------------------------------------


def test_forwarding_inside_motcua_creates_a_new_item_with_its_own_clock(
    province: Province,
    staff: dict[str, Any],
    cats: dict[str, Category],
    django_capture_on_commit_callbacks: Any,
) -> None:
    f = make_feedback(unit=province.commune_a, category=cats["ho-tich"], at=local(2025, 1, 22, 9))
    with django_capture_on_commit_callbacks(execute=True):
        new = services.forward_feedback(
            feedback=f,
            actor=staff["spec"],
            reason="Việc thuộc thẩm quyền xã Mỹ Hòa",
            to_unit=province.commune_b,
            at=local(2025, 1, 24, 15),
        )
    original = Feedback.objects.get(pk=f.pk)
    assert original.state == S.FORWARDED
    assert original.finished_at == local(2025, 1, 24, 15)
    assert original.forwarded_to_unit == province.commune_b
    assert original.competence == Competence.OTHER_BODY
    new = Feedback.objects.get(pk=new.pk)
    assert new.pk != original.pk
    assert (new.state, new.channel, new.unit) == (S.RECEIVED, Channel.TRANSFER, province.commune_b)
    assert new.forwarded_from == original
    assert new.received_at == local(2025, 1, 24, 15)
    assert new.contact_at == original.contact_at
    assert (new.title, new.sender_phone, new.category) == (f.title, f.sender_phone, f.category)
    # The clock starts at the transfer: 2 working days across Tết 2025 (W2).
    assert new.refuse_due == local(2025, 2, 4, 15)
    assert original.events.get(kind="feedback.forwarded").data["new_code"] == new.code
    notice = original.events.get(kind="feedback.notice_sent", data__notice="forwarded")
    assert province.commune_b.name in notice.note
    assert new.code in notice.note
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert province.commune_b.name in mail.outbox[0].body
    # The forwarding unit still sees where it went.
    assert get_feedback_for_user(staff["spec"], new.code) == new


def test_forwarding_outside_motcua_names_the_body(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    result = services.forward_feedback(
        feedback=f, actor=staff["spec"], reason="Thuộc ngành thuế", to_body="Cục Thuế tỉnh", at=T1
    )
    assert result.pk == f.pk
    row = Feedback.objects.get(pk=f.pk)
    assert (row.state, row.forwarded_to_body, row.finished_at) == (S.FORWARDED, "Cục Thuế tỉnh", T1)
    assert row.forwarded_to_unit is None
    assert Feedback.objects.count() == 1
    assert "Cục Thuế tỉnh" in row.events.get(data__notice="forwarded").note


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"reason": "x"}, "to_unit"),
        ({"reason": "x", "to_body": "Cục Thuế", "to_unit": "commune_b"}, "to_unit"),
        ({"reason": "", "to_body": "Cục Thuế"}, "reason"),
        ({"reason": "x", "to_unit": "commune_a"}, "to_unit"),
        ({"reason": "x", "to_unit": "new_commune"}, "to_unit"),  # not yet in force in March 2025
    ],
)
def test_bad_forwarding(
    province: Province, staff: dict[str, Any], kwargs: dict[str, Any], field: str
) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    if "to_unit" in kwargs:
        kwargs = {**kwargs, "to_unit": getattr(province, kwargs["to_unit"])}
    with pytest.raises(services.FeedbackError) as err:
        services.forward_feedback(feedback=f, actor=staff["spec"], at=T1, **kwargs)
    assert err.value.field == field
    assert Feedback.objects.count() == 1
    assert Feedback.objects.get(pk=f.pk).state == S.RECEIVED


def test_refusal_and_redirection_finish_the_item(province: Province, staff: dict[str, Any]) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    with pytest.raises(services.FeedbackError) as err:
        services.refuse_feedback(feedback=f, actor=staff["spec"], reason=" ", at=T1)
    assert err.value.field == "reason"
    f = services.refuse_feedback(feedback=f, actor=staff["spec"], reason="Nội dung trùng", at=T1)
    assert (f.finished_at, f.disposal_reason) == (T1, "Nội dung trùng")
    g = make_feedback(unit=province.commune_a, at=T0)
    g = services.redirect_feedback(
        feedback=g, actor=staff["spec"], reason="Là đơn tố cáo", target="Thanh tra tỉnh", at=T1
    )
    row = Feedback.objects.get(pk=g.pk)
    assert (row.state, row.competence, row.forwarded_to_body) == (
        S.REDIRECTED,
        Competence.NOT_PAKN,
        "Thanh tra tỉnh",
    )
    assert row.finished_at == T1
    assert "Thanh tra tỉnh" in row.events.get(data__notice="redirected").note


def test_a_refusal_while_waiting_closes_the_wait(province: Province, staff: dict[str, Any]) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    f = services.request_supplement(feedback=f, actor=staff["spec"], request="Ghi rõ", at=T1)
    assert f.first_supplement_at == T1
    assert f.handle_due_paused is None  # waiting for the sender: no due instant
    services.refuse_feedback(feedback=f, actor=staff["spec"], reason="Không bổ sung", at=T2)
    assert FeedbackPause.objects.get(feedback=f).closed_at == T2


# -- the answer ----------------------------------------------------------------------------------


def test_approval_resolves_and_publication_opens_the_answer(
    province: Province, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    f = drafted(province, staff, title="Giấy tờ khi đăng ký khai sinh")
    assert f.public_title == "Giấy tờ khi đăng ký khai sinh"
    with django_capture_on_commit_callbacks(execute=True):
        f = services.approve_answer(feedback=f, actor=staff["lead"], at=T2)
    row = Feedback.objects.get(pk=f.pk)
    assert (row.state, row.resolved_at, row.finished_at) == (S.ANSWER_APPROVED, T2, T2)
    assert row.publish_due == local(2025, 3, 7, 11)
    assert len(mail.outbox) == 1
    assert "xin trả lời như sau" in mail.outbox[0].body  # the official answer goes to the sender
    at = local(2025, 3, 6, 9)
    row = services.publish_feedback(feedback=row, actor=staff["lead"], at=at)
    row = Feedback.objects.get(pk=f.pk)
    assert (row.state, row.published_at) == (S.PUBLISHED, at)
    assert "giay to khi dang ky khai sinh" in row.search_text
    assert list(list_public("dang ky KHAI SINH")) == [row]
    assert row.events.get(kind="feedback.published").data == {"late": False}


@pytest.mark.parametrize(
    ("public", "title", "what"),
    [
        ("Bà gọi số 0912 345 678 để hỏi", "", "số điện thoại"),
        ("Liên hệ +84.912.345.678", "", "số điện thoại"),
        ("Số CCCD 087095001234 của bà", "", "số định danh"),
        ("Gửi tới HOA@example.vn", "", "thư điện tử"),
        ("Trả lời bà Lê Thị Hoa như sau", "", "họ tên"),
        ("Tra loi ba le thi hoa nhu sau", "", "họ tên"),
        (PUBLIC_ANSWER, "Câu hỏi của bà Lê Thị Hoa", "họ tên"),
    ],
)
def test_approval_refuses_personal_data_in_the_public_version(
    province: Province, staff: dict[str, Any], public: str, title: str, what: str
) -> None:
    f = drafted(province, staff, public=public, title=title)
    with pytest.raises(services.FeedbackError) as err:
        services.approve_answer(feedback=f, actor=staff["lead"], at=T2)
    assert err.value.field == "answer_public"
    assert what in err.value.message
    row = Feedback.objects.get(pk=f.pk)
    assert (row.state, row.resolved_at) == (S.PROCESSING, None)


def test_a_single_word_name_or_other_digits_do_not_block_approval(
    province: Province, staff: dict[str, Any]
) -> None:
    f = processing(province, staff, sender={"name": "Hoa", "phone": "0912345678"})
    f = services.draft_answer(
        feedback=f,
        actor=staff["spec"],
        official="Trả lời",
        public="Hoa kiểng được trồng theo quy định; đường dây nóng 1022.",
        at=T1,
    )
    assert services.approve_answer(feedback=f, actor=staff["lead"], at=T2).state == (
        S.ANSWER_APPROVED
    )


def test_approval_needs_a_draft_and_a_reason_not_to_publish(
    province: Province, staff: dict[str, Any]
) -> None:
    f = processing(province, staff)
    with pytest.raises(services.FeedbackError) as err:
        services.approve_answer(feedback=f, actor=staff["lead"], at=T2)
    assert err.value.field == "answer_official"
    with pytest.raises(services.FeedbackError) as err:
        services.reject_answer(feedback=f, actor=staff["lead"], reason="Sửa", at=T2)
    assert err.value.field == "answer_official"
    f = drafted(province, staff)
    with pytest.raises(services.FeedbackError) as err:
        services.approve_answer(feedback=f, actor=staff["lead"], do_not_publish=True, at=T2)
    assert err.value.field == "do_not_publish_reason"
    f = services.approve_answer(
        feedback=f,
        actor=staff["lead"],
        do_not_publish=True,
        do_not_publish_reason="Người phản ánh đề nghị không công khai",
        at=T2,
    )
    assert f.do_not_publish
    with pytest.raises(services.TransitionNotAllowed) as err:
        services.publish_feedback(feedback=f, actor=staff["lead"], at=T2)
    assert err.value.field == "do_not_publish"
    assert list(list_public()) == []


def test_answer_on_the_spot_keeps_area_contact_time_and_links(
    province: Province, staff: dict[str, Any]
) -> None:
    from motcua.dossiers.services import receive_dossier
    from motcua.dossiers.tests.factories import APPLICANT, make_procedure

    procedure = make_procedure(units=[province.commune_a])
    dossier = receive_dossier(
        actor=staff["root"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=T0,
    )
    called = local(2025, 3, 4, 9, 50)
    q = services.answer_on_the_spot(
        actor=staff["desk"],
        title="Hồ sơ khai sinh đến đâu rồi",
        content="Hỏi tình trạng hồ sơ khai sinh đã nộp",
        answer="Hồ sơ đang được thụ lý, hẹn trả ngày 10/3.",
        sender={"phone": "0987654321"},
        intake_unit=province.commune_a,
        at=T1,
        area=province.commune_b,
        contact_at=called,
        dossier_code=dossier.code or "",
        procedure_code=procedure.code,
    )
    row = Feedback.objects.get(pk=q.pk)
    assert (row.area, row.dossier, row.procedure) == (province.commune_b, dossier, procedure)
    assert (row.contact_at, row.received_at, row.closed_at) == (called, T1, T1)
    # The intake unit answered: the area does not re-route it.
    assert row.unit == province.commune_a and row.state == S.CLOSED
    timeline = row.events.exclude(kind="feedback.notice_sent").values_list("kind", flat=True)
    assert list(timeline) == ["feedback.received", "feedback.answered", "feedback.closed"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"contact_at": local(2025, 3, 4, 10, 30)}, "contact_at"),
        ({"dossier_code": "C1-250303-9999"}, "dossier_code"),
        ({"procedure_code": "9.999999"}, "procedure_code"),
    ],
)
def test_answer_on_the_spot_checks_links_like_receipt(
    province: Province, staff: dict[str, Any], change: dict[str, Any], field: str
) -> None:
    with pytest.raises(services.FeedbackError) as err:
        services.answer_on_the_spot(
            actor=staff["desk"],
            title="Hỏi",
            content="Hỏi",
            answer="Đáp",
            sender={},
            intake_unit=province.commune_a,
            at=T1,
            **change,
        )
    assert err.value.field == field
    assert not Feedback.objects.exists()


def test_a_rejected_draft_stays_in_processing(province: Province, staff: dict[str, Any]) -> None:
    f = drafted(province, staff)
    f = services.reject_answer(feedback=f, actor=staff["lead"], reason="Thêm căn cứ", at=T2)
    row = Feedback.objects.get(pk=f.pk)
    assert row.state == S.PROCESSING
    assert row.events.get(kind="feedback.answer_rejected").note == "Thêm căn cứ"
    with pytest.raises(services.ActionForbidden):
        services.reject_answer(feedback=row, actor=staff["spec"], reason="x", at=T2)


def test_answer_on_the_spot(province: Province, staff: dict[str, Any]) -> None:
    q = services.answer_on_the_spot(
        actor=staff["desk"],
        title="Giờ làm việc của bộ phận một cửa",
        content="Hỏi giờ làm việc sáng thứ Bảy",
        answer="Bộ phận một cửa làm việc sáng thứ Bảy từ 7 giờ 30.",
        sender={"phone": "0987654321"},
        intake_unit=province.commune_a,
        call_duration_seconds=95,
        at=T1,
    )
    row = Feedback.objects.get(pk=q.pk)
    assert (row.kind, row.state, row.channel) == (Kind.QUESTION, S.CLOSED, Channel.HOTLINE)
    assert (row.finished_at, row.closed_at, row.resolved_at) == (T1, T1, None)
    assert row.unit == province.commune_a
    assert kinds(row) == ["feedback.received", "feedback.answered", "feedback.closed"]
    with pytest.raises(services.ActionForbidden):
        services.answer_on_the_spot(
            actor=staff["other"],
            title="Hỏi",
            content="Hỏi",
            answer="Đáp",
            sender={},
            intake_unit=province.commune_a,
            at=T1,
        )
    with pytest.raises(services.FeedbackError) as err:
        services.answer_on_the_spot(
            actor=staff["desk"],
            title="Hỏi",
            content="Hỏi",
            answer="",
            sender={},
            intake_unit=province.commune_a,
            at=T1,
        )
    assert err.value.field == "answer"
    assert Feedback.objects.count() == 1


# -- repeats, votes, surveys ---------------------------------------------------------------------


def test_a_repeat_links_the_earlier_item_of_the_same_province(province: Province) -> None:
    first = make_feedback(unit=province.commune_a, at=T0)
    again = make_feedback(
        unit=province.commune_a,
        repeat_of_code=first.code.lower(),
        repeat_dissatisfied=True,
        at=T1,
    )
    assert (again.repeat_of, again.repeat_dissatisfied) == (first, True)
    assert again.events.get(kind="feedback.received").data["repeat_of"] == first.code
    assert list(first.repeats.all()) == [again]


def test_votes_count_once_per_voter_on_published_answers(
    province: Province, staff: dict[str, Any]
) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    with pytest.raises(services.TransitionNotAllowed):
        services.vote_feedback(feedback=f, voter_key="ip:1", value=1, at=T1)
    f = advance(f, S.PUBLISHED, actor=staff["lead"], at=T1)
    services.vote_feedback(feedback=f, voter_key="ip:1", value=1, at=T2)
    services.vote_feedback(feedback=f, voter_key="ip:2", value=-1, at=T2)
    services.vote_feedback(feedback=f, voter_key="user:7", value=-1, is_sender=True, at=T2)
    with pytest.raises(services.FeedbackError) as err:
        services.vote_feedback(feedback=f, voter_key="ip:1", value=-1, at=T2)
    assert "đã bình chọn" in err.value.message
    with pytest.raises(services.FeedbackError) as err:
        services.vote_feedback(feedback=f, voter_key="ip:3", value=5, at=T2)
    assert err.value.field == "value"
    row = Feedback.objects.get(pk=f.pk)
    assert (row.likes, row.dislikes, row.unsatisfied) == (1, 2, True)
    assert "ip:1" not in str(list(row.votes.values_list("voter", flat=True)))
    assert row.events.filter(kind="feedback.voted").count() == 3


def test_the_closing_survey_is_answered_once(province: Province, staff: dict[str, Any]) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    with pytest.raises(services.TransitionNotAllowed):
        services.record_survey(feedback=f, satisfied=True, at=T1)
    f = advance(f, S.CLOSED, actor=staff["lead"], at=T1)
    survey = services.record_survey(feedback=f, satisfied=False, comment=" Chậm ", at=T2)
    assert (survey.satisfied, survey.comment) == (False, "Chậm")
    with pytest.raises(services.FeedbackError) as err:
        services.record_survey(feedback=f, satisfied=True, at=T2)
    assert err.value.field == "satisfied"


# -- notices, scope, look-up ---------------------------------------------------------------------


def test_notices_mail_the_sender_and_never_store_raw_contact_data(
    province: Province, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        f = make_feedback(unit=province.commune_a, channel=Channel.ZALO, at=T0)
    assert [m.to for m in mail.outbox] == [["hoa@example.vn"]]
    assert f.code in mail.outbox[0].subject
    assert "24/03/2025" in mail.outbox[0].body  # the expected date
    notice = f.events.get(kind="feedback.notice_sent")
    assert notice.data["channels"]["email"]["status"] == "đã gửi"
    assert notice.data["channels"]["sms"] == {"to": "*******678", "status": "chờ gửi"}
    assert notice.data["channels"]["zalo"]["status"] == "chờ gửi"
    stored = str(list(FeedbackEntry.objects.values_list("data", "note")))
    assert "0912345678" not in stored
    assert "087095001234" not in stored
    assert "hoa@example.vn" not in stored
    # No e-mail address: nothing mailed, the SMS waits for the gateway.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        g = make_feedback(unit=province.commune_a, sender={"phone": "0987654321"}, at=T0)
    assert mail.outbox == []
    assert set(g.events.get(kind="feedback.notice_sent").data["channels"]) == {"sms"}


def test_nothing_is_mailed_when_the_change_rolls_back(
    province: Province, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(services.FeedbackError),
    ):
        services.forward_feedback(
            feedback=f, actor=staff["spec"], reason="x", to_unit=province.commune_a, at=T1
        )
    assert callbacks == []
    assert mail.outbox == []


def test_scope_hides_other_units_items(province: Province, staff: dict[str, Any]) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    assert get_feedback_for_user(staff["spec"], f.code) == f
    assert get_feedback_for_user(staff["dlead"], f.code.lower()) == f
    with pytest.raises(Feedback.DoesNotExist):
        get_feedback_for_user(staff["other"], f.code)
    with pytest.raises(Feedback.DoesNotExist):
        get_feedback_for_user(staff["spec"], "PA-DT-000000-0000")


def test_the_sender_follows_with_code_and_last_four_digits(province: Province) -> None:
    f = make_feedback(unit=province.commune_a, at=T0)
    assert find_public(f.code, "5678") == f
    assert find_public(f.code, "1234") == f  # the last four digits of the ID number
    for code, key in ((f.code, "0000"), (f.code, "678"), ("PA-DT-250303-0099", "5678")):
        with pytest.raises(Feedback.DoesNotExist):
            find_public(code, key)
    g = make_feedback(unit=province.commune_a, sender={"email": "tran.binh@example.vn"}, at=T0)
    # An e-mail-only sender follows with the random follow code, not the end of the address.
    assert find_public(g.code, g.follow_code) == g
    with pytest.raises(Feedback.DoesNotExist):
        find_public(g.code, "binh")


# -- closing after the rating window ---------------------------------------------------------


def test_close_due_closes_after_the_rating_window(
    province: Province, staff: dict[str, Any], settings: Any
) -> None:
    published = advance(
        make_feedback(unit=province.commune_a, at=T0), S.PUBLISHED, actor=staff["lead"], at=T1
    )
    approved = advance(
        make_feedback(unit=province.commune_a, at=T0),
        S.ANSWER_APPROVED,
        actor=staff["lead"],
        at=T2,
    )
    open_item = make_feedback(unit=province.commune_a, at=T0)
    assert close_due(now=local(2025, 3, 11, 9, 59)) == 0  # 7 days after T1 is 11/03 10:00
    out = StringIO()
    call_command("feedback", "close-due", "--now", "2025-03-11T10:00", stdout=out)
    assert out.getvalue().strip() == "đã đóng 1 phản ánh hết thời hạn đánh giá"
    assert Feedback.objects.get(pk=published.pk).state == S.CLOSED
    # The closing notice asks the satisfaction question with the sender's own follow link.
    notice = published.events.filter(kind="feedback.notice_sent", data__notice="closed").get()
    assert f"/phan-anh/tra-cuu/?ma={published.code}" in notice.note
    assert Feedback.objects.get(pk=approved.pk).state == S.ANSWER_APPROVED
    settings.MOTCUA_FEEDBACK_RATING_DAYS = 3
    assert close_due(now=local(2025, 3, 8, 11)) == 1
    assert Feedback.objects.get(pk=approved.pk).closed_at == local(2025, 3, 8, 11)
    assert Feedback.objects.get(pk=open_item.pk).state == S.RECEIVED
    assert close_due(now=local(2025, 3, 20, 11)) == 0  # safe to run twice


def test_the_command_refuses_a_bad_instant() -> None:
    with pytest.raises(SystemExit) as exc:
        call_command("feedback", "close-due", "--now", "yesterday", stderr=StringIO())
    assert exc.value.code == 2
