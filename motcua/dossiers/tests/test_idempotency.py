"""A write sent twice acts once: the API's Idempotency-Key and the one-time token of forms."""

from __future__ import annotations

import re
import threading
import time
from typing import Any, cast

import pytest
from django.db import connection
from django.test import Client

from motcua.audit.models import IdempotencyKey
from motcua.conftest import Province, make_user
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.tests.factories import handed_in
from motcua.dossiers.tests.test_api import (  # noqa: F401
    RECEIPT,
    client_for,
    in_progress,
    procedure,
    receive,
)
from motcua.people.choices import Role
from motcua.people.models import User

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')

FORM_RECEIPT = {
    "procedure": "1.001193",
    "receiving_unit": "C1",
    "name": "Trần Văn Bình",
    "phone": "0912345678",
    "channel": "direct",
    "submitted_by": "applicant",
    "received_at": "2025-03-03T09:00",
}


@pytest.fixture
def desk_in_force(province: Province) -> None:
    """Commune C1 still in force today: the intake form offers only desks in force."""
    province.commune_a.valid_to = None
    province.commune_a.save(update_fields=["valid_to"])


def form_receipt(of: Any) -> dict[str, str]:
    """The walk-in receipt form's fields, every component of the procedure `of` handed in."""
    return {**FORM_RECEIPT, **handed_in(of)}


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def events(kind: str) -> int:
    return DossierEvent.objects.filter(kind=kind).count()


# -- API ---------------------------------------------------------------------------------------


