"""The store of idempotency keys: claim, replay, reuse, expiry after the configured lifetime."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.audit.idempotency import (
    KeyInProgress,
    KeyReused,
    claim_key,
    complete_key,
    forget_expired_keys,
    release_key,
)
from motcua.audit.models import IdempotencyKey
from motcua.conftest import make_user

pytestmark = pytest.mark.django_db


def test_claim_complete_replay_and_reuse() -> None:
    user = make_user("u1")
    row, replay = claim_key(user=user, key="k", method="POST", path="/a/", fingerprint="f1")
    assert not replay
    with pytest.raises(KeyInProgress):
        claim_key(user=user, key="k", method="POST", path="/a/", fingerprint="f1")
    complete_key(row, status_code=201, body={"code": "X"}, location="/x/")
    again, replay = claim_key(user=user, key="k", method="POST", path="/a/", fingerprint="f1")
    assert replay and again.status_code == 201 and again.body == {"code": "X"}
    assert again.location == "/x/"
    with pytest.raises(KeyReused):
        claim_key(user=user, key="k", method="POST", path="/a/", fingerprint="f2")
    with pytest.raises(KeyReused):
        claim_key(user=user, key="k", method="POST", path="/b/", fingerprint="f1")


def test_released_key_may_run_again() -> None:
    user = make_user("u2")
    row, _ = claim_key(user=user, key="k", method="POST", path="/a/")
    release_key(row)
    _row, replay = claim_key(user=user, key="k", method="POST", path="/a/")
    assert not replay


def test_keys_expire_after_the_setting(settings: object) -> None:
    settings.MOTCUA_IDEMPOTENCY_TTL_HOURS = 24  # type: ignore[attr-defined]
    user = make_user("u3")
    start = timezone.now()
    row, _ = claim_key(user=user, key="k", method="POST", path="/a/", now=start)
    complete_key(row, status_code=201)
    _same, replay = claim_key(
        user=user, key="k", method="POST", path="/a/", now=start + dt.timedelta(hours=23)
    )
    assert replay
    fresh, replay = claim_key(
        user=user, key="k", method="POST", path="/a/", now=start + dt.timedelta(hours=25)
    )
    assert not replay and fresh.pk != row.pk
    old = make_user("u4")
    claim_key(user=old, key="z", method="POST", path="/a/", now=start - dt.timedelta(days=2))
    assert forget_expired_keys(now=start) == 1
    assert not IdempotencyKey.objects.filter(user=old).exists()


def test_abandoned_claim_is_taken_over() -> None:
    user = make_user("u5")
    start = timezone.now()
    claim_key(user=user, key="k", method="POST", path="/a/", now=start)
    _row, replay = claim_key(
        user=user, key="k", method="POST", path="/a/", now=start + dt.timedelta(minutes=11)
    )
    assert not replay


def test_command_forgets_expired_keys() -> None:
    import io

    from django.core.management import call_command

    user, other = make_user("u6"), make_user("u7")
    claim_key(
        user=user, key="old", method="POST", path="/a/", now=timezone.now() - dt.timedelta(days=3)
    )
    claim_key(user=other, key="new", method="POST", path="/a/")
    out = io.StringIO()
    call_command("idempotency", "forget-expired", stdout=out)
    assert "đã xoá 1 khoá" in out.getvalue()
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]


def test_a_busy_database_during_housekeeping_does_not_strand_the_claim(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Forgetting expired keys fails with "locked": the claim is still handed to the request."""
    from django.db import OperationalError

    from motcua.audit import idempotency

    def busy(**_kwargs: object) -> int:
        raise OperationalError("database table is locked")

    monkeypatch.setattr(idempotency, "forget_expired_keys", busy)
    user = make_user("u6")
    row, replay = claim_key(user=user, key="k", method="POST", path="/a/")
    assert not replay and row.pk is not None
    # The request that holds it can complete it, so a repeat replays instead of a 409.
    complete_key(row, status_code=201, body={"ok": True})
    assert claim_key(user=user, key="k", method="POST", path="/a/")[1] is True


def test_release_is_tried_again_when_the_database_is_busy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import OperationalError
    from django.db.models import QuerySet

    user = make_user("u7")
    row, _ = claim_key(user=user, key="k", method="POST", path="/a/")
    real_delete = QuerySet.delete
    calls: list[int] = []

    def flaky_delete(self: QuerySet, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database table is locked")
        return real_delete(self)

    monkeypatch.setattr(QuerySet, "delete", flaky_delete)
    release_key(row)
    monkeypatch.setattr(QuerySet, "delete", real_delete)
    assert len(calls) == 3
    assert not IdempotencyKey.objects.filter(pk=row.pk).exists()
