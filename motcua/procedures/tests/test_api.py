"""Catalogue API: public to signed-in users once published, drafts for configurators only."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from motcua.procedures.models import Component, Field, ProcessStep
from motcua.procedures.tests.factories import make_procedure


def client_for(user: Any) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def catalogue(province: object) -> None:
    civil = Field.objects.create(code="ho-tich", name="Hộ tịch")
    lawyers = Field.objects.create(code="luat-su", name="Luật sư")
    birth = make_procedure(
        "1.001193",
        name="Thủ tục đăng ký khai sinh",
        level="commune",
        field=civil,
        time_limit_amount=None,
        time_limit_unit="same_day",
        online_level="full",
    )
    Component.objects.create(
        procedure=birth, order=1, name="Tờ khai đăng ký khai sinh", originals=1
    )
    branch = make_procedure(
        "1.002099",
        name="Đăng ký hoạt động của chi nhánh",
        field=lawyers,
        fee=50000,
        online_level="partial",
    )
    ProcessStep.objects.create(procedure=branch, order=1, name="Tiếp nhận", budget_minutes=2400)
    make_procedure("9.999999", name="Thủ tục dự thảo", published=False)


@pytest.mark.django_db
def test_anonymous_gets_401(catalogue: None) -> None:
    for url in ("/api/v1/procedures/", "/api/v1/procedures/1.001193/", "/api/v1/fields/"):
        assert client_for(None).get(url).status_code == 401


@pytest.mark.django_db
def test_list_shows_published_procedures_to_any_user(catalogue: None, people: dict) -> None:
    data = client_for(people["nora"]).get("/api/v1/procedures/").json()
    assert [p["code"] for p in data["results"]] == ["1.001193", "1.002099"]
    branch = data["results"][1]
    assert branch["fee_text"] == "50.000 đồng"
    assert branch["time_limit_text"] == "5 ngày làm việc"
    assert branch["field"] == {"code": "luat-su", "name": "Luật sư"}


@pytest.mark.django_db
def test_unpublished_procedure_is_404_for_non_configurators(catalogue: None, people: dict) -> None:
    assert client_for(people["alice"]).get("/api/v1/procedures/9.999999/").status_code == 404
    assert (
        client_for(people["alice"]).get("/api/v1/procedures/9.999999/versions/").status_code == 404
    )
    admin = client_for(people["adam"])
    assert admin.get("/api/v1/procedures/9.999999/").status_code == 200
    codes = [p["code"] for p in admin.get("/api/v1/procedures/?published=false").json()["results"]]
    assert codes == ["9.999999"]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("q=khai%20sinh", ["1.001193"]),
        ("q=dang%20ky%20khai%20sinh", ["1.001193"]),
        ("q=CHI%20NHANH", ["1.002099"]),
        ("q=002099", ["1.002099"]),
        ("level=commune", ["1.001193"]),
        ("field=luat-su", ["1.002099"]),
        ("online_level=full", ["1.001193"]),
        ("published=true", ["1.001193", "1.002099"]),
    ],
)
@pytest.mark.django_db
def test_filters(catalogue: None, people: dict, query: str, codes: list[str]) -> None:
    data = client_for(people["alice"]).get(f"/api/v1/procedures/?{query}").json()
    assert [p["code"] for p in data["results"]] == codes


@pytest.mark.django_db
def test_detail_by_dotted_code_with_components_steps_and_fees(
    catalogue: None, people: dict
) -> None:
    client = client_for(people["alice"])
    birth = client.get("/api/v1/procedures/1.001193/").json()
    assert birth["time_limit_text"] == "trong ngày"
    assert birth["fee_text"] == "Không thu phí"
    assert birth["components"][0]["name"] == "Tờ khai đăng ký khai sinh"
    branch = client.get("/api/v1/procedures/1.002099/").json()
    assert branch["steps"] == [
        {
            "order": 1,
            "name": "Tiếp nhận",
            "unit_code": None,
            "unit_name": None,
            "role": "",
            "budget_minutes": 2400,
        }
    ]
    assert branch["fee"] == 50000


@pytest.mark.django_db
def test_versions_newest_first(catalogue: None, people: dict) -> None:
    data = client_for(people["alice"]).get("/api/v1/procedures/1.002099/versions/").json()
    assert [v["number"] for v in data] == [1]
    assert data[0]["content"]["fee"] == 50000


@pytest.mark.django_db
def test_fields(catalogue: None, people: dict) -> None:
    data = client_for(people["nora"]).get("/api/v1/fields/").json()
    assert [f["name"] for f in data["results"]] == ["Hộ tịch", "Luật sư"]
    assert client_for(people["nora"]).get("/api/v1/fields/luat-su/").json()["code"] == "luat-su"


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_the_catalogue(
    catalogue: None, people: dict, django_assert_max_num_queries: object
) -> None:
    for i in range(30):
        make_procedure(f"5.{i:06d}", field=Field.objects.get(code="ho-tich"))
    client = client_for(people["alice"])
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        assert client.get("/api/v1/procedures/").status_code == 200
