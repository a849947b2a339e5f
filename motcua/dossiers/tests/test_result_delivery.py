"""Return of results: electronic needs the result file, postal needs the consignment number,
and the postal delivery date is recorded later; all through the services and the page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from motcua.conftest import Province
from motcua.dossiers import services
from motcua.dossiers.choices import State
from motcua.dossiers.files import attach_file
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.results import record_postal_delivery
from motcua.dossiers.services import DossierError, TransitionNotAllowed
from motcua.dossiers.tests.factories import local
from motcua.dossiers.tests.test_api import client_for, in_progress, procedure  # noqa: F401

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def resolved(people: dict, province: Province, procedure: Any) -> Dossier:  # noqa: F811
    d = in_progress(people, province, procedure)
    return services.resolve_dossier(dossier=d, actor=people["dana"], at=local(2025, 3, 5, 9))


def result_file(d: Dossier, people: dict) -> Any:
    upload = SimpleUploadedFile("Giấy khai sinh.pdf", PDF)
    return attach_file(dossier=d, actor=people["alice"], upload=upload, kind="result")


def test_electronic_return_is_refused_without_a_result_file(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = resolved(people, province, procedure)
    with pytest.raises(DossierError, match="tệp kết quả") as refused:
        services.return_result(
            dossier=d, actor=people["alice"], recipient="Trần Văn Bình", delivery="electronic"
        )
    assert refused.value.field == "delivery"
    d.refresh_from_db()
    assert d.state == State.RESOLVED and d.delivery == "" and d.returned_at is None
    # a component file is not a result
    attach_file(
        dossier=d,
        actor=people["alice"],
        upload=SimpleUploadedFile("to-khai.pdf", PDF),
        kind="component",
    )
    with pytest.raises(DossierError):
        services.return_result(
            dossier=d, actor=people["alice"], recipient="Trần Văn Bình", delivery="electronic"
        )


def test_electronic_return_with_the_result_file_stores_the_delivery(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = resolved(people, province, procedure)
    result_file(d, people)  # uploaded now, so the return is now too
    services.return_result(
        dossier=d, actor=people["alice"], recipient="Trần Văn Bình", delivery="electronic"
    )
    d = Dossier.objects.get(pk=d.pk)
    assert (d.state, d.delivery) == (State.RETURNED, "electronic")
    assert d.returned_at is not None
    event = DossierEvent.objects.get(dossier=d, kind="dossier.result_returned")
    assert event.data == {"delivery": "electronic"}


def test_postal_return_needs_the_consignment_number_and_records_delivery(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = resolved(people, province, procedure)
    with pytest.raises(DossierError) as refused:
        services.return_result(
            dossier=d, actor=people["alice"], recipient="Bưu điện", delivery="postal"
        )
    assert refused.value.field == "postal_consignment"
    assert Dossier.objects.get(pk=d.pk).state == State.RESOLVED
    services.return_result(
        dossier=d,
        actor=people["alice"],
        recipient="Bưu điện xã Mỹ An",
        delivery="postal",
        postal_consignment=" EK123456789VN ",
        at=local(2025, 3, 5, 10),
    )
    d = Dossier.objects.get(pk=d.pk)
    assert (d.delivery, d.postal_consignment, d.postal_delivered_on) == (
        "postal",
        "EK123456789VN",
        None,
    )
    with pytest.raises(DossierError, match="trước ngày gửi"):
        record_postal_delivery(dossier=d, delivered_on=dt.date(2025, 3, 4), actor=people["alice"])
    record_postal_delivery(dossier=d, delivered_on=dt.date(2025, 3, 7), actor=people["alice"])
    d = Dossier.objects.get(pk=d.pk)
    assert d.postal_delivered_on == dt.date(2025, 3, 7)
    event = DossierEvent.objects.get(dossier=d, kind="dossier.postal_delivered")
    assert event.data == {"delivered_on": "2025-03-07", "postal_consignment": "EK123456789VN"}
    assert event.actor == people["alice"]
    with pytest.raises(TransitionNotAllowed, match="đã ghi nhận"):
        record_postal_delivery(dossier=d, delivered_on=dt.date(2025, 3, 8), actor=people["alice"])


def test_delivery_date_only_after_a_postal_return(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = resolved(people, province, procedure)
    services.return_result(dossier=d, actor=people["alice"], recipient="Trần Văn Bình")
    d = Dossier.objects.get(pk=d.pk)
    assert d.delivery == "desk"
    with pytest.raises(TransitionNotAllowed, match="bưu chính"):
        record_postal_delivery(dossier=d, delivered_on=dt.date(2025, 3, 7), actor=people["alice"])


def test_the_page_uploads_the_result_returns_by_post_and_records_delivery(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = resolved(people, province, procedure)
    web = Client()
    web.force_login(people["alice"])
    page = web.get(f"/ho-so/{d.code}/").content.decode()
    assert "Tải lên tệp kết quả" in page and "Số hiệu bưu gửi" in page
    refused = web.post(
        f"/ho-so/{d.code}/thao-tac/return-result/",
        {"recipient": "Trần Văn Bình", "delivery": "electronic", "lock_version": d.lock_version},
    )
    assert refused.status_code == 400
    assert "tệp kết quả" in refused.content.decode()
    uploaded = web.post(
        f"/ho-so/{d.code}/tep/",
        {"upload": SimpleUploadedFile("ket-qua.pdf", PDF), "kind": "result"},
    )
    assert uploaded.status_code == 302
    assert d.files.get().kind == "result"
    d.refresh_from_db()
    no_number = web.post(
        f"/ho-so/{d.code}/thao-tac/return-result/",
        {"recipient": "Bưu điện", "delivery": "postal", "lock_version": d.lock_version},
    )
    assert no_number.status_code == 400
    assert "số hiệu bưu gửi" in no_number.content.decode()
    done = web.post(
        f"/ho-so/{d.code}/thao-tac/return-result/",
        {
            "recipient": "Bưu điện",
            "delivery": "postal",
            "postal_consignment": "EK000111222VN",
            "lock_version": d.lock_version,
        },
    )
    assert done.status_code == 302
    page = web.get(f"/ho-so/{d.code}/").content.decode()
    assert "EK000111222VN" in page and "Ghi nhận ngày phát bưu gửi" in page
    today = timezone.localdate()
    recorded = web.post(f"/ho-so/{d.code}/buu-gui/", {"delivered_on": f"{today:%d/%m/%Y}"})
    assert recorded.status_code == 302
    assert Dossier.objects.get(pk=d.pk).postal_delivered_on == today
    page = web.get(f"/ho-so/{d.code}/").content.decode()
    assert f"{today:%d/%m/%Y}" in page and "Ghi nhận ngày phát bưu gửi" not in page
    again = web.post(f"/ho-so/{d.code}/buu-gui/", {"delivered_on": f"{today:%d/%m/%Y}"})
    assert again.status_code == 409


def test_another_unit_cannot_record_the_delivery(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = resolved(people, province, procedure)
    services.return_result(
        dossier=d,
        actor=people["alice"],
        recipient="Bưu điện",
        delivery="postal",
        postal_consignment="EK1VN",
    )
    web = Client()
    web.force_login(people["bob"])
    assert web.post(f"/ho-so/{d.code}/buu-gui/", {"delivered_on": "07/03/2025"}).status_code == 404


def test_the_api_returns_by_post_and_records_the_delivery(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = resolved(people, province, procedure)
    api = client_for(people["alice"])
    base = f"/api/v1/dossiers/{d.code}"
    refused = api.post(
        f"{base}/actions/return-result/",
        {"recipient": "Bưu điện", "delivery": "postal"},
        format="json",
    )
    assert refused.status_code == 400 and "postal_consignment" in refused.json()
    refused = api.post(
        f"{base}/actions/return-result/",
        {"recipient": "Trần Văn Bình", "delivery": "electronic"},
        format="json",
    )
    assert refused.status_code == 400 and "delivery" in refused.json()
    done = api.post(
        f"{base}/actions/return-result/",
        {"recipient": "Bưu điện", "delivery": "postal", "postal_consignment": "EK9VN"},
        format="json",
    )
    assert done.status_code == 200
    body = done.json()
    assert (body["delivery"], body["postal_consignment"], body["postal_delivered_on"]) == (
        "postal",
        "EK9VN",
        None,
    )
    today = timezone.localdate()
    recorded = api.post(
        f"{base}/postal-delivery/", {"delivered_on": today.isoformat()}, format="json"
    )
    assert recorded.status_code == 200
    assert recorded.json()["postal_delivered_on"] == today.isoformat()
    again = api.post(f"{base}/postal-delivery/", {"delivered_on": today.isoformat()}, format="json")
    assert again.status_code == 409
    outside = client_for(people["bob"]).post(
        f"{base}/postal-delivery/", {"delivered_on": today.isoformat()}, format="json"
    )
    assert outside.status_code == 404
