"""The officer's feedback workspace: queue tabs, intake (both paths), the item's page and its
action forms, scope (404 for another unit), masking, conflicts and pinned query counts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.conftest import Province, make_unit, make_user
from motcua.feedback import services
from motcua.feedback.choices import Channel, FeedbackState, Kind
from motcua.feedback.models import Category, Feedback, StandardAnswer
from motcua.feedback.views import ACTIONS
from motcua.people.choices import Role
from motcua.people.models import User
from motcua.workcalendar.inputs import parse_instant

S = FeedbackState
PHONE = "0912345678"
SENDER = {"name": "Trần Văn Bình", "phone": PHONE, "id_number": "087095001234"}

# Pinned numbers (change them only knowingly), in a process that served the page once:
# session, user, memberships, the change tokens (once per GET request), then the page's own
# reads. Queue: count, rows. Item page for a leader: the item, its timeline, repeats,
# forwards, the handlers, the categories and the units offered by the action forms.
QUEUE_PAGE = 6
ITEM_PAGE = 11


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff(people: dict, province: Province) -> dict[str, User]:
    """The desk, a specialist and the leader of new commune N1, and a specialist of N2."""
    return {
        **people,
        "thu": make_user(
            "thu", (province.new_commune, Role.ONE_STOP_OFFICER), full_name="Lê Thị Thu"
        ),
        "lan": make_user("lan", (province.new_commune, Role.LEADER), full_name="Phạm Văn Lân"),
        "bao": make_user("bao", (province.new_commune_2, Role.SPECIALIST)),
    }


@pytest.fixture
def category(province: Province) -> Category:
    """A category of the new province with a 5-working-day norm and one standard answer."""
    cat = Category.objects.create(
        province=province.new, code="tthc", name="Thủ tục hành chính", norm_days=5
    )
    StandardAnswer.objects.create(
        category=cat,
        title="Giờ làm việc của Bộ phận Một cửa",
        text="Bộ phận Một cửa làm việc từ thứ Hai đến thứ Sáu, sáng 7 giờ, chiều 13 giờ 30.",
    )
    return cat


def receive(staff: dict, province: Province, **kw: Any) -> Feedback:
    """A hotline PAKN logged by the desk of N1 and handled there."""
    return services.receive_feedback(
        channel=kw.pop("channel", Channel.HOTLINE),
        title=kw.pop("title", "Chậm trả kết quả khai sinh"),
        content=kw.pop("content", "Tôi nộp hồ sơ khai sinh đã 10 ngày chưa có kết quả."),
        sender=kw.pop("sender", SENDER),
        actor=staff["thu"],
        intake_unit=province.new_commune,
        unit=province.new_commune,
        **kw,
    )


def processing(staff: dict, province: Province, **kw: Any) -> Feedback:
    item = receive(staff, province, **kw)
    return services.start_processing(feedback=item, actor=staff["nina"])


def drafted(staff: dict, province: Province, **kw: Any) -> Feedback:
    item = processing(staff, province, **kw)
    return services.draft_answer(
        feedback=item,
        actor=staff["nina"],
        official="Kính gửi ông Bình: hồ sơ đã có kết quả.",
        public="Hồ sơ khai sinh đã có kết quả; mời nhận tại Bộ phận Một cửa.",
    )


def approved(staff: dict, province: Province, **kw: Any) -> Feedback:
    return services.approve_answer(feedback=drafted(staff, province, **kw), actor=staff["lan"])


def act(client: Client, item: Feedback, slug: str, **data: Any) -> Any:
    return client.post(f"/pakn/{item.code}/thao-tac/{slug}/", data)


def reload(item: Feedback) -> Feedback:
    return Feedback.objects.get(pk=item.pk)


def kinds(item: Feedback) -> list[str]:
    """The item's timeline without the notices to the sender."""
    rows = item.events.exclude(kind="feedback.notice_sent").order_by("at", "id")
    return list(rows.values_list("kind", flat=True))


# -- sign-in, queue ---------------------------------------------------------------------------


