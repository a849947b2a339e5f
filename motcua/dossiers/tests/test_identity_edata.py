"""Identity verification and the e-data store link recorded at receipt (766 §5.3).

`receive_dossier(identity_source=, edata_linked=)` for a walk-in and a submitted dossier, the
counter receipt form, the dossier page, the receive action and the API.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.choices import IdentitySource, State
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import APPLICANT, local
from motcua.dossiers.tests.test_api import RECEIPT, client_for, procedure, receive  # noqa: F401


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def submitted(province: Province, procedure: Any) -> Dossier:  # noqa: F811
    return services.submit_dossier(
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=local(2025, 3, 3, 8),
    )


def receipt_event(dossier: Dossier) -> DossierEvent:
    return dossier.events.get(kind="dossier.received")


# -- service -----------------------------------------------------------------------------------


def test_walk_in_records_both_facts_and_the_event_says_so(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = receive(people, province, procedure, identity_source="vneid", edata_linked=True)
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.identity_source, stored.edata_linked) == (IdentitySource.VNEID, True)
    data = receipt_event(stored).data
    assert data["identity_source"] == "vneid" and data["edata_linked"] is True


def test_walk_in_without_the_facts_records_neither(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = receive(people, province, procedure)
    stored = Dossier.objects.get(pk=d.pk)
    assert (stored.identity_source, stored.edata_linked) == ("", False)
    assert receipt_event(stored).data["identity_source"] == ""


def test_submitted_dossier_records_both_facts_at_receipt(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    s = submitted(province, procedure)
    services.receive_dossier(
        dossier=s,
        actor=people["alice"],
        at=local(2025, 3, 3, 9),
        identity_source="population_db",
        edata_linked=True,
    )
    stored = Dossier.objects.get(pk=s.pk)
    assert stored.state == State.RECEIVED
    assert (stored.identity_source, stored.edata_linked) == (IdentitySource.POPULATION_DB, True)
    assert receipt_event(stored).data["identity_source"] == "population_db"


def test_none_leaves_what_the_dossier_already_holds(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    s = submitted(province, procedure)
    Dossier.objects.filter(pk=s.pk).update(identity_source="vneid", edata_linked=True)
    services.receive_dossier(dossier=s, actor=people["alice"], at=local(2025, 3, 3, 9))
    stored = Dossier.objects.get(pk=s.pk)
    assert (stored.identity_source, stored.edata_linked) == ("vneid", True)


def test_unknown_identity_source_is_refused_and_nothing_is_written(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    with pytest.raises(services.DossierError) as walk_in:
        receive(people, province, procedure, identity_source="facebook")
    assert walk_in.value.field == "identity_source"
    assert walk_in.value.message == "cách xác thực danh tính “facebook” không có trong danh mục"
    assert Dossier.objects.count() == 0
    s = submitted(province, procedure)
    with pytest.raises(services.DossierError) as later:
        services.receive_dossier(
            dossier=s, actor=people["alice"], at=local(2025, 3, 3, 9), identity_source="cccd"
        )
    assert later.value.field == "identity_source"
    stored = Dossier.objects.get(pk=s.pk)
    assert stored.state == State.SUBMITTED and stored.identity_source == ""
    assert not stored.events.filter(kind="dossier.received").exists()


# -- counter receipt form and the dossier page -------------------------------------------------


def _form_data(procedure: Any, **change: str) -> dict[str, str]:  # noqa: F811
    tick = f"tp{procedure.components.get().pk}"
    return {
        tick: "on",
        f"{tick}-chinh": "1",
        "procedure": "1.001193",
        "receiving_unit": "C1",
        "name": "Trần Văn Bình",
        "channel": "direct",
        "submitted_by": "applicant",
        "received_at": "2025-03-03T09:00",
        **change,
    }


def test_receipt_form_offers_and_stores_both_and_the_page_shows_them(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    province.commune_a.valid_to = None  # the desk picker offers units in force today only
    province.commune_a.save(update_fields=["valid_to"])
    client = signed_in(people["alice"])
    page = client.get("/ho-so/tiep-nhan/?thu-tuc=1.001193").content.decode()
    assert "Xác thực danh tính" in page
    assert '<option value="" selected>Không xác thực qua VNeID hay CSDL dân cư</option>' in page
    assert '<option value="vneid">Tài khoản định danh điện tử VNeID</option>' in page
    assert "Đã liên kết kho dữ liệu điện tử của công dân" in page
    assert 'type="checkbox" name="edata_linked"' in page
    response = client.post(
        "/ho-so/tiep-nhan/", _form_data(procedure, identity_source="vneid", edata_linked="on")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    d = Dossier.objects.get()
    assert (d.identity_source, d.edata_linked) == ("vneid", True)
    detail = client.get(f"/ho-so/{d.code}/").content.decode()
    assert "Xác thực danh tính" in detail and "Tài khoản định danh điện tử VNeID" in detail
    assert "Kho dữ liệu điện tử" in detail
    assert "Đã liên kết kho dữ liệu điện tử của công dân" in detail
    assert "vneid" not in detail.replace('"vneid"', "")  # the code never shows as a word


def test_dossier_page_says_nothing_when_neither_is_set(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = receive(people, province, procedure)
    detail = signed_in(people["alice"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "Tài khoản định danh điện tử VNeID" not in detail
    assert "Kho dữ liệu điện tử" not in detail


def test_receipt_form_refuses_an_unknown_identity_source(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    province.commune_a.valid_to = None
    province.commune_a.save(update_fields=["valid_to"])
    response = signed_in(people["alice"]).post(
        "/ho-so/tiep-nhan/", _form_data(procedure, identity_source="facebook")
    )
    assert response.status_code == 400
    assert "Lựa chọn không hợp lệ." in response.content.decode()
    assert Dossier.objects.count() == 0


def test_receive_action_form_of_a_submitted_dossier_stores_both(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    s = submitted(province, procedure)
    client = signed_in(people["alice"])
    page = client.get(f"/ho-so/{s.code}/").content.decode()
    assert "/thao-tac/receive/" in page
    tick = f"tp{procedure.components.get().pk}"
    assert f'name="{tick}"' in page
    response = client.post(
        f"/ho-so/{s.code}/thao-tac/receive/",
        {
            tick: "on",
            f"{tick}-chinh": "1",
            "identity_source": "population_db",
            "edata_linked": "on",
            "at": "2025-03-03T09:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = Dossier.objects.get(pk=s.pk)
    assert stored.state == State.RECEIVED
    assert (stored.identity_source, stored.edata_linked) == ("population_db", True)
    detail = client.get(f"/ho-so/{s.code}/").content.decode()
    assert "Cơ sở dữ liệu quốc gia về dân cư" in detail


# -- API ---------------------------------------------------------------------------------------


def test_api_walk_in_stores_both_and_the_detail_returns_them(
    people: dict,
    procedure: Any,  # noqa: F811
) -> None:
    body = {**RECEIPT, "identity_source": "population_db", "edata_linked": True}
    response = client_for(people["alice"]).post("/api/v1/dossiers/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["identity_source"] == "population_db"
    assert response.json()["edata_linked"] is True
    stored = Dossier.objects.get()
    assert (stored.identity_source, stored.edata_linked) == ("population_db", True)
    again = client_for(people["alice"]).get(f"/api/v1/dossiers/{stored.code}/").json()
    assert (again["identity_source"], again["edata_linked"]) == ("population_db", True)


def test_api_walk_in_without_them_records_neither(
    people: dict,
    procedure: Any,  # noqa: F811
) -> None:
    response = client_for(people["alice"]).post("/api/v1/dossiers/", RECEIPT, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["identity_source"], response.json()["edata_linked"]) == ("", False)


def test_api_refuses_an_unknown_identity_source_on_its_field(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    alice = client_for(people["alice"])
    bad = alice.post("/api/v1/dossiers/", {**RECEIPT, "identity_source": "facebook"}, format="json")
    assert bad.status_code == 400
    assert bad.json() == {"identity_source": ["“facebook” không phải một lựa chọn hợp lệ."]}
    assert Dossier.objects.count() == 0
    s = submitted(province, procedure)
    refused = alice.post(
        f"/api/v1/dossiers/{s.code}/actions/receive/",
        {"identity_source": "cccd", "at": "2025-03-03T09:00:00+07:00"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json() == {"identity_source": ["“cccd” không phải một lựa chọn hợp lệ."]}
    assert Dossier.objects.get(pk=s.pk).state == State.SUBMITTED


def test_api_receive_action_stores_both(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    s = submitted(province, procedure)
    response = client_for(people["alice"]).post(
        f"/api/v1/dossiers/{s.code}/actions/receive/",
        {"identity_source": "vneid", "edata_linked": True, "at": "2025-03-03T09:00:00+07:00"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["identity_source"], response.json()["edata_linked"]) == (
        "vneid",
        True,
    )
    stored = Dossier.objects.get(pk=s.pk)
    assert (stored.state, stored.identity_source, stored.edata_linked) == (
        State.RECEIVED,
        "vneid",
        True,
    )
    assert stored.events.filter(kind="dossier.received").get().data["edata_linked"] is True


def test_schema_documents_both_on_receipt_receive_action_and_detail(people: dict) -> None:
    schema = client_for(people["alice"]).get("/api/v1/schema/?format=json").json()
    parts = schema["components"]["schemas"]
    body = schema["paths"]["/api/v1/dossiers/{code}/actions/receive/"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReceiveAction"
    }
    for name in ("ReceiveAction", "Receipt"):
        assert {"identity_source", "edata_linked"} <= set(parts[name]["properties"]), name
    assert parts["IdentitySourceEnum"]["enum"] == ["vneid", "population_db"]
    detail = parts["DossierDetail"]["properties"]
    assert detail["identity_source"]["readOnly"] and detail["edata_linked"]["readOnly"]
