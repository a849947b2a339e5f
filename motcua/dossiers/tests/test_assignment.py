"""Assignment to a named officer: who may assign, reassign and take; the queue's "Của tôi"."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.assignment import ASSIGNED, assign_dossier, take_dossier, unit_members
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import ActionForbidden, DossierError, TransitionNotAllowed
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.dossiers.tests.test_api import in_progress, procedure, receive  # noqa: F401
from motcua.people.choices import Role
from motcua.people.models import Membership


@pytest.fixture
def sam(province: Province) -> Any:
    """A specialist of commune C1, where the fixture's dossiers are worked."""
    return make_user("sam", (province.commune_a, Role.SPECIALIST), full_name="Lê Hồng Huyền")


def text_of(html: str) -> str:
    """The words a person reads on the page: tags dropped, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split()).replace(" ,", ",")


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_leader_assigns_then_reassigns_with_timeline_entries(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    assign_dossier(dossier=d, assignee=sam, actor=people["dana"], note="Ưu tiên")
    stored = Dossier.objects.get(pk=d.pk)
    assert stored.assignee == sam and stored.assigned_at is not None
    first = DossierEvent.objects.filter(dossier=d, kind=ASSIGNED).get()
    assert first.data["assignee_name"] == "Lê Hồng Huyền" and first.note == "Ưu tiên"
    assert first.actor == people["dana"]

    assign_dossier(dossier=stored, assignee=people["alice"], actor=people["dana"])
    again = Dossier.objects.get(pk=d.pk)
    assert again.assignee == people["alice"]
    last = DossierEvent.objects.filter(dossier=d, kind=ASSIGNED).order_by("-id").first()
    assert last is not None and last.data["previous_name"] == "Lê Hồng Huyền"
    page = text_of(signed_in(people["dana"]).get(f"/ho-so/{d.code}/").content.decode())
    assert "Giao xử lý cho Lê Hồng Huyền — dana," in page
    assert "Giao lại xử lý cho Nguyễn Thị An (trước đó: Lê Hồng Huyền)" in page


def test_desk_assigns_at_receipt_only(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    received = receive(people, province, procedure)
    assign_dossier(dossier=received, assignee=sam, actor=people["alice"])
    assert Dossier.objects.get(pk=received.pk).assignee == sam
    handed_over = in_progress(people, province, procedure)
    with pytest.raises(ActionForbidden):
        assign_dossier(dossier=handed_over, assignee=sam, actor=people["alice"])
    assert Dossier.objects.get(pk=handed_over.pk).assignee is None


def test_assignee_must_belong_to_the_holding_unit(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    assert set(unit_members(province.commune_a)) == {people["alice"], sam}
    for outsider in (people["bob"], people["nina"], people["dana"]):
        with pytest.raises(DossierError) as refused:
            assign_dossier(dossier=d, assignee=outsider, actor=people["dana"])
        assert refused.value.status == 400 and refused.value.field == "assignee"
        assert "Ủy ban nhân dân xã Mỹ An" in refused.value.message
    assert Dossier.objects.get(pk=d.pk).assignee is None
    assert not DossierEvent.objects.filter(dossier=d, kind=ASSIGNED).exists()


def test_an_officer_takes_an_unassigned_dossier_once(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    with pytest.raises(ActionForbidden):
        take_dossier(dossier=d, actor=people["dana"])  # a leader of the district, not of C1
    take_dossier(dossier=d, actor=sam)
    stored = Dossier.objects.get(pk=d.pk)
    assert stored.assignee == sam
    assert DossierEvent.objects.get(dossier=d, kind=ASSIGNED).data["taken"] is True
    with pytest.raises(TransitionNotAllowed):
        take_dossier(dossier=stored, actor=people["alice"])
    page = text_of(signed_in(sam).get(f"/ho-so/{d.code}/").content.decode())
    assert "Nhận xử lý hồ sơ — Lê Hồng Huyền," in page


def test_finished_dossiers_cannot_be_assigned(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    d = services.resolve_dossier(dossier=d, actor=people["dana"], at=local(2025, 3, 5, 9))
    d = services.return_result(
        dossier=d, actor=people["alice"], recipient="Trần Văn Bình", at=local(2025, 3, 5, 10)
    )
    with pytest.raises(TransitionNotAllowed):
        assign_dossier(dossier=d, assignee=sam, actor=people["dana"])


def test_transfer_keeps_an_assignee_who_works_at_the_new_unit(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    d = assign_dossier(dossier=d, assignee=sam, actor=people["dana"], at=local(2025, 3, 3, 10))
    Membership.objects.create(
        user=sam, unit=province.district, role=Role.SPECIALIST, valid_from=dt.date(2025, 1, 1)
    )
    services.transfer_dossier(
        dossier=d, actor=people["dana"], to_unit=province.district, at=local(2025, 3, 3, 12)
    )
    kept = Dossier.objects.get(pk=d.pk)
    assert kept.current_unit == province.district and kept.assignee == sam


def test_transfer_to_another_unit_clears_the_assignee(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    d = assign_dossier(dossier=d, assignee=sam, actor=people["dana"], at=local(2025, 3, 3, 10))
    same = services.transfer_dossier(
        dossier=d, actor=sam, to_unit=province.commune_a, at=local(2025, 3, 3, 11)
    )
    assert Dossier.objects.get(pk=d.pk).assignee == sam
    services.transfer_dossier(
        dossier=same, actor=people["dana"], to_unit=province.district, at=local(2025, 3, 3, 12)
    )
    moved = Dossier.objects.get(pk=d.pk)
    assert moved.assignee is None and moved.assigned_at is None


def test_assignment_pages_refuse_other_units_and_missing_rights(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    url = f"/ho-so/{d.code}/giao-xu-ly/"
    assert signed_in(people["bob"]).post(url, {"assignee": sam.pk}).status_code == 404
    assert signed_in(people["bob"]).post(f"/ho-so/{d.code}/nhan-xu-ly/").status_code == 404
    refused = signed_in(people["alice"]).post(url, {"assignee": sam.pk})
    assert refused.status_code == 403
    assert "bạn không có quyền giao hồ sơ này" in refused.content.decode()
    assert Dossier.objects.get(pk=d.pk).assignee is None

    leader = signed_in(people["dana"])
    page = leader.get(f"/ho-so/{d.code}/").content.decode()
    assert f'<option value="{sam.pk}">Lê Hồng Huyền</option>' in page
    assert "Chưa giao cho công chức nào của Ủy ban nhân dân xã Mỹ An." in page
    outsider = leader.post(url, {"assignee": people["bob"].pk})
    assert outsider.status_code == 400 and Dossier.objects.get(pk=d.pk).assignee is None
    done = leader.post(url, {"assignee": sam.pk, "lock_version": d.lock_version})
    assert done.status_code == 302 and Dossier.objects.get(pk=d.pk).assignee == sam


def test_take_button_from_the_page(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    client = signed_in(sam)
    assert "Nhận xử lý hồ sơ này" in client.get(f"/ho-so/{d.code}/").content.decode()
    assert client.post(f"/ho-so/{d.code}/nhan-xu-ly/").status_code == 302
    assert Dossier.objects.get(pk=d.pk).assignee == sam
    assert "Nhận xử lý hồ sơ này" not in client.get(f"/ho-so/{d.code}/").content.decode()


def test_api_assign_and_take(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    url = f"/api/v1/dossiers/{d.code}/assign/"
    assert api(people["bob"]).post(url, {"assignee": "sam"}, format="json").status_code == 404
    assert api(people["ivan"]).post(f"/api/v1/dossiers/{d.code}/take/").status_code == 404
    forbidden = api(people["alice"]).post(url, {"assignee": "sam"}, format="json")
    assert forbidden.status_code == 403
    unknown = api(people["dana"]).post(url, {"assignee": "bob"}, format="json")
    assert unknown.status_code == 400 and "assignee" in unknown.json()
    by_name = api(people["dana"]).post(url, {"assignee": "sam"}, format="json")
    assert by_name.status_code == 200, by_name.content
    body = by_name.json()
    assert body["assignee"] == "sam" and body["assignee_name"] == "Lê Hồng Huyền"
    assert body["events"][-1]["kind"] == ASSIGNED
    by_id = api(people["dana"]).post(url, {"assignee": str(people["alice"].pk)}, format="json")
    assert by_id.status_code == 200 and by_id.json()["assignee"] == "alice"
    taken = api(sam).post(f"/api/v1/dossiers/{d.code}/take/")
    assert taken.status_code == 409  # already assigned to alice

    other = in_progress(people, province, procedure, applicant={**APPLICANT, "name": "Khác"})
    took = api(sam).post(f"/api/v1/dossiers/{other.code}/take/")
    assert took.status_code == 200 and took.json()["assignee"] == "sam"
    listed = api(sam).get("/api/v1/dossiers/?q=khac").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["assignee_name"] for r in rows] == ["Lê Hồng Huyền"]


def test_my_tab_lists_what_is_assigned_to_me_until_returned(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    mine = in_progress(people, province, procedure, applicant={**APPLICANT, "name": "Của Sam"})
    theirs = in_progress(people, province, procedure, applicant={**APPLICANT, "name": "Chưa Giao"})
    mine = assign_dossier(dossier=mine, assignee=sam, actor=people["dana"], at=local(2025, 3, 4, 8))
    client = signed_in(sam)
    own = client.get("/ho-so/?tab=cua-toi").content.decode()
    assert "Của Sam" in own and "Chưa Giao" not in own
    unit = client.get("/ho-so/?tab=cua-don-vi").content.decode()
    assert "Của Sam" in unit and "Chưa Giao" in unit and "chưa giao" in unit
    assert "Lê Hồng Huyền" in unit  # the assignee column
    resolved = services.resolve_dossier(dossier=mine, actor=people["dana"], at=local(2025, 3, 5))
    assert "Của Sam" in client.get("/ho-so/?tab=cua-toi").content.decode()  # to be returned
    services.return_result(dossier=resolved, actor=people["alice"], recipient="Bình")
    assert "Của Sam" not in client.get("/ho-so/?tab=cua-toi").content.decode()
    assert theirs.assignee_id is None


def test_bare_queue_opens_on_my_work_once_i_have_some(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
    sam: Any,
) -> None:
    d = in_progress(people, province, procedure)
    client = signed_in(sam)
    current = re.compile(r'aria-current="page"\s+hx-get="\?tab=([a-z-]+)')
    assert current.findall(client.get("/ho-so/").content.decode()) == ["cua-don-vi"]
    assign_dossier(dossier=d, assignee=sam, actor=people["dana"])
    assert current.findall(client.get("/ho-so/").content.decode()) == ["cua-toi"]