def test_pages_need_sign_in(staff: dict, province: Province) -> None:
    item = receive(staff, province)
    for url in ["/pakn/", "/pakn/tiep-nhan/", f"/pakn/{item.code}/", "/pakn/tra-loi-mau/"]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/dang-nhap/")
    assert Client().post(f"/pakn/{item.code}/thao-tac/tu-choi/").status_code == 302


def test_nav_links_to_the_queue(staff: dict) -> None:
    page = signed_in(staff["thu"]).get("/pakn/").content.decode()
    assert 'href="/pakn/"' in page and "Phản ánh, kiến nghị" in page


def test_queue_tabs(staff: dict, province: Province) -> None:
    now = timezone.now()
    receive(staff, province, title="Mục mới")
    processing(staff, province, title="Mục đang xử lý")
    waiting = processing(staff, province, title="Mục chờ bổ sung")
    services.request_supplement(feedback=waiting, actor=staff["nina"], request="Ghi rõ mã hồ sơ")
    drafted(staff, province, title="Mục chờ duyệt")
    sent_back = drafted(staff, province, title="Mục bị trả lại")
    services.reject_answer(feedback=sent_back, actor=staff["lan"], reason="Viết lại")
    approved(staff, province, title="Mục chờ công khai")
    late = receive(staff, province, title="Mục quá hạn", at=now - dt.timedelta(days=40))
    services.answer_on_the_spot(
        actor=staff["thu"],
        title="Mục trả lời ngay",
        content="Hỏi giờ làm việc",
        answer="Từ 7 giờ",
        sender={},
        intake_unit=province.new_commune,
    )
    titles = [
        "Mục mới",
        "Mục đang xử lý",
        "Mục chờ bổ sung",
        "Mục chờ duyệt",
        "Mục bị trả lại",
        "Mục chờ công khai",
        "Mục quá hạn",
        "Mục trả lời ngay",
    ]
    client = signed_in(staff["lan"])

    def shown(tab: str) -> set[str]:
        page = client.get(f"/pakn/?tab={tab}").content.decode()
        return {t for t in titles if t in page}

    assert shown("moi") == {"Mục mới", "Mục quá hạn"}
    assert shown("dang-xu-ly") == {"Mục đang xử lý", "Mục bị trả lại"}
    assert shown("cho-bo-sung") == {"Mục chờ bổ sung"}
    assert shown("cho-duyet") == {"Mục chờ duyệt"}
    assert shown("cho-cong-khai") == {"Mục chờ công khai"}
    assert shown("qua-han") == {"Mục quá hạn"}
    assert shown("tat-ca") == set(titles)
    assert shown("") == shown("moi")  # the default tab
    overdue = client.get("/pakn/?tab=qua-han").content.decode()
    assert re.search(r"quá hạn \d+ ngày", overdue)
    assert late.code in overdue and "Ủy ban nhân dân xã Tháp Mười" in overdue
    assert "Tổng đài 1022" in overdue
    # Filters of the shared FilterSet, and an HTMX fragment without the layout.
    filtered = client.get(f"/pakn/?tab=tat-ca&q={late.code}").content.decode()
    assert late.code in filtered and "Mục mới" not in filtered
    folded = client.get("/pakn/?tab=tat-ca&q=muc cho duyet").content.decode()
    assert "Mục chờ duyệt" in folded and "Mục mới" not in folded
    fragment = client.get("/pakn/?tab=qua-han", HTTP_HX_REQUEST="true").content.decode()
    assert late.code in fragment and "<html" not in fragment
    # Another unit's officer sees none of them.
    other = signed_in(staff["bao"]).get("/pakn/?tab=tat-ca").content.decode()
    assert "Không có phản ánh nào" in other and late.code not in other


def test_queue_paginates(staff: dict, province: Province) -> None:
    start = timezone.now() - dt.timedelta(hours=2)
    for minute in range(27):
        receive(staff, province, at=start + dt.timedelta(minutes=minute))
    client = signed_in(staff["thu"])
    first = client.get("/pakn/?tab=moi").content.decode()
    assert "Trang 1 / 2" in first and "27 phản ánh" in first
    assert "Trang 2 / 2" in client.get("/pakn/?tab=moi&trang=2").content.decode()


