"""Idempotent writes: a request sent twice (double click, retry, back button) acts once.

Two doors, one store (`motcua.audit.idempotency`):

- API: `IdempotentWritesMixin` (in the base viewset) honours an `Idempotency-Key` header on
  every unsafe method. The first request's status, body and Location are kept with (user,
  key, method, path, sha256 of the body); a repeat with the same body gets them back with
  `Idempotent-Replayed: true` without running the service; the same key with another body
  is a 422; a repeat while the first still runs is a 409. Keys live 24 h
  (`MOTCUA_IDEMPOTENCY_TTL_HOURS`).
- HTML forms: `{% load idempotency %}{% form_token %}` puts a one-time token in the form;
  `@once_per_form_token` on the view redirects a second POST of the same token to where the
  first one led, with the message "Yêu cầu này đã được thực hiện".
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from typing import Any, NoReturn

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from motcua.audit.idempotency import (
    KeyInProgress,
    KeyReused,
    claim_key,
    complete_key,
    release_key,
)
from motcua.audit.models import IdempotencyKey
from motcua.lib.apischema import AutoSchema

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 200
FORM_FIELD = "form_token"
DONE_MESSAGE = _("Yêu cầu này đã được thực hiện.")
# How long a repeated form waits for the first submission to finish before giving up.
FORM_WAIT_SECONDS = 10.0


# -- the API -----------------------------------------------------------------------------------


class KeyReusedError(APIException):
    """422: the key was already used for a different request."""

    status_code = 422
    default_detail = _(
        "Khoá Idempotency-Key này đã được dùng cho một yêu cầu khác (khác nội dung hoặc địa chỉ). "
        "Hãy dùng một khoá mới cho mỗi yêu cầu mới."
    )
    default_code = "idempotency_key_reused"


class KeyInProgressError(APIException):
    """409: the first request with this key has not finished yet."""

    status_code = 409
    default_detail = _(
        "Yêu cầu đầu tiên với khoá Idempotency-Key này đang được xử lý; hãy thử lại sau ít giây."
    )
    default_code = "idempotency_key_in_progress"


class _Replay(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__("replay")
        self.response = response


def request_fingerprint(request: Request) -> str:
    """sha256 of what the request asks for: method, path, query and body.

    Multipart bodies are hashed from their parsed fields and file contents (the raw body of a
    large upload is never read into memory twice).
    """
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.get_full_path()}\n".encode())
    content_type = request.content_type or ""
    if content_type.startswith("multipart/"):
        data: Any = request.data
        for name in sorted(data.keys()):
            for value in data.getlist(name):
                if hasattr(value, "chunks"):
                    digest.update(f"{name}=file:{value.name}:{value.size}:".encode())
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(f"{name}={value}\n".encode())
    else:
        digest.update(request._request.body)
    return digest.hexdigest()


def _valid_key(raw: str) -> str:
    key = raw.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        raise ValidationError(
            {
                HEADER: [
                    gettext(
                        "Khoá Idempotency-Key phải gồm 1 đến %(n)s ký tự ASCII in được "
                        "(nên dùng một UUID)."
                    )
                    % {"n": MAX_KEY_LENGTH}
                ]
            }
        )
    return key


def _stored_body(response: Response) -> Any:
    if response.data is None:
        return None
    return json.loads(JSONRenderer().render(response.data) or b"null")


class IdempotentAutoSchema(AutoSchema):
    """The OpenAPI schema of an idempotent viewset: unsafe operations take the header."""

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters())
        if self.method.upper() in UNSAFE_METHODS:
            params.append(
                OpenApiParameter(
                    HEADER,
                    str,
                    location=OpenApiParameter.HEADER,
                    required=False,
                    description=(
                        "Khoá chống gửi trùng (nên là một UUID mới cho mỗi thao tác). Gửi lại "
                        "cùng khoá và cùng nội dung trong 24 giờ: nhận lại đúng câu trả lời lần "
                        "đầu (kèm header Idempotent-Replayed: true) mà thao tác không chạy lần "
                        "nữa; cùng khoá, khác nội dung: 422; lần đầu chưa xong: 409. — "
                        "Idempotency key: a repeat with the same key and body replays the first "
                        "answer; another body is 422; while the first runs, 409."
                    ),
                )
            )
        return params

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        """The operation with its 422 (the key already used for another request)."""
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and self.method.upper() in UNSAFE_METHODS:
            operation["responses"]["422"] = self.error_response(
                "422",
                "Khoá Idempotency-Key đã được dùng cho một yêu cầu khác — the key was used "
                "for another request",
            )
        return operation


class IdempotentWritesMixin:
    """Honour `Idempotency-Key` on every unsafe method of a DRF view (see the module doc)."""

    schema: Any = IdempotentAutoSchema()
    _idempotency_row: IdempotencyKey | None = None

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        self._idempotency_row = None
        raw = request.headers.get(HEADER)
        if raw is None or request.method not in UNSAFE_METHODS:
            return
        key = _valid_key(raw)
        try:
            row, replay = claim_key(
                user=request.user,
                key=key,
                method=request.method or "",
                path=request.path,
                fingerprint=request_fingerprint(request),
            )
        except KeyReused:
            raise KeyReusedError() from None
        except KeyInProgress:
            raise KeyInProgressError() from None
        if replay:
            headers = {REPLAYED_HEADER: "true"}
            if row.location:
                headers["Location"] = row.location
            raise _Replay(Response(row.body, status=row.status_code or 200, headers=headers))
        self._idempotency_row = row

    def handle_exception(self, exc: Exception) -> Any:
        if isinstance(exc, _Replay):
            return exc.response
        return super().handle_exception(exc)  # type: ignore[misc]

    def raise_uncaught_exception(self, exc: Exception) -> NoReturn:
        row, self._idempotency_row = self._idempotency_row, None
        if row is not None:
            release_key(row)
        super().raise_uncaught_exception(exc)  # type: ignore[misc]
        raise exc  # pragma: no cover - the base class always raises

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        row, self._idempotency_row = self._idempotency_row, None
        if row is None:
            return response
        if isinstance(response, Response) and response.status_code < 500:
            complete_key(
                row,
                status_code=response.status_code,
                body=_stored_body(response),
                location=response.headers.get("Location", ""),
            )
        else:
            release_key(row)
        return response


# -- HTML forms --------------------------------------------------------------------------------


def new_form_token() -> str:
    """A fresh one-time token for one rendered form."""
    return secrets.token_urlsafe(24)


def _form_key(request: HttpRequest, token: str) -> str:
    return f"form:{token[:MAX_KEY_LENGTH]}"


def _replay_form(request: HttpRequest, row: IdempotencyKey) -> HttpResponse:
    messages.info(request, str(DONE_MESSAGE))
    return redirect(row.location or request.path)


def once_per_form_token(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST carrying a `form_token` already used redirects to where its first use led.

    Only a submission that succeeded (answered with a redirect) uses the token up: a form
    sent back with errors is rendered again with a fresh token. A POST without a token is
    served as before (old pages, scripts).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        token = request.POST.get(FORM_FIELD, "") if request.method == "POST" else ""
        if not token or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = _form_key(request, token)
        deadline = time.monotonic() + FORM_WAIT_SECONDS
        while True:
            try:
                row, replay = claim_key(
                    user=request.user, key=key, method="POST", path=request.path
                )
            except KeyReused:
                # The same token posted to another form: not a repeat of that one.
                return view(request, *args, **kwargs)
            except KeyInProgress:
                if time.monotonic() > deadline:
                    return HttpResponse(
                        gettext(
                            "Yêu cầu trước đó vẫn đang được xử lý; hãy tải lại trang sau ít giây."
                        ),
                        status=409,
                        content_type="text/plain; charset=utf-8",
                    )
                time.sleep(0.2)
                continue
            break
        if replay:
            return _replay_form(request, row)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            release_key(row)
            raise
        if response.status_code in (301, 302, 303) and response.get("Location"):
            complete_key(row, status_code=response.status_code, location=response["Location"])
        else:
            release_key(row)
        return response

    return wrapper
