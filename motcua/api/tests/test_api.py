"""The REST API skeleton: authentication, scope (404 for others' objects), schema, docs."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from motcua.conftest import Province
from motcua.people.models import Membership


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/",
        "/api/v1/units/C1/",
        "/api/v1/memberships/",
        "/api/v1/me/",
        "/api/v1/changes/",
    ],
)
def test_anonymous_requests_are_refused(people: dict, url: str) -> None:
    response = APIClient().get(url)
    assert response.status_code in {401, 403}


def test_token_authentication_works(people: dict) -> None:
    token = Token.objects.create(user=people["alice"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "alice"


def test_unit_list_is_scoped(people: dict) -> None:
    body = client_for(people["alice"]).get("/api/v1/units/").json()
    assert [u["code"] for u in body["results"]] == ["C1"]


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/C2/",
        "/api/v1/units/C2/subtree/?as_of=2024-01-01",
        "/api/v1/units/D1/",
        "/api/v1/units/DT/subtree/",
    ],
)
def test_another_units_objects_answer_404_like_missing_ones(people: dict, url: str) -> None:
    alice = client_for(people["alice"])
    assert alice.get(url).status_code == 404
    assert alice.get("/api/v1/units/NO-SUCH-UNIT/").status_code == 404


def test_membership_of_another_unit_is_404(people: dict) -> None:
    bob_membership = Membership.objects.get(user=people["bob"])
    alice = client_for(people["alice"])
    assert alice.get(f"/api/v1/memberships/{bob_membership.pk}/").status_code == 404
    listed = alice.get("/api/v1/memberships/").json()["results"]
    assert {m["username"] for m in listed} == {"alice"}
    # The district leader sees both communes' people.
    dana = client_for(people["dana"])
    assert dana.get(f"/api/v1/memberships/{bob_membership.pk}/").status_code == 200


def test_unit_detail_picks_the_version_by_date_and_lists_links(people: dict) -> None:
    olga = client_for(people["olga"])
    old = olga.get("/api/v1/units/DT/?as_of=2024-05-01").json()
    assert old["valid_to"] == "2025-06-30"
    assert old["successors"][0]["successor"] == "DT"
    assert olga.get("/api/v1/units/DT/?as_of=2024-13-01").status_code == 400
    assert "as_of" in olga.get("/api/v1/units/DT/?as_of=bad").json()


def test_subtree_as_of_a_date(people: dict) -> None:
    olga = client_for(people["olga"])
    tree = olga.get("/api/v1/units/DT/subtree/?as_of=2024-05-01").json()
    districts = {c["code"]: c for c in tree["children"]}
    assert set(districts) == {"VP", "D1", "D2"}
    assert {c["code"] for c in districts["D1"]["children"]} == {"C1", "C2"}


def test_unit_list_as_of_before_and_after_the_reform(people: dict) -> None:
    root = client_for(people["adam"])
    before = root.get("/api/v1/units/?as_of=2025-06-30&level=commune").json()["results"]
    after = root.get("/api/v1/units/?as_of=2025-07-01&level=commune").json()["results"]
    assert {u["code"] for u in before} == {"C1", "C2", "C3"}
    assert {u["code"] for u in after} == {"N1", "N2"}


def test_change_log_only_for_administrators(people: dict, province: Province) -> None:
    from motcua.audit.services import record_change, snapshot

    record_change(
        obj=province.commune_a,
        action="update",
        actor=people["adam"],
        after=snapshot(province.commune_a),
    )
    assert client_for(people["alice"]).get("/api/v1/changes/").json()["results"] == []
    rows = client_for(people["adam"]).get("/api/v1/changes/").json()["results"]
    assert rows[0]["object_id"] == str(province.commune_a.pk)
    assert rows[0]["actor_name"] == "adam"


def test_me_masks_the_phone_and_lists_actions(people: dict) -> None:
    alice = people["alice"]
    alice.phone = "0912345678"
    alice.save()
    body = client_for(alice).get("/api/v1/me/").json()
    assert body["phone"] == "*******678"
    assert body["actions"] == ["receive", "view"]
    assert body["memberships"][0]["unit_code"] == "C1"


def test_schema_and_docs_are_served_without_external_assets(people: dict) -> None:
    client = client_for(people["alice"])
    schema = client.get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/units/{code}/subtree/" in paths
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "https://" not in html


def test_openapi_schema_generates_without_warnings(tmp_path: Any) -> None:
    from django.core.management import call_command

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--fail-on-warn", "--file", str(target))
    assert "/api/v1/calendar/due/" in target.read_text(encoding="utf-8")