# -- intake -----------------------------------------------------------------------------------


def intake_data(**change: Any) -> dict[str, Any]:
    return {
        "channel": "hotline",
        "sender_name": "Trần Văn Bình",
        "sender_phone": PHONE,
        "call_duration": "3:45",
        "title": "Hỏi về thủ tục khai sinh",
        "content": "Cần mang giấy tờ gì khi đăng ký khai sinh?",
        **change,
    }


def test_intake_form_defaults(staff: dict, province: Province, category: Category) -> None:
    before = timezone.now().replace(second=0, microsecond=0)
    page = signed_in(staff["thu"]).get("/pakn/tiep-nhan/").content.decode()
    after = timezone.now()
    assert "Tiếp nhận phản ánh, kiến nghị" in page
    assert '<option value="hotline" selected>' in page
    assert f'<option value="{province.new_commune.pk}" selected>' in page
    shown = re.search(r'name="contact_at" value="([^"]+)"', page)
    assert shown is not None  # contact time: now, in local time
    assert before <= parse_instant(shown.group(1)) <= after
    assert 'name="path" value="receive"' in page and 'name="path" value="answer"' in page
    assert 'hx-get="/pakn/tra-loi-mau/"' in page and "Thủ tục hành chính" in page
    nobody = signed_in(staff["adam"]).get("/pakn/tiep-nhan/").content.decode()
    assert "Bạn không có quyền tiếp nhận phản ánh tại đơn vị nào." in nobody


def test_intake_receives_and_opens_the_item(
    staff: dict, province: Province, category: Category
) -> None:
    client = signed_in(staff["thu"])
    response = client.post(
        "/pakn/tiep-nhan/",
        intake_data(
            path="receive",
            category=str(category.pk),
            contact_at=f"{timezone.localtime() - dt.timedelta(minutes=10):%Y-%m-%dT%H:%M}",
        ),
    )
    assert response.status_code == 302
    item = Feedback.objects.get()
    assert response["Location"] == f"/pakn/{item.code}/"
    assert item.state == S.RECEIVED and item.kind == Kind.PAKN
    assert item.channel == Channel.HOTLINE and item.call_duration_seconds == 225
    assert item.intake_unit == province.new_commune and item.logged_by == staff["thu"]
    assert item.category == category and item.sender_phone == PHONE
    assert item.contact_at < item.received_at
    assert kinds(item) == ["feedback.received"]
    page = client.get(response["Location"]).content.decode()
    assert f"Đã tiếp nhận phản ánh {item.code}." in page and "3:45" in page


