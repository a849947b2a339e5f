"""Online submission: the form of a procedure, drafts, uploads, scope and forged posts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client

from motcua.conftest import Province, make_unit
from motcua.dossiers.choices import Channel, FileKind, State, SubmittedBy
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier, DossierEvent, DossierFile
from motcua.dossiers.services import (
    ActionForbidden,
    receive_dossier,
    request_completion,
)
from motcua.dossiers.tests.factories import make_procedure
from motcua.portal.submission import receiving_units, remove_draft_file
from motcua.portal.tests.account_helpers import (
    EXE,
    PNG,
    Setup,
    client_for,
    media_fixture,  # noqa: F401 — the `media` fixture
    pdf,
    setup_fixture,  # noqa: F401 — the `setup` fixture
    stored_files,
    submission,
)
from motcua.procedures.models import Procedure

pytestmark = pytest.mark.django_db


def url(setup: Setup) -> str:
    return f"/nop-ho-so/{setup.procedure.code}/"


def test_the_form_is_built_from_the_components_and_prefilled(setup: Setup) -> None:
    page = client_for(setup.mai).get(url(setup))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tờ khai đăng ký khai sinh" in html and "Giấy chứng sinh" in html
    assert 'name="tp-1"' in html and 'name="tp-2"' in html
    assert 'accept=".pdf,.jpg,.jpeg,.png,.docx,.xlsx,application/pdf' in html
    assert 'value="Nguyễn Thị Mai"' in html and 'value="0912345678"' in html
    assert "50.000 đồng" in html
    # The only place that receives it is preselected: the commune's service centre.
    assert f'<option value="{setup.centre.pk}" selected>' in html


def test_submission_end_to_end_reaches_the_officer_queue_and_is_received(
    setup: Setup, media: Path
) -> None:
    client = client_for(setup.mai)
    response = client.post(url(setup), submission(setup, **{"tp-1": pdf()}))
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/nop-ho-so/{dossier.code}/da-nop/"
    assert dossier.state == State.SUBMITTED
    assert dossier.channel == Channel.ONLINE
    assert dossier.submitted_by == SubmittedBy.APPLICANT
    assert dossier.applicant_user == setup.mai
    assert dossier.code and dossier.code.startswith("N1.TTPV-")
    assert dossier.receiving_unit == setup.centre
    assert dossier.competent_unit == setup.centre.parent
    assert dossier.received_at is None and dossier.submitted_at is not None
    item = DossierFile.objects.get()
    assert (item.dossier, item.kind, item.component_name, item.uploaded_by) == (
        dossier,
        FileKind.COMPONENT,
        "Tờ khai đăng ký khai sinh",
        setup.mai,
    )
    assert len(stored_files(media)) == 1
    kinds = list(dossier.events.values_list("kind", flat=True))
    assert kinds == ["dossier.draft_created", "dossier.file_attached", "dossier.submitted"]
    # The confirmation shows the code, what happens next and the fee.
    page = client.get(response["Location"]).content.decode()
    assert dossier.code in page and "kiểm tra hồ sơ" in page and "50.000 đồng" in page
    # The receiving unit's officer sees it in the queue and receives it with the service.
    officer = client_for(setup.officer)
    assert dossier.code in officer.get("/ho-so/").content.decode()
    received = receive_dossier(actor=setup.officer, dossier=dossier)
    assert received.state == State.RECEIVED and received.received_at is not None
    # The applicant's list shows the new state.
    listing = client.get("/tai-khoan/").content.decode()
    assert dossier.code in listing and "Đã tiếp nhận" in listing


def test_a_draft_resumes_with_its_files_and_is_submitted_later(setup: Setup) -> None:
    client = client_for(setup.mai)
    response = client.post(url(setup), submission(setup, "save", **{"tp-1": pdf("don.pdf")}))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/nop-ho-so/nhap/{dossier.pk}/"
    assert dossier.state == State.DRAFT and dossier.code is None
    # My list offers to continue it.
    listing = client.get("/tai-khoan/").content.decode()
    assert f"/nop-ho-so/nhap/{dossier.pk}/" in listing and "Tiếp tục" in listing
    # The draft page shows the file already uploaded; it can be downloaded.
    page = client.get(f"/nop-ho-so/nhap/{dossier.pk}/").content.decode()
    item = DossierFile.objects.get()
    assert "don.pdf" in page
    download = client.get(f"/nop-ho-so/ho-so/{dossier.pk}/tep/{item.pk}/")
    assert b"".join(download.streaming_content) == pdf().read()  # type: ignore[attr-defined]
    # Change a detail, add the optional component, and submit without re-uploading.
    data = submission(setup, **{"tp-2": SimpleUploadedFile("chung-sinh.png", PNG)})
    data["address"] = "Ấp 2, xã Tháp Mười"
    response = client.post(f"/nop-ho-so/nhap/{dossier.pk}/", data)
    dossier.refresh_from_db()
    assert response.status_code == 302
    assert dossier.state == State.SUBMITTED and dossier.code
    assert dossier.applicant_address == "Ấp 2, xã Tháp Mười"
    assert sorted(dossier.files.values_list("component_name", flat=True)) == [
        "Giấy chứng sinh",
        "Tờ khai đăng ký khai sinh",
    ]
    assert dossier.events.filter(kind="dossier.draft_updated").count() == 1
    # Once submitted, the draft address leads to the confirmation.
    again = client.get(f"/nop-ho-so/nhap/{dossier.pk}/")
    assert again.status_code == 302 and again["Location"] == f"/nop-ho-so/{dossier.code}/da-nop/"


def test_submitting_without_a_required_component_is_refused(setup: Setup) -> None:
    client = client_for(setup.mai)
    response = client.post(url(setup), submission(setup))
    assert response.status_code == 400
    assert "cần tải lên thành phần bắt buộc: Tờ khai đăng ký khai sinh" in response.content.decode()
    assert not Dossier.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("scan.pdf", EXE), "tệp chạy Windows"),
        (SimpleUploadedFile("virus.exe", b"%PDF-1.4"), "đuôi .exe"),
        (SimpleUploadedFile("ghi-chu.txt", "Ghi chú".encode()), "chỉ nhận PDF, JPEG, PNG"),
        (SimpleUploadedFile("rong.pdf", b""), "tệp rỗng"),
    ],
)
def test_a_bad_upload_gets_a_message_and_nothing_is_stored(
    setup: Setup, media: Path, upload: Any, message: str
) -> None:
    client = client_for(setup.mai)
    for action in ("save", "submit"):
        upload.seek(0)
        response = client.post(url(setup), submission(setup, action, **{"tp-1": upload}))
        assert response.status_code == 400
        assert message in response.content.decode()
    assert not Dossier.objects.exists()
    assert not DossierFile.objects.exists()
    assert stored_files(media) == []


def test_an_oversized_upload_is_refused(setup: Setup, media: Path, settings: Any) -> None:
    settings.MOTCUA_MAX_UPLOAD_MB = 1
    big = pdf("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    response = client_for(setup.mai).post(url(setup), submission(setup, **{"tp-1": big}))
    assert response.status_code == 400
    assert "tệp lớn hơn giới hạn 1 MB" in response.content.decode()
    assert not Dossier.objects.exists() and stored_files(media) == []


def test_one_bad_file_in_a_draft_leaves_the_draft_unchanged(setup: Setup, media: Path) -> None:
    client = client_for(setup.mai)
    client.post(url(setup), submission(setup, "save", **{"tp-1": pdf()}))
    dossier = Dossier.objects.get()
    before = (dossier.lock_version, dossier.events.count(), len(stored_files(media)))
    data = submission(setup, **{"tp-2": SimpleUploadedFile("x.pdf", EXE)})
    data["name"] = "Tên khác"
    response = client.post(f"/nop-ho-so/nhap/{dossier.pk}/", data)
    assert response.status_code == 400 and "tệp chạy Windows" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT and dossier.applicant_name == "Nguyễn Thị Mai"
    assert (dossier.lock_version, dossier.events.count(), len(stored_files(media))) == before


def test_another_applicant_gets_404_for_my_draft_and_my_dossier(setup: Setup) -> None:
    mine = client_for(setup.mai)
    mine.post(url(setup), submission(setup, "save", **{"tp-1": pdf()}))
    draft = Dossier.objects.get()
    item = DossierFile.objects.get()
    other = client_for(setup.lan)
    assert other.get(f"/nop-ho-so/nhap/{draft.pk}/").status_code == 404
    response = other.post(f"/nop-ho-so/nhap/{draft.pk}/", submission(setup))
    assert response.status_code == 404
    assert other.get(f"/nop-ho-so/ho-so/{draft.pk}/tep/{item.pk}/").status_code == 404
    draft.refresh_from_db()
    assert draft.state == State.DRAFT and draft.events.count() == 2
    mine.post(f"/nop-ho-so/nhap/{draft.pk}/", submission(setup))
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED and draft.code
    assert other.get(f"/nop-ho-so/{draft.code}/da-nop/").status_code == 404
    assert draft.code not in other.get("/tai-khoan/").content.decode()


def test_officers_cannot_use_the_applicant_pages(setup: Setup, people: dict) -> None:
    client_for(setup.mai).post(url(setup), submission(setup, **{"tp-1": pdf()}))
    dossier = Dossier.objects.get()
    officer = client_for(setup.officer)
    assert officer.get(url(setup)).status_code == 403
    assert officer.get(f"/nop-ho-so/{dossier.code}/da-nop/").status_code == 403
    assert officer.post(url(setup), submission(setup, **{"tp-1": pdf()})).status_code == 403
    assert Dossier.objects.count() == 1


def test_online_level_none_is_refused_with_where_to_submit(setup: Setup) -> None:
    Procedure.objects.filter(pk=setup.procedure.pk).update(online_level="none")
    client = client_for(setup.mai)
    page = client.get(url(setup))
    assert page.status_code == 200
    html = page.content.decode()
    assert "chưa được cung cấp trực tuyến" in html
    assert "Trung tâm Phục vụ hành chính công xã Tháp Mười" in html
    response = client.post(url(setup), submission(setup, **{"tp-1": pdf()}))
    assert response.status_code == 400
    assert not Dossier.objects.exists()


def test_unpublished_or_unknown_procedures_are_404(setup: Setup) -> None:
    Procedure.objects.filter(pk=setup.procedure.pk).update(published=False)
    client = client_for(setup.mai)
    assert client.get(url(setup)).status_code == 404
    assert client.get("/nop-ho-so/khong-co/").status_code == 404


def test_forged_posts_change_nothing(setup: Setup, province: Province, media: Path) -> None:
    client = client_for(setup.mai)
    # A component that is not in the procedure.
    response = client.post(url(setup), submission(setup, **{"tp-1": pdf(), "tp-9": pdf()}))
    assert response.status_code == 400
    assert "không có trong thủ tục" in response.content.decode()
    # A receiving unit that is not offered.
    data = submission(setup, **{"tp-1": pdf()})
    data["receiving_unit"] = str(province.new_commune_2.pk)
    assert client.post(url(setup), data).status_code == 400
    # An unknown action.
    assert (
        client.post(url(setup), submission(setup, "delete", **{"tp-1": pdf()})).status_code == 400
    )
    assert not Dossier.objects.exists() and stored_files(media) == []


def test_the_applicant_completes_a_dossier_the_desk_sent_back(setup: Setup) -> None:
    client = client_for(setup.mai)
    client.post(url(setup), submission(setup, **{"tp-1": pdf()}))
    dossier = Dossier.objects.get()
    code = dossier.code
    request_completion(
        dossier=dossier,
        actor=setup.officer,
        items=["Giấy chứng sinh bản sao"],
        reason="Thiếu giấy chứng sinh",
    )
    listing = client.get("/tai-khoan/").content.decode()
    assert "Bổ sung" in listing
    page = client.get(f"/nop-ho-so/nhap/{dossier.pk}/").content.decode()
    assert "Thiếu giấy chứng sinh" in page and "Giấy chứng sinh bản sao" in page
    data = submission(setup, **{"tp-2": pdf("chung-sinh.pdf")})
    data["name"] = "Không đổi được"  # details are locked once submitted
    response = client.post(f"/nop-ho-so/nhap/{dossier.pk}/", data)
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED and dossier.code == code
    assert dossier.applicant_name == "Nguyễn Thị Mai"
    assert dossier.files.count() == 2


def test_attach_file_lets_the_applicant_add_components_to_own_open_dossier(
    setup: Setup,
) -> None:
    client_for(setup.mai).post(url(setup), submission(setup, "save"))
    draft = Dossier.objects.get()
    form = "Tờ khai đăng ký khai sinh"
    attach_file(
        dossier=draft, actor=setup.mai, upload=pdf(), kind=FileKind.COMPONENT, component_name=form
    )
    with pytest.raises(ActionForbidden):
        attach_file(dossier=draft, actor=setup.mai, upload=pdf(), kind=FileKind.RESULT)
    with pytest.raises(ActionForbidden):
        attach_file(dossier=draft, actor=setup.lan, upload=pdf(), kind=FileKind.COMPONENT)
    client_for(setup.mai).post(f"/nop-ho-so/nhap/{draft.pk}/", submission(setup))
    draft.refresh_from_db()
    assert draft.state == State.SUBMITTED
    with pytest.raises(ActionForbidden):
        attach_file(dossier=draft, actor=setup.mai, upload=pdf(), kind=FileKind.COMPONENT)
    assert draft.files.count() == 1
    assert DossierEvent.objects.filter(dossier=draft, kind="dossier.file_attached").count() == 1


def test_receiving_units_follow_the_competent_units(setup: Setup, province: Province) -> None:
    assert receiving_units(setup.procedure) == [setup.centre]
    # A commune without a centre receives its dossiers itself.
    plain = make_procedure("2.000001", units=[province.new_commune_2], online_level="full")
    assert receiving_units(plain) == [province.new_commune_2]
    # A department is served by the province's centre.
    department = make_unit(
        "DT.SNV", "Sở Nội vụ", "department", province.new, valid_from=province.new.valid_from
    )
    office = make_unit(
        "DT.VP2",
        "Văn phòng UBND tỉnh",
        "department",
        province.new,
        valid_from=province.new.valid_from,
    )
    hub = make_unit(
        "DT.HCC",
        "Trung tâm Phục vụ hành chính công tỉnh",
        "subunit",
        office,
        has_one_stop=True,
        valid_from=province.new.valid_from,
    )
    provincial = make_procedure("2.000002", units=[department], level="province")
    assert receiving_units(provincial) == [hub]
    # Units closed today offer nothing.
    old = make_procedure("2.000003", units=[province.commune_a])
    assert receiving_units(old) == []


def test_the_officer_refuses_an_online_dossier_from_the_workspace(setup: Setup) -> None:
    client = client_for(setup.mai)
    client.post(url(setup), submission(setup, **{"tp-1": pdf()}))
    dossier = Dossier.objects.get()
    officer = client_for(setup.officer)
    page = officer.get(f"/ho-so/{dossier.code}/").content.decode()
    assert "Từ chối tiếp nhận" in page and "to-khai.pdf" in page
    response = officer.post(
        f"/ho-so/{dossier.code}/thao-tac/refuse-at-intake/",
        {"reason": "Tờ khai không có chữ ký", "lock_version": dossier.lock_version},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.REFUSED_AT_INTAKE
    listing = client.get("/tai-khoan/").content.decode()
    assert "Không được tiếp nhận" in listing
    # A refused dossier is no longer editable by the applicant.
    again = client.get(f"/nop-ho-so/nhap/{dossier.pk}/")
    assert again.status_code == 302 and again["Location"].endswith("/da-nop/")


def test_the_applicant_removes_an_uploaded_file_from_the_draft(
    setup: Setup, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(setup.mai)
    client.post(url(setup), submission(setup, "save", **{"tp-1": pdf("cccd-nguyen-thi-mai.pdf")}))
    dossier = Dossier.objects.get()
    item = DossierFile.objects.get()
    assert len(stored_files(media)) == 1
    page = client.get(f"/nop-ho-so/nhap/{dossier.pk}/").content.decode()
    assert f'form="xoa-tep-{item.pk}"' in page and "Xoá tệp" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/nop-ho-so/nhap/{dossier.pk}/", {"action": "remove_file", "file": str(item.pk)}
        )
    assert response.status_code == 302 and response["Location"] == f"/nop-ho-so/nhap/{dossier.pk}/"
    assert not DossierFile.objects.exists() and stored_files(media) == []
    event = dossier.events.get(kind="dossier.file_removed")
    assert (event.actor, event.from_state, event.to_state) == (setup.mai, "draft", "draft")
    assert event.note == "" and event.data["file"] == item.pk
    assert event.data["component"] == "Tờ khai đăng ký khai sinh"
    # No personal data: neither the file name nor the applicant's details.
    written = f"{event.note} {event.actor_name} {event.data}"
    assert "nguyen" not in written.lower() and "0912345678" not in written
    page = client.get(response["Location"]).content.decode()
    assert "Đã xoá tệp “cccd-nguyen-thi-mai.pdf”." in page and 'form="xoa-tep-' not in page
    dossier.refresh_from_db()
    assert dossier.state == State.DRAFT
    # Submitting now needs the required component again.
    refused = client.post(f"/nop-ho-so/nhap/{dossier.pk}/", submission(setup))
    assert refused.status_code == 400
    assert "cần tải lên thành phần bắt buộc" in refused.content.decode()


def test_removing_a_file_needs_a_csrf_token(setup: Setup) -> None:
    client_for(setup.mai).post(url(setup), submission(setup, "save", **{"tp-1": pdf()}))
    dossier, item = Dossier.objects.get(), DossierFile.objects.get()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(setup.mai)
    response = strict.post(
        f"/nop-ho-so/nhap/{dossier.pk}/", {"action": "remove_file", "file": str(item.pk)}
    )
    assert response.status_code == 403
    assert DossierFile.objects.filter(pk=item.pk).exists()


def test_another_applicant_cannot_remove_my_file(setup: Setup, media: Path) -> None:
    client_for(setup.mai).post(url(setup), submission(setup, "save", **{"tp-1": pdf()}))
    dossier, item = Dossier.objects.get(), DossierFile.objects.get()
    other = client_for(setup.lan)
    response = other.post(
        f"/nop-ho-so/nhap/{dossier.pk}/", {"action": "remove_file", "file": str(item.pk)}
    )
    assert response.status_code == 404
    with pytest.raises(Http404):
        remove_draft_file(dossier=dossier, file_id=item.pk, actor=setup.lan)
    assert DossierFile.objects.filter(pk=item.pk).exists() and len(stored_files(media)) == 1
    assert not dossier.events.filter(kind="dossier.file_removed").exists()


def test_a_file_of_another_dossier_or_a_bad_id_is_404(setup: Setup) -> None:
    client = client_for(setup.mai)
    client.post(url(setup), submission(setup, "save", **{"tp-1": pdf()}))
    client_for(setup.lan).post(url(setup), submission(setup, "save", **{"tp-1": pdf()}))
    mine = Dossier.objects.get(applicant_user=setup.mai)
    theirs = DossierFile.objects.get(dossier__applicant_user=setup.lan)
    draft = f"/nop-ho-so/nhap/{mine.pk}/"
    assert client.post(draft, {"action": "remove_file", "file": str(theirs.pk)}).status_code == 404
    assert client.post(draft, {"action": "remove_file", "file": "x"}).status_code == 404
    assert DossierFile.objects.count() == 2


def test_files_cannot_be_removed_after_submission(setup: Setup, media: Path) -> None:
    client = client_for(setup.mai)
    client.post(url(setup), submission(setup, **{"tp-1": pdf()}))
    dossier, item = Dossier.objects.get(), DossierFile.objects.get()
    assert dossier.state == State.SUBMITTED
    response = client.post(
        f"/nop-ho-so/nhap/{dossier.pk}/", {"action": "remove_file", "file": str(item.pk)}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "Hồ sơ đã nộp (trạng thái “Đã nộp, chờ tiếp nhận”): không xoá được tệp" in html
    assert DossierFile.objects.filter(pk=item.pk).exists() and len(stored_files(media)) == 1
    assert not dossier.events.filter(kind="dossier.file_removed").exists()


def test_while_completing_only_my_own_uploads_can_be_removed(
    setup: Setup, media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(setup.mai)
    client.post(url(setup), submission(setup, **{"tp-1": pdf()}))
    dossier = Dossier.objects.get()
    request_completion(
        dossier=dossier, actor=setup.officer, items=["Giấy chứng sinh"], reason="Thiếu giấy"
    )
    dossier.refresh_from_db()
    mine = DossierFile.objects.get()
    desk = attach_file(
        dossier=dossier,
        actor=setup.officer,
        upload=pdf("bien-ban.pdf"),
        kind=FileKind.COMPONENT,
        component_name="Giấy chứng sinh",
    )
    page = client.get(f"/nop-ho-so/nhap/{dossier.pk}/").content.decode()
    assert f'form="xoa-tep-{mine.pk}"' in page and f'form="xoa-tep-{desk.pk}"' not in page
    draft = f"/nop-ho-so/nhap/{dossier.pk}/"
    refused = client.post(draft, {"action": "remove_file", "file": str(desk.pk)})
    assert refused.status_code == 403
    assert "Chỉ xoá được tệp thành phần hồ sơ do chính bạn tải lên." in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(draft, {"action": "remove_file", "file": str(mine.pk)})
    assert removed.status_code == 302
    assert list(DossierFile.objects.values_list("pk", flat=True)) == [desk.pk]
    assert len(stored_files(media)) == 1
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_COMPLETION
