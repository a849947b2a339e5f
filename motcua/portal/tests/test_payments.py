"""Fees: the record_payment service, the local demo gateway, and the gateway interface."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import HttpRequest
from django.test import Client
from django.utils import timezone

from motcua.dossiers.choices import PaymentMethod, State
from motcua.dossiers.models import Dossier, DossierEvent, Payment
from motcua.dossiers.services import (
    ActionForbidden,
    DossierError,
    TransitionNotAllowed,
    record_payment,
)
from motcua.portal.payments import (
    LocalDemoGateway,
    PaymentGateway,
    PaymentResult,
    PaymentStart,
    get_gateway,
)
from motcua.portal.submission import payment_refusal
from motcua.portal.tests.account_helpers import (
    FEE,
    Setup,
    client_for,
    media_fixture,  # noqa: F401 — the `media` fixture
    pdf,
    setup_fixture,  # noqa: F401 — the `setup` fixture
    submission,
)
from motcua.procedures.services import record_procedure_change

pytestmark = pytest.mark.django_db


def submitted(setup: Setup) -> Dossier:
    client_for(setup.mai).post(
        f"/nop-ho-so/{setup.procedure.code}/", submission(setup, **{"tp-1": pdf()})
    )
    return Dossier.objects.get()


def start(client: Client, dossier: Dossier) -> str:
    """Start a payment; the token of the demo page it redirects to."""
    response = client.post(f"/nop-ho-so/{dossier.code}/thanh-toan/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == f"/nop-ho-so/{dossier.code}/thanh-toan/thu/"
    return parse_qs(location.query)["t"][0]


def confirm(client: Client, dossier: Dossier, token: str, decision: str = "pay") -> Any:
    return client.post(
        f"/nop-ho-so/{dossier.code}/thanh-toan/ket-qua/",
        {"t": token, "decision": decision},
        follow=True,
    )


# -- the service -------------------------------------------------------------------------------


def test_record_payment_writes_the_payment_and_a_timeline_event(setup: Setup) -> None:
    dossier = submitted(setup)
    paid_at = timezone.now() - dt.timedelta(minutes=5)
    payment = record_payment(
        dossier=dossier,
        method=PaymentMethod.BANK_TRANSFER,
        reference="CK-0001",
        amount=FEE,
        paid_at=paid_at,
        actor=setup.officer,
    )
    assert (payment.amount, payment.reference, payment.paid_at) == (FEE, "CK-0001", paid_at)
    assert payment.recorded_by == setup.officer and not payment.online
    event = DossierEvent.objects.get(kind="dossier.payment_recorded")
    assert event.data == {
        "method": "bank_transfer",
        "reference": "CK-0001",
        "amount": FEE,
        "paid_at": paid_at.isoformat(),
    }
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED  # paying changes no state


def test_record_payment_refuses_duplicates_and_bad_amounts(setup: Setup) -> None:
    dossier = submitted(setup)
    now = timezone.now()
    record_payment(dossier=dossier, method="demo", reference="R-1", amount=FEE, paid_at=now)
    with pytest.raises(DossierError, match="đã được ghi nhận"):
        record_payment(dossier=dossier, method="demo", reference="R-1", amount=1, paid_at=now)
    bad: tuple[Any, ...] = (0, -5, 1.5, True, "50000", None)
    for amount in bad:
        with pytest.raises(DossierError, match="số nguyên dương") as caught:
            record_payment(
                dossier=dossier, method="demo", reference="R-2", amount=amount, paid_at=now
            )
        assert caught.value.field == "amount"
    with pytest.raises(DossierError, match="hình thức"):
        record_payment(dossier=dossier, method="bitcoin", reference="R-3", amount=1, paid_at=now)
    with pytest.raises(DossierError, match="mã giao dịch"):
        record_payment(dossier=dossier, method="demo", reference=" ", amount=1, paid_at=now)
    with pytest.raises(DossierError, match="tương lai"):
        future = now + dt.timedelta(hours=1)
        record_payment(dossier=dossier, method="demo", reference="R-4", amount=1, paid_at=future)
    assert Payment.objects.count() == 1


def test_record_payment_checks_state_and_actor(setup: Setup, people: dict) -> None:
    client_for(setup.mai).post(f"/nop-ho-so/{setup.procedure.code}/", submission(setup, "save"))
    draft = Dossier.objects.get()
    now = timezone.now()
    with pytest.raises(TransitionNotAllowed):
        record_payment(dossier=draft, method="demo", reference="R-1", amount=FEE, paid_at=now)
    draft.delete()
    dossier = submitted(setup)
    for stranger in (setup.lan, people["bob"]):
        with pytest.raises(ActionForbidden):
            record_payment(
                dossier=dossier,
                method="demo",
                reference="R-2",
                amount=FEE,
                paid_at=now,
                actor=stranger,
            )
    own = record_payment(
        dossier=dossier, method="demo", reference="R-3", amount=FEE, paid_at=now, actor=setup.mai
    )
    assert own.recorded_by == setup.mai


# -- the portal with the local demo gateway ----------------------------------------------------


def test_demo_payment_is_recorded_once(setup: Setup, settings: Any) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY = "demo"
    dossier = submitted(setup)
    client = client_for(setup.mai)
    page = client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/").content.decode()
    assert "50.000 đồng" in page and "Cổng thanh toán thử" in page
    token = start(client, dossier)
    demo = client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/thu/?t={token}")
    assert demo.status_code == 200
    assert "không có tiền thật" in demo.content.decode()
    response = confirm(client, dossier, token)
    payment = Payment.objects.get()
    assert (payment.dossier, payment.method, payment.amount) == (dossier, "demo", FEE)
    assert payment.reference.startswith("DEMO-") and payment.online
    assert payment.recorded_by == setup.mai
    assert response.redirect_chain[-1][0] == f"/nop-ho-so/{dossier.code}/da-nop/"
    assert "Đã ghi nhận thanh toán 50.000 đồng" in response.content.decode()
    # The same confirmation posted again records nothing.
    again = confirm(client, dossier, token)
    assert "không thanh toán lần nữa" in again.content.decode()
    # Nothing is left to pay.
    page = client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/").content.decode()
    assert "đã được thanh toán đủ 50.000 đồng" in page
    assert client.post(f"/nop-ho-so/{dossier.code}/thanh-toan/").status_code == 409
    assert Payment.objects.count() == 1


def test_two_payments_started_for_the_same_amount_record_one(setup: Setup, settings: Any) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY = "demo"
    dossier = submitted(setup)
    client = client_for(setup.mai)
    first, second = start(client, dossier), start(client, dossier)
    confirm(client, dossier, first)
    response = confirm(client, dossier, second)
    assert "Hồ sơ đã có khoản thanh toán 50.000 đồng" in response.content.decode()
    assert Payment.objects.count() == 1


def test_cancelled_forged_or_foreign_confirmations_record_nothing(
    setup: Setup, settings: Any
) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY = "demo"
    dossier = submitted(setup)
    client = client_for(setup.mai)
    token = start(client, dossier)
    cancelled = confirm(client, dossier, token, decision="cancel")
    assert "Bạn đã hủy thanh toán" in cancelled.content.decode()
    forged = confirm(client, dossier, token[:-3] + "xyz")
    assert "không hợp lệ" in forged.content.decode()
    # A GET to the return address is not a confirmation from the demo page.
    client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/ket-qua/?t={token}&decision=pay")
    assert not Payment.objects.exists()
    # Another applicant's dossier: 404 on every payment page.
    other = client_for(setup.lan)
    assert other.get(f"/nop-ho-so/{dossier.code}/thanh-toan/").status_code == 404
    assert other.post(f"/nop-ho-so/{dossier.code}/thanh-toan/").status_code == 404
    assert other.get(f"/nop-ho-so/{dossier.code}/thanh-toan/thu/?t={token}").status_code == 404
    response = other.post(
        f"/nop-ho-so/{dossier.code}/thanh-toan/ket-qua/", {"t": token, "decision": "pay"}
    )
    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_a_token_of_one_dossier_does_not_pay_another(setup: Setup, settings: Any) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY = "demo"
    client = client_for(setup.mai)
    first = submitted(setup)
    client.post(f"/nop-ho-so/{setup.procedure.code}/", submission(setup, **{"tp-1": pdf()}))
    second = Dossier.objects.exclude(pk=first.pk).get()
    token = start(client, first)
    response = confirm(client, second, token)
    assert "không thuộc hồ sơ này" in response.content.decode()
    assert client.get(f"/nop-ho-so/{second.code}/thanh-toan/thu/?t={token}").status_code == 404
    assert not Payment.objects.exists()


def test_drafts_and_free_procedures_are_not_paid(setup: Setup, settings: Any) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY = "demo"
    client = client_for(setup.mai)
    client.post(f"/nop-ho-so/{setup.procedure.code}/", submission(setup, "save"))
    draft = Dossier.objects.get()
    assert "Hãy nộp hồ sơ trước khi thanh toán" in payment_refusal(draft)
    draft.delete()
    # A free procedure (the fee is frozen with the version the dossier was created under).
    setup.procedure.fee = 0
    setup.procedure.save()
    record_procedure_change(setup.procedure, before=None, source="test")
    dossier = submitted(setup)
    page = client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/").content.decode()
    assert "không thu phí, lệ phí" in page
    assert client.post(f"/nop-ho-so/{dossier.code}/thanh-toan/").status_code == 409
    confirmation = client.get(f"/nop-ho-so/{dossier.code}/da-nop/").content.decode()
    assert "Không thu" in confirmation and "Thanh toán phí, lệ phí trực tuyến" not in confirmation
    assert not Payment.objects.exists()


def test_without_a_gateway_fees_are_paid_at_the_desk(setup: Setup, settings: Any) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY = ""
    dossier = submitted(setup)
    client = client_for(setup.mai)
    assert get_gateway() is None
    page = client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/").content.decode()
    assert "nộp phí, lệ phí tại Bộ phận Một cửa" in page
    assert client.post(f"/nop-ho-so/{dossier.code}/thanh-toan/").status_code == 409
    assert client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/thu/?t=x").status_code == 404
    assert (
        "Thanh toán phí, lệ phí trực tuyến"
        not in client.get(f"/nop-ho-so/{dossier.code}/da-nop/").content.decode()
    )


class FormGateway:
    """A gateway that is reached by posting a form (as many bank gateways are)."""

    name = "form"
    method = PaymentMethod.PROVINCIAL_GATEWAY
    label = "Cổng thanh toán của tỉnh (thử)"

    def start(self, dossier: Dossier, amount: int, return_url: str) -> PaymentStart:
        return PaymentStart(
            form_action="https://pay.example/checkout",
            form_fields={"order": dossier.code or "", "amount": str(amount), "back": return_url},
        )

    def confirm(self, request: HttpRequest) -> PaymentResult:
        return PaymentResult(
            dossier_code=request.GET["order"],
            method=self.method,
            reference=request.GET["txn"],
            amount=int(request.GET["amount"]),
            paid_at=timezone.now(),
        )


def test_a_real_gateway_plugs_in_by_dotted_path(setup: Setup, settings: Any) -> None:
    settings.MOTCUA_PAYMENT_GATEWAY = "motcua.portal.tests.test_payments.FormGateway"
    gateway = get_gateway()
    assert isinstance(gateway, PaymentGateway) and not isinstance(gateway, LocalDemoGateway)
    dossier = submitted(setup)
    client = client_for(setup.mai)
    page = client.post(f"/nop-ho-so/{dossier.code}/thanh-toan/").content.decode()
    assert 'action="https://pay.example/checkout"' in page
    assert f'name="amount" value="{FEE}"' in page
    assert "/thanh-toan/ket-qua/" in page
    back = client.get(
        f"/nop-ho-so/{dossier.code}/thanh-toan/ket-qua/",
        {"order": str(dossier.code), "txn": "VNP-778899", "amount": str(FEE)},
    )
    assert back.status_code == 302
    payment = Payment.objects.get()
    assert (payment.method, payment.reference) == ("provincial_gateway", "VNP-778899")
    # The demo page does not exist with another gateway.
    assert client.get(f"/nop-ho-so/{dossier.code}/thanh-toan/thu/?t=x").status_code == 404


def test_the_gateway_setting_fails_loudly(monkeypatch: Any) -> None:
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import motcua.settings as module

    for value, production in (("not a path", False), ("demo", True)):
        monkeypatch.setenv("MOTCUA_PAYMENT_GATEWAY", value)
        monkeypatch.setenv("MOTCUA_ENV", "production" if production else "development")
        monkeypatch.setenv("MOTCUA_SECRET_KEY", "x" * 50)
        with pytest.raises(ImproperlyConfigured, match="MOTCUA_PAYMENT_GATEWAY"):
            importlib.reload(module)
    monkeypatch.delenv("MOTCUA_PAYMENT_GATEWAY")
    monkeypatch.setenv("MOTCUA_ENV", "development")
    monkeypatch.setenv("MOTCUA_IDENTITY_PROVIDERS", "password,vneid")
    with pytest.raises(ImproperlyConfigured, match="MOTCUA_IDENTITY_PROVIDERS"):
        importlib.reload(module)
    monkeypatch.delenv("MOTCUA_IDENTITY_PROVIDERS")
    importlib.reload(module)
    assert module.MOTCUA_PAYMENT_GATEWAY == "demo"