def test_intake_answers_on_the_spot_in_one_submit(
    staff: dict, province: Province, category: Category
) -> None:
    client = signed_in(staff["thu"])
    response = client.post(
        "/pakn/tiep-nhan/",
        intake_data(
            path="answer", category=str(category.pk), answer="Mang tờ khai và giấy chứng sinh."
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/pakn/tiep-nhan/"
    item = Feedback.objects.get()
    assert item.state == S.CLOSED and item.kind == Kind.QUESTION
    assert item.answer_official == "Mang tờ khai và giấy chứng sinh."
    assert kinds(item) == ["feedback.received", "feedback.answered", "feedback.closed"]
    page = client.get("/pakn/tiep-nhan/").content.decode()
    assert "Đã trả lời ngay và đóng câu hỏi" in page and f"/pakn/{item.code}/" in page
    detail = client.get(f"/pakn/{item.code}/").content.decode()
    assert "Đã đóng" in detail and "không tính thời hạn xử lý" in detail


def test_intake_answer_on_the_spot_keeps_area_links_and_contact_time(
    staff: dict, province: Province, category: Category
) -> None:
    from motcua.dossiers.services import receive_dossier
    from motcua.dossiers.tests.factories import APPLICANT, make_procedure

    procedure = make_procedure(units=[province.new_commune])
    dossier = receive_dossier(
        actor=None,
        procedure=procedure,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
    )
    assert dossier.code is not None
    called = (timezone.localtime() - dt.timedelta(minutes=20)).replace(second=0, microsecond=0)
    response = signed_in(staff["thu"]).post(
        "/pakn/tiep-nhan/",
        intake_data(
            path="answer",
            category=str(category.pk),
            answer="Hồ sơ đang được giải quyết, đúng hẹn.",
            area=province.new_commune_2.code,
            contact_at=f"{called:%Y-%m-%dT%H:%M}",
            dossier_code=dossier.code,
            procedure_code=procedure.code,
        ),
    )
    assert response.status_code == 302 and response["Location"] == "/pakn/tiep-nhan/"
    item = Feedback.objects.get()
    assert (item.area, item.dossier, item.procedure) == (province.new_commune_2, dossier, procedure)
    assert item.contact_at == called
    assert item.state == S.CLOSED and item.kind == Kind.QUESTION
    assert item.unit == province.new_commune
    assert kinds(item) == ["feedback.received", "feedback.answered", "feedback.closed"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"path": "receive", "content": ""}, "Hãy ghi nội dung phản ánh, kiến nghị."),
        ({"path": "answer", "content": "  "}, "Hãy ghi nội dung phản ánh, kiến nghị."),
        ({"path": "receive", "title": ""}, "Hãy ghi tiêu đề."),
        ({"path": "answer", "answer": ""}, "Hãy ghi nội dung trả lời ngay."),
        ({"path": "receive", "call_duration": "ba phút"}, "Thời lượng ghi theo phút:giây"),
        ({"path": "receive", "sender_phone": "số máy"}, "số điện thoại không hợp lệ"),
        ({"path": "receive", "dossier_code": "KHONG-CO"}, "không tìm thấy hồ sơ mã “KHONG-CO”"),
        ({"path": "receive", "area": "NOPE"}, "không tìm thấy đơn vị “NOPE”"),
        ({"path": "receive", "contact_at": "hôm qua"}, "không phải thời điểm hợp lệ"),
        ({"path": "receive", "channel": "portal"}, "Lựa chọn không hợp lệ."),
    ],
)
def test_intake_errors_are_vietnamese_and_create_nothing(
    staff: dict, change: dict, message: str
) -> None:
    response = signed_in(staff["thu"]).post("/pakn/tiep-nhan/", intake_data(**change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Feedback.objects.count() == 0


def test_standard_answers_fill_the_answer_with_htmx(staff: dict, category: Category) -> None:
    client = signed_in(staff["thu"])
    answer = category.answers.get()
    listing = client.get(f"/pakn/tra-loi-mau/?category={category.pk}", HTTP_HX_REQUEST="true")
    page = listing.content.decode()
    assert "Giờ làm việc của Bộ phận Một cửa" in page and f'value="{answer.pk}"' in page
    assert 'hx-target="#answer-box"' in page and "<html" not in page
    filled = client.get(f"/pakn/tra-loi-mau/?standard_answer={answer.pk}").content.decode()
    assert 'name="answer"' in filled and "thứ Hai đến thứ Sáu" in filled
    empty = client.get("/pakn/tra-loi-mau/?category=999999").content.decode()
    assert "Nhóm này chưa có câu trả lời mẫu." in empty
    assert client.get("/pakn/tra-loi-mau/?standard_answer=999999").status_code == 404


# -- the item's page ----------------------------------------------------------------------------


def test_detail_shows_everything_and_only_allowed_actions(
    staff: dict, province: Province, category: Category
) -> None:
    item = receive(staff, province, category=category, call_duration_seconds=95)
    desk = signed_in(staff["thu"]).get(f"/pakn/{item.code}/").content.decode()
    assert "Chậm trả kết quả khai sinh" in desk and PHONE in desk  # the desk logged it
    assert "1:35" in desk and "Lê Thị Thu" in desk
    for text in [
        "Hạn từ chối tiếp nhận xử lý",
        "2 ngày làm việc kể từ khi tiếp nhận",
        "Hạn yêu cầu bổ sung, làm rõ lần đầu",
        "Hạn xử lý",
        "15 ngày làm việc",
        "Hạn theo định mức",
        "5 ngày làm việc kể từ khi tiếp nhận theo định mức của nhóm “Thủ tục hành chính”",
        "Hạn công khai kết quả",
        "Cách tính hạn xử lý 15 ngày làm việc",
        "feedback.received",
    ]:
        assert text in desk, text
    assert "/thao-tac/phan-loai/" in desk and "/thao-tac/bat-dau-xu-ly/" not in desk
    specialist = signed_in(staff["nina"]).get(f"/pakn/{item.code}/").content.decode()
    for slug in ["phan-loai", "bat-dau-xu-ly", "yeu-cau-bo-sung", "chuyen", "huong-dan", "tu-choi"]:
        assert f"/thao-tac/{slug}/" in specialist, slug
    for slug in ["phe-duyet", "cong-khai", "dong", "du-thao-tra-loi", "ghi-nhan-bo-sung"]:
        assert f"/thao-tac/{slug}/" not in specialist, slug
    assert 'name="csrfmiddlewaretoken"' in specialist and 'name="lock_version"' in specialist


def test_phone_and_id_are_masked_for_a_viewer_who_does_not_handle_the_item(
    staff: dict, province: Province
) -> None:
    item = receive(staff, province)
    viewer = signed_in(staff["adam"]).get(f"/pakn/{item.code}/")
    page = viewer.content.decode()
    assert viewer.status_code == 200
    assert "*******678" in page and PHONE not in page
    assert "*********234" in page and "087095001234" not in page
    assert "/thao-tac/" not in page
    handler = signed_in(staff["nina"]).get(f"/pakn/{item.code}/").content.decode()
    assert PHONE in handler and "087095001234" in handler


def test_dossier_link_only_when_the_dossier_is_visible(
    staff: dict, province: Province, category: Category
) -> None:
    from motcua.dossiers.services import receive_dossier
    from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure

    procedure = make_procedure(units=[province.commune_c])
    dossier = receive_dossier(
        actor=None,
        procedure=procedure,
        receiving_unit=province.commune_c,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 9),
    )
    assert dossier.code is not None
    item = receive(staff, province, dossier_code=dossier.code, procedure_code=procedure.code)
    # The administrator of the province reaches every unit, old communes included.
    page = signed_in(staff["adam"]).get(f"/pakn/{item.code}/").content.decode()
    assert f'href="/ho-so/{dossier.code}/"' in page
    assert f'href="/danh-muc-thu-tuc/{procedure.code}/"' in page
    # N1's specialist inherits C1 and C2 (which N1 replaced), not C3 of the other district.
    other = signed_in(staff["nina"]).get(f"/pakn/{item.code}/").content.decode()
    assert dossier.code in other and f'href="/ho-so/{dossier.code}/"' not in other
    assert "ngoài phạm vi của bạn" in other


# -- every action through the page --------------------------------------------------------------


def test_full_lifecycle_through_the_action_forms(
    staff: dict, province: Province, category: Category
) -> None:
    item = receive(staff, province)
    nina, lan, thu = (signed_in(staff[n]) for n in ("nina", "lan", "thu"))

    def ok(client: Client, slug: str, state: str, kind: str, **data: Any) -> Feedback:
        response = act(client, item, slug, **data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == f"/pakn/{item.code}/"
        fresh = reload(item)
        assert fresh.state == state, slug
        assert kinds(fresh)[-1] == kind, slug
        return fresh

    fresh = ok(
        nina,
        "phan-loai",
        S.RECEIVED,
        "feedback.classified",
        subject="conduct",
        competence="in_scope",
        category=str(category.pk),
        area=province.new_commune.code,
        officer_name="Cán bộ tiếp nhận",
    )
    assert fresh.subject == "conduct" and fresh.category == category
    assert fresh.area == province.new_commune and fresh.officer_name == "Cán bộ tiếp nhận"
    fresh = ok(lan, "phan-cong", S.RECEIVED, "feedback.assigned", handler=str(staff["nina"].pk))
    assert fresh.handler == staff["nina"]
    fresh = ok(
        nina,
        "yeu-cau-bo-sung",
        S.SUPPLEMENT_REQUESTED,
        "feedback.supplement_requested",
        request="Cho biết mã hồ sơ",
    )
    assert fresh.first_supplement_at is not None
    ok(thu, "ghi-nhan-bo-sung", S.SUPPLEMENTED, "feedback.supplemented", text="Mã hồ sơ là ...")
    ok(nina, "bat-dau-xu-ly", S.PROCESSING, "feedback.processing_started")
    draft = {
        "official": "Kính gửi ông Bình: hồ sơ đã có kết quả.",
        "public_title": "Chậm trả kết quả khai sinh",
        "public": "Hồ sơ đã có kết quả.",
    }
    fresh = ok(nina, "du-thao-tra-loi", S.PROCESSING, "feedback.answer_drafted", **draft)
    assert fresh.answer_official == draft["official"] and fresh.answer_drafted_by == staff["nina"]
    assert "/thao-tac/phe-duyet/" in lan.get(f"/pakn/{item.code}/").content.decode()
    ok(lan, "tra-lai-du-thao", S.PROCESSING, "feedback.answer_rejected", reason="Bổ sung căn cứ")
    assert "/thao-tac/phe-duyet/" not in lan.get(f"/pakn/{item.code}/").content.decode()
    ok(nina, "du-thao-tra-loi", S.PROCESSING, "feedback.answer_drafted", **draft)
    fresh = ok(lan, "phe-duyet", S.ANSWER_APPROVED, "feedback.answer_approved")
    assert fresh.answer_approved_by == staff["lan"] and fresh.resolved_at is not None
    fresh = ok(lan, "cong-khai", S.PUBLISHED, "feedback.published")
    assert fresh.published_at is not None
    fresh = ok(lan, "dong", S.CLOSED, "feedback.closed")
    page = lan.get(f"/pakn/{item.code}/").content.decode()
    assert "Đã ghi nhận: đóng." in page and "Đã đóng" in page
    assert "Phê duyệt trả lời" in page and "Công khai kết quả" in page  # timeline labels


def test_refuse_redirect_and_forward(staff: dict, province: Province) -> None:
    nina = signed_in(staff["nina"])
    refused = receive(staff, province)
    assert act(nina, refused, "tu-choi", reason="Nội dung không rõ").status_code == 302
    refused = reload(refused)
    assert refused.state == S.REFUSED and refused.disposal_reason == "Nội dung không rõ"
    redirected = receive(staff, province)
    response = act(nina, redirected, "huong-dan", reason="Là khiếu nại", target="Ban Tiếp công dân")
    assert response.status_code == 302 and reload(redirected).state == S.REDIRECTED
    outside = receive(staff, province)
    response = act(nina, outside, "chuyen", reason="Thuộc ngành điện", to_body="Điện lực tỉnh")
    assert response.status_code == 302
    outside = reload(outside)
    assert outside.state == S.FORWARDED and outside.forwarded_to_body == "Điện lực tỉnh"
    inside = receive(staff, province)
    response = act(nina, inside, "chuyen", reason="Thuộc xã Lấp Vò", to_unit="N2")
    assert response.status_code == 302
    inside = reload(inside)
    assert inside.state == S.FORWARDED and inside.forwarded_to_unit == province.new_commune_2
    new = Feedback.objects.get(forwarded_from=inside)
    assert new.unit == province.new_commune_2 and new.state == S.RECEIVED
    page = nina.get(f"/pakn/{inside.code}/").content.decode()
    assert f"Phản ánh mới tại đơn vị nhận chuyển: {new.code}." in page and new.code in page
    # The receiving unit's officer opens the new item, which shows where it came from.
    theirs = signed_in(staff["bao"]).get(f"/pakn/{new.code}/").content.decode()
    assert inside.code in theirs and "kể từ khi được chuyển đến đơn vị" in theirs
    both = act(nina, receive(staff, province), "chuyen", reason="x", to_unit="N2", to_body="Y")
    assert both.status_code == 400
    assert "Hãy chọn một đơn vị trong hệ thống hoặc ghi tên" in both.content.decode()


def test_approval_without_publication(staff: dict, province: Province) -> None:
    item = drafted(staff, province)
    lan = signed_in(staff["lan"])
    missing = act(lan, item, "phe-duyet", do_not_publish="on")
    assert missing.status_code == 400
    assert "không công khai phải ghi rõ lý do" in missing.content.decode()
    assert reload(item).state == S.PROCESSING
    response = act(lan, item, "phe-duyet", do_not_publish="on", do_not_publish_reason="Bí mật")
    assert response.status_code == 302
    item = reload(item)
    assert item.state == S.ANSWER_APPROVED and item.do_not_publish
    page = lan.get(f"/pakn/{item.code}/").content.decode()
    assert "/thao-tac/cong-khai/" not in page and "/thao-tac/dong/" in page
    assert "không công khai: Bí mật" in page


def test_public_text_with_personal_data_is_refused_on_approval(
    staff: dict, province: Province
) -> None:
    item = processing(staff, province)
    nina = signed_in(staff["nina"])
    act(
        nina,
        item,
        "du-thao-tra-loi",
        official="Trả lời",
        public=f"Ông Trần Văn Bình ({PHONE}) đã được trả lời.",
    )
    response = act(signed_in(staff["lan"]), item, "phe-duyet")
    assert response.status_code == 400
    page = response.content.decode()
    assert "nội dung công khai còn thông tin cá nhân" in page
    assert reload(item).state == S.PROCESSING


def test_action_form_errors_are_vietnamese_and_change_nothing(
    staff: dict, province: Province
) -> None:
    item = receive(staff, province)
    nina = signed_in(staff["nina"])
    refuse = act(nina, item, "tu-choi", reason="   ")
    assert refuse.status_code == 400 and "Trường này là bắt buộc." in refuse.content.decode()
    unknown = act(nina, item, "chuyen", reason="x", to_unit="NOPE")
    assert "không tìm thấy đơn vị “NOPE”" in unknown.content.decode()
    future = act(nina, item, "bat-dau-xu-ly", at="2099-01-01T09:00")
    assert future.status_code == 400
    assert "không thể ghi nhận một thời điểm trong tương lai" in future.content.decode()
    item = reload(item)
    assert item.state == S.RECEIVED and kinds(item) == ["feedback.received"]


def test_forged_action_not_allowed_in_this_state_is_409(staff: dict, province: Province) -> None:
    item = receive(staff, province)
    lan = signed_in(staff["lan"])
    for slug, data in [
        ("phe-duyet", {}),
        ("cong-khai", {}),
        ("dong", {}),
        ("du-thao-tra-loi", {"official": "x", "public": "y"}),
        ("ghi-nhan-bo-sung", {"text": "x"}),
    ]:
        response = act(lan, item, slug, **data)
        assert response.status_code == 409, slug
        assert "Hãy tải lại trang" in response.content.decode()
    fresh = reload(item)
    assert fresh.state == S.RECEIVED and fresh.lock_version == item.lock_version
    assert kinds(fresh) == ["feedback.received"]


def test_action_the_user_may_not_do_is_403(staff: dict, province: Province) -> None:
    item = receive(staff, province)
    response = act(signed_in(staff["thu"]), item, "bat-dau-xu-ly")
    assert response.status_code == 403 and "không có quyền" in response.content.decode()
    viewer = act(signed_in(staff["adam"]), item, "tu-choi", reason="x")
    assert viewer.status_code == 403
    assert reload(item).state == S.RECEIVED


def test_stale_page_is_a_conflict(staff: dict, province: Province) -> None:
    item = receive(staff, province)
    seen = item.lock_version
    services.classify_feedback(feedback=item, actor=staff["nina"], subject="regulation")
    response = act(signed_in(staff["nina"]), item, "bat-dau-xu-ly", lock_version=seen)
    assert response.status_code == 409 and "tải lại" in response.content.decode()
    assert reload(item).state == S.RECEIVED


def test_another_units_officer_gets_404_on_the_page_and_every_action(
    staff: dict, province: Province
) -> None:
    item = receive(staff, province)
    bao = signed_in(staff["bao"])
    assert bao.get(f"/pakn/{item.code}/").status_code == 404
    assert bao.get("/pakn/PA-DT-000000-0000/").status_code == 404
    for slug in [*(a.slug for a in ACTIONS), "no-such-action"]:
        response = act(bao, item, slug, reason="x", request="x", text="x")
        assert response.status_code == 404, slug
    assert act(signed_in(staff["nina"]), item, "no-such-action").status_code == 404
    fresh = reload(item)
    assert fresh.state == S.RECEIVED and kinds(fresh) == ["feedback.received"]


def test_csrf_is_enforced(staff: dict, province: Province) -> None:
    item = receive(staff, province)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff["nina"])
    assert act(client, item, "tu-choi", reason="x").status_code == 403
    assert client.post("/pakn/tiep-nhan/", intake_data(path="receive")).status_code == 403
    assert reload(item).state == S.RECEIVED and Feedback.objects.count() == 1


# -- pinned query counts ------------------------------------------------------------------------


def count_queries(fetch: Any) -> int:
    """Queries of `fetch()` in a process that served it once already (the unit graph and the
    calendars are then kept per process, `motcua.audit.stamps`)."""
    fetch()
    with CaptureQueriesContext(connection) as ctx:
        response = fetch()
        assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [1, 10, 100])
