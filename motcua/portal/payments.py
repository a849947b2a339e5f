"""Online payment of fees (phí, lệ phí): the gateway interface and the local demo gateway.

A gateway has two halves, like every online payment platform (the national portal's
payment platform, a provincial gateway, a bank):

- `start(dossier, amount, return_url) -> PaymentStart`: where to send the applicant —
  a redirect URL, or a form to post to the gateway (action and hidden fields);
- `confirm(request) -> PaymentResult`: called on `return_url` when the applicant (or the
  gateway's callback) comes back; verifies the gateway's answer (signature, amount) and
  says what was paid — or raises `PaymentError` with a Vietnamese message.

The portal then records the payment through `motcua.dossiers.services.record_payment`
(method, reference, amount, paid_at); a reference is never recorded twice.

`MOTCUA_PAYMENT_GATEWAY` selects the gateway: `demo` (the local demonstration gateway below,
refused in production), a dotted path to a class with the `PaymentGateway` shape, or empty
for no online payment (fees are then paid at the one-stop desk).
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.dossiers.choices import PaymentMethod

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from motcua.dossiers.models import Dossier

DEMO = "demo"


@dataclass(frozen=True)
class PaymentStart:
    """Where the applicant goes to pay: a redirect, or a form posted to the gateway."""

    redirect_url: str = ""
    form_action: str = ""
    form_fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PaymentResult:
    """A payment the gateway confirmed."""

    dossier_code: str
    method: str  # a PaymentMethod value
    reference: str  # the gateway's transaction reference, unique per method
    amount: int  # đồng
    paid_at: dt.datetime


class PaymentError(Exception):
    """The gateway did not confirm a payment; `message` is shown to the applicant."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@runtime_checkable
class PaymentGateway(Protocol):
    """An online payment gateway (see the module docstring)."""

    name: str
    method: str
    label: StrOrPromise

    def start(self, dossier: Dossier, amount: int, return_url: str) -> PaymentStart:
        """Begin a payment of `amount` đồng for `dossier`; come back to `return_url`."""
        ...

    def confirm(self, request: HttpRequest) -> PaymentResult:
        """The confirmed payment carried by the returning request; PaymentError otherwise."""
        ...


class LocalDemoGateway:
    """A local confirmation page that stands in for a real gateway in the demonstration.

    `start` signs the dossier code, amount, a fresh unique reference and the return URL into
    a token and sends the applicant to the portal's demo page; the page posts the token back
    to the return URL with the applicant's decision. Nothing leaves the server and no money
    moves: payments are recorded with method `demo`.
    """

    name: str = DEMO
    method: str = PaymentMethod.DEMO
    label: StrOrPromise = _("Cổng thanh toán thử (môi trường trình diễn, không trừ tiền thật)")
    salt = "motcua.portal.payments.demo"
    max_age = 30 * 60  # seconds a started payment may wait for the applicant

    def start(self, dossier: Dossier, amount: int, return_url: str) -> PaymentStart:
        """Send the applicant to the local demo page with a signed token."""
        reference = f"DEMO-{timezone.localdate():%y%m%d}-{secrets.token_hex(5).upper()}"
        token = signing.dumps(
            {"d": dossier.code, "a": amount, "r": reference, "u": return_url}, salt=self.salt
        )
        page = reverse("portal:pay_demo", args=[dossier.code])
        return PaymentStart(redirect_url=f"{page}?{urlencode({'t': token})}")

    def read(self, token: str) -> dict[str, Any]:
        """The signed details of a started payment; PaymentError if forged or expired."""
        try:
            data: dict[str, Any] = signing.loads(token, salt=self.salt, max_age=self.max_age)
        except signing.SignatureExpired:
            raise PaymentError(gettext("Phiên thanh toán đã hết hạn; hãy bắt đầu lại.")) from None
        except signing.BadSignature:
            raise PaymentError(gettext("Yêu cầu thanh toán không hợp lệ.")) from None
        return data

    def confirm(self, request: HttpRequest) -> PaymentResult:
        """The applicant's decision posted from the demo page."""
        if request.method != "POST":
            raise PaymentError(gettext("Yêu cầu thanh toán không hợp lệ."))
        data = self.read(request.POST.get("t") or "")
        if request.POST.get("decision") != "pay":
            raise PaymentError(gettext("Bạn đã hủy thanh toán; chưa có khoản nào được ghi nhận."))
        return PaymentResult(
            dossier_code=str(data["d"]),
            method=self.method,
            reference=str(data["r"]),
            amount=int(data["a"]),
            paid_at=timezone.now(),
        )


@functools.cache
def _load(path: str) -> PaymentGateway:
    gateway = import_string(path)()
    if not isinstance(gateway, PaymentGateway):
        raise ImproperlyConfigured(f"MOTCUA_PAYMENT_GATEWAY: {path} is not a payment gateway")
    return gateway


def get_gateway() -> PaymentGateway | None:
    """The configured gateway, or None when online payment is off."""
    value = settings.MOTCUA_PAYMENT_GATEWAY
    if not value:
        return None
    if value == DEMO:
        return LocalDemoGateway()
    return _load(value)
