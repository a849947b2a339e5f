"""Components handed in at receipt: stored as ReceivedComponent rows, validated, one transaction."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.conftest import Province, make_user
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierEvent, ReceivedComponent
from motcua.dossiers.services import DossierError
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.people.choices import Role
from motcua.procedures.models import Component, Procedure

AT = local(2025, 9, 3, 9)


@pytest.fixture
def desk(province: Province) -> Any:
    """A one-stop officer of the new commune N1."""
    return make_user("tam", (province.new_commune, Role.ONE_STOP_OFFICER), full_name="Lê Văn Tâm")


@pytest.fixture
def birth(province: Province) -> Procedure:
    """Birth registration with a form, a conditional paper and a paper named "Trường hợp …"."""
    procedure = make_procedure(units=[province.new_commune])
    Component.objects.create(
        procedure=procedure, order=2, name="Giấy chứng sinh", originals=1, copies=0
    )
    Component.objects.create(
        procedure=procedure,
        order=3,
        name="Trường hợp ủy quyền: văn bản ủy quyền",
        originals=1,
    )
    Component.objects.create(
        procedure=procedure, order=4, name="Giấy tờ tùy thân", copies=1, required=False
    )
    return procedure


def part(procedure: Procedure, name: str) -> Component:
    return procedure.components.get(name=name)


def receive(desk: Any, province: Province, procedure: Procedure, components: Any) -> Dossier:
    return services.receive_dossier(
        actor=desk,
        procedure=procedure,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        at=AT,
        components=components,
    )


def test_ticked_components_are_stored_with_counts_and_flags(
    desk: Any, province: Province, birth: Procedure
) -> None:
    d = receive(
        desk,
        province,
        birth,
        [
            {"component": part(birth, "Tờ khai đăng ký khai sinh").pk, "originals": 1},
            {
                "component": part(birth, "Giấy tờ tùy thân"),
                "copies": 2,
                "certified_copies": 1,
                "digitized": True,
            },
            {"name": "Giấy xác nhận cư trú", "copies": 1},  # outside the catalogue
        ],
    )
    rows = list(ReceivedComponent.objects.filter(dossier=d).order_by("order"))
    assert [(r.name, r.originals, r.certified_copies, r.copies) for r in rows] == [
        ("Tờ khai đăng ký khai sinh", 1, 0, 0),
        ("Giấy tờ tùy thân", 0, 1, 2),
        ("Giấy xác nhận cư trú", 0, 0, 1),
    ]
    assert [r.digitized for r in rows] == [False, True, False]
    assert [r.conditional for r in rows] == [False, True, False]  # required=False: conditional
    assert rows[2].component is None
    event = DossierEvent.objects.get(dossier=d, kind="dossier.received")
    assert event.data["components"] == [r.name for r in rows]


@pytest.mark.parametrize(
    ("components", "message"),
    [
        ([], "cần đánh dấu ít nhất một thành phần hồ sơ đã nhận"),
        ([{"component": 999999, "originals": 1}], "thành phần hồ sơ không thuộc thủ tục này"),
        ([{"name": "Tờ khai", "originals": 0}], "cần ghi số bản đã nhận"),
        ([{"name": "Tờ khai", "originals": "hai"}], "số bản phải là số nguyên"),
        ([{"name": "Tờ khai", "copies": 100}], "số bản phải từ 0 đến 99"),
        ([{"name": "  ", "originals": 1}], "cần ghi tên thành phần hồ sơ"),
    ],
)
def test_bad_components_refuse_the_receipt_and_write_nothing(
    desk: Any, province: Province, birth: Procedure, components: Any, message: str
) -> None:
    with pytest.raises(DossierError) as caught:
        receive(desk, province, birth, components)
    assert message in caught.value.message and caught.value.status == 400
    assert Dossier.objects.count() == 0 and ReceivedComponent.objects.count() == 0


def test_a_component_of_another_procedure_is_refused(
    desk: Any, province: Province, birth: Procedure
) -> None:
    other = make_procedure("1.000001", units=[province.new_commune], name="Thủ tục khác")
    foreign = other.components.get()
    with pytest.raises(DossierError, match="không thuộc thủ tục này"):
        receive(desk, province, birth, [{"component": foreign.pk, "originals": 1}])
    assert Dossier.objects.count() == 0


def test_a_procedure_without_components_may_be_received_with_none_ticked(
    desk: Any, province: Province
) -> None:
    bare = make_procedure("1.000002", units=[province.new_commune], name="Thủ tục không giấy")
    bare.components.all().delete()
    d = receive(desk, province, bare, [])
    assert d.state == "received" and not d.components.exists()


def test_a_failure_after_the_rows_rolls_everything_back(
    desk: Any, province: Province, birth: Procedure, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("timeline store down")

    monkeypatch.setattr(services, "_event", broken)
    with pytest.raises(RuntimeError):
        receive(desk, province, birth, [{"component": part(birth, "Giấy chứng sinh").pk}])
    assert Dossier.objects.count() == 0 and ReceivedComponent.objects.count() == 0


def test_receiving_an_online_dossier_pre_ticks_uploaded_components(
    desk: Any, province: Province, birth: Procedure
) -> None:
    online = services.submit_dossier(
        procedure=birth,
        receiving_unit=province.new_commune,
        applicant=APPLICANT,
        at=local(2025, 9, 2, 9),
    )
    pdf = SimpleUploadedFile("chung-sinh.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    from motcua.dossiers.files import attach_file

    attach_file(
        dossier=online, actor=None, upload=pdf, kind="component", component_name="Giấy chứng sinh"
    )
    client = Client()
    client.force_login(desk)
    page = client.get(f"/ho-so/{online.code}/").content.decode()
    born = part(birth, "Giấy chứng sinh").pk
    form = part(birth, "Tờ khai đăng ký khai sinh").pk
    assert f'name="tp{born}" checked' in page
    assert f'name="tp{form}">' in page  # offered, not ticked
    response = client.post(
        f"/ho-so/{online.code}/thao-tac/receive/",
        {f"tp{born}": "on", f"tp{born}-chinh": "1", f"tp{born}-so-hoa": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    online.refresh_from_db()
    assert online.state == "received"
    [row] = online.components.all()
    assert (row.name, row.originals, row.digitized) == ("Giấy chứng sinh", 1, True)
    # Nothing ticked on a procedure with components: refused, nothing stored.
    again = services.submit_dossier(
        procedure=birth, receiving_unit=province.new_commune, applicant=APPLICANT
    )
    response = client.post(f"/ho-so/{again.code}/thao-tac/receive/", {})
    assert response.status_code == 400
    assert "cần đánh dấu ít nhất một thành phần hồ sơ đã nhận" in response.content.decode()
    again.refresh_from_db()
    assert again.state == "submitted" and not again.components.exists()


def test_the_api_receipt_records_components(
    desk: Any, province: Province, birth: Procedure
) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(desk)
    body = {
        "procedure": birth.code,
        "receiving_unit": "N1",
        "applicant": {"name": "Trần Văn Bình"},
        "received_at": "2025-09-03T09:00:00+07:00",
        "components": [
            {"component": part(birth, "Giấy chứng sinh").pk, "digitized": True},
            {"name": "Giấy xác nhận cư trú", "copies": 1},
        ],
    }
    response = client.post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 201, response.content
    d = Dossier.objects.get()
    assert [(c.name, c.originals, c.copies, c.digitized) for c in d.components.all()] == [
        ("Giấy chứng sinh", 1, 0, True),
        ("Giấy xác nhận cư trú", 0, 1, False),
    ]
    refused = client.post("/api/v1/dossiers/", {**body, "components": []}, format="json")
    assert refused.status_code == 400
    assert "cần đánh dấu ít nhất một thành phần" in refused.content.decode()
    assert Dossier.objects.count() == 1
