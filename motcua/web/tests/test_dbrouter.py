"""The read-replica router (docs/deployment.md): counting pages read from the replica, writes
and transactions stay on the primary, nothing changes without a replica alias."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from motcua.lib import dbrouter
from motcua.lib.dbrouter import ReplicaReadsMiddleware, ReplicaRouter, replica_reads
from motcua.people.models import User


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if settings named a `replica` alias (the cluster test runs a real one)."""
    monkeypatch.setattr(dbrouter, "has_replica", lambda: True)


def test_without_a_replica_alias_every_read_uses_default() -> None:
    with replica_reads():
        assert ReplicaRouter().db_for_read(User) is None


def test_reads_go_to_the_replica_only_inside_replica_reads(with_replica: None) -> None:
    router = ReplicaRouter()
    assert router.db_for_read(User) is None
    with replica_reads():
        assert router.db_for_read(User) == "replica"
    assert router.db_for_read(User) is None


@pytest.mark.django_db(transaction=True)
def test_a_transaction_on_the_primary_keeps_its_reads(with_replica: None) -> None:
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(User) == "replica"
        with transaction.atomic():
            # A service locking rows or reading what it just wrote must see the primary.
            assert router.db_for_read(User) is None


def test_writes_and_migrations_stay_on_the_primary(with_replica: None) -> None:
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_write(User) == "default"
    assert router.allow_migrate("replica", "dossiers") is False
    assert router.allow_migrate("default", "dossiers") is True


@pytest.mark.parametrize(
    ("method", "path", "expected"),
    [
        ("GET", "/thong-ke/", True),
        ("GET", "/chi-so/", True),
        ("GET", "/chi-so-cchc/DT-SO-2025/", True),
        ("GET", "/api/v1/stats/dossiers/", True),
        ("HEAD", "/thong-ke/ho-so/", True),
        ("POST", "/thong-ke/", False),
        ("GET", "/ho-so/", False),
        ("GET", "/api/v1/dossiers/", False),
    ],
)
def test_middleware_opens_replica_reads_for_counting_pages(
    with_replica: None, method: str, path: str, expected: bool
) -> None:
    seen: list[bool] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(dbrouter.reads_go_to_replica())
        return HttpResponse("ok")

    request = RequestFactory().generic(method, path)
    ReplicaReadsMiddleware(view)(request)
    assert seen == [expected]
    assert dbrouter.reads_go_to_replica() is False  # closed again after the response