def test_queue_does_not_grow_with_the_scope(db: None, size: int) -> None:
    """A leader who sees 1, 10 or 100 units gets the same number of queries on every tab."""
    province = make_unit("PX", "Tỉnh thử", "province")
    district = make_unit("DX", "Huyện thử", "district", province)
    communes = [make_unit(f"X{i:03d}", f"Xã {i}", "commune", district) for i in range(size - 1)]
    leader = make_user("lead", (district, Role.LEADER))
    units = [district, *communes]
    start = timezone.now() - dt.timedelta(days=30)
    sample = units[:: max(1, size // 10)]
    for i, unit in enumerate(sample):
        # One item per tab at each unit: received (and overdue), processing, waiting for a
        # supplement, with a draft, approved.
        for step in range(5):
            item = services.receive_feedback(
                channel=Channel.HOTLINE,
                title=f"Phản ánh {i}.{step}",
                content="Nội dung",
                sender={"name": "Người gửi", "phone": PHONE},
                intake_unit=unit,
                unit=unit,
                at=start + dt.timedelta(minutes=10 * i + step),
            )
            if step == 0:
                continue
            item = services.start_processing(feedback=item, actor=leader, handler=leader)
            if step == 2:
                services.request_supplement(feedback=item, actor=leader, request="Làm rõ")
            if step >= 3:
                item = services.draft_answer(
                    feedback=item, actor=leader, official="Trả lời", public="Trả lời"
                )
            if step == 4:
                services.approve_answer(feedback=item, actor=leader)
    assert Feedback.objects.visible_to(leader).count() == 5 * len(sample)
    browser = signed_in(leader)
    tabs = ["moi", "dang-xu-ly", "cho-bo-sung", "cho-duyet", "cho-cong-khai", "qua-han", "tat-ca"]
    counts = {tab: count_queries(lambda tab=tab: browser.get(f"/pakn/?tab={tab}")) for tab in tabs}
    assert counts == dict.fromkeys(tabs, QUEUE_PAGE)
    filtered = count_queries(lambda: browser.get("/pakn/?tab=tat-ca&channel=hotline&q=phan"))
    assert filtered == QUEUE_PAGE


def test_item_page_is_fixed_whatever_its_history(staff: dict, province: Province) -> None:
    lan = signed_in(staff["lan"])
    short = processing(staff, province)
    long = processing(staff, province)
    for i in range(6):
        long = services.request_supplement(feedback=long, actor=staff["nina"], request=f"Lần {i}")
        long = services.record_supplement(feedback=long, actor=staff["thu"], text=f"Trả lời {i}")
        long = services.start_processing(feedback=long, actor=staff["nina"])
    receive(staff, province, repeat_of_code=long.code)
    receive(staff, province, repeat_of_code=long.code)
    first = count_queries(lambda: lan.get(f"/pakn/{short.code}/"))
    second = count_queries(lambda: lan.get(f"/pakn/{long.code}/"))
    assert first == second == ITEM_PAGE