def test_api_replay_returns_the_first_answer_without_acting(people: dict, procedure: Any) -> None:  # noqa: F811
    alice = client_for(people["alice"])
    first = alice.post("/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    again = alice.post("/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Dossier.objects.count() == 1
    assert events("dossier.received") == 1
    # Without the header every POST acts: the key is what makes a retry safe.
    other = alice.post("/api/v1/dossiers/", RECEIPT, format="json")
    assert other.status_code == 201 and other.json()["code"] != first.json()["code"]


def test_api_same_key_other_body_is_422(people: dict, procedure: Any) -> None:  # noqa: F811
    alice = client_for(people["alice"])
    assert (
        alice.post(
            "/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="k-2"
        ).status_code
        == 201
    )
    changed = {**RECEIPT, "applicant": {**cast(dict, RECEIPT["applicant"]), "name": "Lê Thị Hoa"}}
    response = alice.post("/api/v1/dossiers/", changed, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["detail"]
    assert Dossier.objects.count() == 1


def test_api_keys_belong_to_their_user(people: dict, province: Province, procedure: Any) -> None:  # noqa: F811
    client_for(people["alice"]).post(
        "/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    # Another officer of the same desk, same key: a request of their own, not a replay.
    make_user("alice2", (province.commune_a, Role.ONE_STOP_OFFICER))
    second = client_for(User.objects.get(username="alice2")).post(
        "/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Dossier.objects.count() == 2


def test_api_action_replay_does_not_act_twice(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    dana = client_for(people["dana"])
    body = {"items": ["Giấy chứng sinh"], "reason": "Thiếu", "at": "2025-03-04T09:00:00+07:00"}
    url = f"/api/v1/dossiers/{d.code}/actions/request-supplement/"
    first = dana.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="supp-1")
    assert first.status_code == 200, first.content
    again = dana.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="supp-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert events("dossier.supplement_requested") == 1
    # A refused move is remembered too: the retry answers the same 409, nothing runs.
    no = dana.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="supp-2")
    assert no.status_code == 409
    assert dana.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="supp-2").status_code == 409


def test_api_key_in_progress_is_409(people: dict, procedure: Any) -> None:  # noqa: F811
    from motcua.audit.idempotency import claim_key

    alice = client_for(people["alice"])
    first = alice.post("/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="run")
    row = IdempotencyKey.objects.get(key="run")
    # The same request again while a first one (simulated: completion erased) still runs.
    IdempotencyKey.objects.filter(pk=row.pk).update(completed_at=None)
    with pytest.raises(Exception, match="run"):
        claim_key(
            user=people["alice"],
            key="run",
            method="POST",
            path=row.path,
            fingerprint=row.fingerprint,
        )
    response = alice.post("/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="run")
    assert response.status_code == 409
    assert first.status_code == 201 and Dossier.objects.count() == 1


def test_api_bad_key_is_400(people: dict, procedure: Any) -> None:  # noqa: F811
    response = client_for(people["alice"]).post(
        "/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300
    )
    assert response.status_code == 400 and "Idempotency-Key" in response.json()
    assert Dossier.objects.count() == 0


def test_server_error_releases_the_key(
    people: dict,
    procedure: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from motcua.dossiers.api import views

    def boom(**kw: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(views, "receive_walk_in", boom)
    client = client_for(people["alice"])
    client.raise_request_exception = False
    assert (
        client.post(
            "/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="retry-me"
        ).status_code
        == 500
    )
    assert not IdempotencyKey.objects.filter(key="retry-me").exists()
    monkeypatch.undo()
    retry = client.post(
        "/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="retry-me"
    )
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry


def test_schema_documents_the_header(people: dict) -> None:
    schema = client_for(people["alice"]).get("/api/v1/schema/?format=json").json()
    create = schema["paths"]["/api/v1/dossiers/"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    listing = schema["paths"]["/api/v1/dossiers/"]["get"]
    assert not any(p["name"] == "Idempotency-Key" for p in listing.get("parameters", []))
    action = schema["paths"]["/api/v1/dossiers/{code}/actions/transfer/"]["post"]
    assert any(p["name"] == "Idempotency-Key" for p in action["parameters"])


# -- HTML forms --------------------------------------------------------------------------------


@pytest.mark.usefixtures("desk_in_force")
def test_receipt_form_posted_twice_creates_one_dossier(people: dict, procedure: Any) -> None:  # noqa: F811
    client = signed_in(people["alice"])
    page = client.get("/ho-so/tiep-nhan/").content.decode()
    token = TOKEN.search(page)
    assert token, "the receipt form carries a one-time token"
    data = {**form_receipt(procedure), "form_token": token.group(1)}
    first = client.post("/ho-so/tiep-nhan/", data)
    assert first.status_code == 302
    second = client.post("/ho-so/tiep-nhan/", data)  # double click / back button + resend
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert Dossier.objects.count() == 1 and events("dossier.received") == 1
    landing = client.get(second["Location"]).content.decode()
    assert "Yêu cầu này đã được thực hiện." in landing
    # A freshly rendered form has a new token and receives a new dossier.
    fresh = TOKEN.search(client.get("/ho-so/tiep-nhan/").content.decode())
    assert fresh and fresh.group(1) != token.group(1)
    client.post("/ho-so/tiep-nhan/", {**form_receipt(procedure), "form_token": fresh.group(1)})
    assert Dossier.objects.count() == 2


@pytest.mark.usefixtures("desk_in_force")
def test_invalid_form_does_not_use_up_its_token(people: dict, procedure: Any) -> None:  # noqa: F811
    client = signed_in(people["alice"])
    token = TOKEN.search(client.get("/ho-so/tiep-nhan/").content.decode())
    assert token
    bad = client.post(
        "/ho-so/tiep-nhan/",
        {**form_receipt(procedure), "name": "", "form_token": token.group(1)},
    )
    assert bad.status_code == 400 and Dossier.objects.count() == 0
    good = client.post(
        "/ho-so/tiep-nhan/", {**form_receipt(procedure), "form_token": token.group(1)}
    )
    assert good.status_code == 302 and Dossier.objects.count() == 1


def test_action_form_posted_twice_acts_once(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = in_progress(people, province, procedure)
    dana = signed_in(people["dana"])
    page = dana.get(f"/ho-so/{d.code}/").content.decode()
    form = re.search(
        r'action="/ho-so/[^"]+/thao-tac/request-supplement/".*?name="form_token" value="([^"]+)"',
        page,
        re.S,
    )
    assert form
    data = {
        "items": "Giấy chứng sinh\n",
        "reason": "Thiếu",
        "at": "2025-03-04T09:00",
        "form_token": form.group(1),
    }
    url = f"/ho-so/{d.code}/thao-tac/request-supplement/"
    assert dana.post(url, data).status_code == 302
    again = dana.post(url, data)
    assert again.status_code == 302 and again["Location"] == f"/ho-so/{d.code}/"
    assert events("dossier.supplement_requested") == 1
    assert d.pauses.count() == 1
    assert "Yêu cầu này đã được thực hiện." in dana.get(again["Location"]).content.decode()


def test_the_detail_page_loads_the_double_click_guard(
    people: dict,
    province: Province,
    procedure: Any,  # noqa: F811
) -> None:
    d = receive(people, province, procedure)
    page = signed_in(people["alice"]).get(f"/ho-so/{d.code}/").content.decode()
    assert "audit/once.js" in page
    tokens = TOKEN.findall(page)
    assert tokens and len(set(tokens)) == len(tokens)  # one token per form


# -- two requests at once ----------------------------------------------------------------------


def _locked(exc: BaseException | None) -> bool:
    """Whether `exc`, or what caused it, is SQLite's "table is locked".

    Django's database session store turns a locked table into an `UpdateError` that no
    longer says why, so the cause is read too.
    """
    while exc is not None:
        if "locked" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _at_once(send: Any) -> list[Any]:
    """Run `send()` in two threads released together; retry only SQLite's "table is locked".

    The in-memory SQLite test database (shared cache) answers "table is locked" instead of
    waiting for the lock as PostgreSQL and SQLite files do: such an attempt is sent again,
    which is exactly the retry the key must make safe.
    """
    answers: list[Any] = []
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            for _attempt in range(40):
                try:
                    answers.append(send())
                    return
                except Exception as exc:
                    if not _locked(exc):
                        answers.append(exc)
                        return
                    time.sleep(0.05)
            answers.append("never answered")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_api_posts_create_one_dossier(
    people: dict,
    procedure: Any,  # noqa: F811
) -> None:
    def send() -> int:
        response = client_for(people["alice"]).post(
            "/api/v1/dossiers/", RECEIPT, format="json", HTTP_IDEMPOTENCY_KEY="twin"
        )
        return response.status_code

    answers = _at_once(send)
    # One acts (201); the other replays it (201) or finds it still running (409).
    assert len(answers) == 2 and set(answers) <= {201, 409}, answers
    assert Dossier.objects.count() == 1, answers
    assert events("dossier.received") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("desk_in_force")
def test_two_concurrent_form_posts_create_one_dossier(
    people: dict,
    procedure: Any,  # noqa: F811
) -> None:
    token = TOKEN.search(signed_in(people["alice"]).get("/ho-so/tiep-nhan/").content.decode())
    assert token
    data = {**form_receipt(procedure), "form_token": token.group(1)}
    # Both browsers are signed in before the race: only the two POSTs run at once.
    browsers = [signed_in(people["alice"]), signed_in(people["alice"])]
    mine = threading.local()

    def send() -> tuple[int, str]:
        if not hasattr(mine, "browser"):
            mine.browser = browsers.pop()
        response = mine.browser.post("/ho-so/tiep-nhan/", data)
        return response.status_code, response.get("Location", "")

    answers = _at_once(send)
    assert Dossier.objects.count() == 1
    assert events("dossier.received") == 1
    d = Dossier.objects.get()
    # The second waits for the first and lands on the same dossier page.
    assert answers == [(302, f"/ho-so/{d.code}/")] * 2, answers
