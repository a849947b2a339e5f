"""Guessing budgets in the database: one count for every worker, per key, purged windows."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.utils import timezone

from motcua.conftest import run_in_threads
from motcua.lib import ratelimit
from motcua.lib.proxies import parse_trusted_proxies
from motcua.people.models import GuessCounter

# A window so long that no test run crosses its boundary.
FOREVER = 10**9


def _hits(limit: ratelimit.Limit, who: str, n: int) -> list[bool]:
    answers = []
    for _ in range(n):
        for _attempt in range(200):
            try:
                answers.append(ratelimit.hit_key(limit, who))
                break
            except Exception as exc:
                # The in-memory SQLite test database (shared cache) answers "table is locked"
                # instead of waiting; files and PostgreSQL wait for the lock.
                if "locked" not in str(exc):
                    raise
                time.sleep(0.01)
        else:
            raise AssertionError("could not count")
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_connections_count_into_one_window() -> None:
    """Two workers (two threads, two database connections) see one count, not two."""
    limit = ratelimit.Limit("test-shared", count=30, seconds=FOREVER)
    results: list[Any] = run_in_threads(2, lambda i: _hits(limit, "client:203.0.113.7", 20))
    assert all(isinstance(r, list) for r in results), results
    allowed = [a for r in results for a in r]
    # 40 hits against a budget of 30: exactly 30 allowed, whichever worker served them.
    assert allowed.count(True) == 30 and allowed.count(False) == 10
    assert ratelimit.count(limit, "client:203.0.113.7") == 40
    assert GuessCounter.objects.get(scope="test-shared").count == 40


@pytest.mark.django_db
def test_budgets_are_per_scope_and_key_and_store_no_clear_text() -> None:
    limit = ratelimit.Limit("test-keys", count=2, seconds=FOREVER)
    assert ratelimit.hit_key(limit, "code:C1-250303-0001")
    assert ratelimit.hit_key(limit, "code:C1-250303-0001")
    assert not ratelimit.used_up(limit, "code:C1-250303-0002")
    assert ratelimit.used_up(limit, "code:C1-250303-0001")
    assert not ratelimit.hit_key(limit, "code:C1-250303-0001")
    other = ratelimit.Limit("test-other", count=2, seconds=FOREVER)
    assert ratelimit.hit_key(other, "code:C1-250303-0001")
    keys = list(GuessCounter.objects.values_list("key", flat=True))
    assert keys and not any("C1-" in k for k in keys)
    # used_up() only reads: the count did not move
    assert ratelimit.count(limit, "code:C1-250303-0002") == 0


@pytest.mark.django_db
def test_ended_windows_are_purged_when_a_new_window_begins() -> None:
    ended = GuessCounter.objects.create(
        scope="test-old", key="x" * 64, window=1, count=7, expires_at=timezone.now()
    )
    kept = GuessCounter.objects.create(
        scope="test-old",
        key="y" * 64,
        window=2,
        count=1,
        expires_at=timezone.now() + dt.timedelta(hours=1),
    )
    ratelimit.hit_key(ratelimit.Limit("test-new", count=5, seconds=60), "someone")
    assert not GuessCounter.objects.filter(pk=ended.pk).exists()
    assert GuessCounter.objects.filter(pk=kept.pk).exists()
    assert ratelimit.purge_expired(now=timezone.now() + dt.timedelta(days=1)) == 2


def test_a_malformed_trusted_proxy_is_refused() -> None:
    assert parse_trusted_proxies("") == ()
    nets = parse_trusted_proxies(" 10.0.0.1 , 192.168.0.0/16,2001:db8::/48")
    assert [str(n) for n in nets] == ["10.0.0.1/32", "192.168.0.0/16", "2001:db8::/48"]
    for bad in ("10.0.0.300", "proxy.local", "10.0.0.0/33"):
        with pytest.raises(ImproperlyConfigured, match="MOTCUA_TRUSTED_PROXIES"):
            parse_trusted_proxies(bad)


def test_a_malformed_trusted_proxy_stops_the_start_up() -> None:
    env = {**os.environ, "MOTCUA_TRUSTED_PROXIES": "10.0.0.1,nginx"}
    done = subprocess.run(
        [sys.executable, "-c", "import motcua.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr and "'nginx'" in done.stderr


def _request(remote: str, forwarded: str | None = None) -> Any:
    extra: dict[str, Any] = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings: Any) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = ()
    assert ratelimit.client_address(_request("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


def test_forwarded_for_from_an_untrusted_peer_is_a_forgery(settings: Any) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.0/8")
    # The attacker talks to the server directly and writes whatever he likes.
    assert ratelimit.client_address(_request("198.51.100.9", "10.0.0.1")) == "198.51.100.9"
    assert ratelimit.client_address(_request("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


def test_behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client(
    settings: Any,
) -> None:
    settings.MOTCUA_TRUSTED_PROXIES = parse_trusted_proxies("10.0.0.1, 10.0.1.0/24")
    # nginx appends the peer it saw; the client may have sent its own forged header before.
    assert ratelimit.client_address(_request("10.0.0.1", "203.0.113.7")) == "203.0.113.7"
    assert (
        ratelimit.client_address(_request("10.0.0.1", "6.6.6.6, 10.0.0.1, 203.0.113.7"))
        == "203.0.113.7"
    )
    # two proxies in a row (load balancer 10.0.1.5 → nginx 10.0.0.1)
    chain = "1.1.1.1, 203.0.113.8, 10.0.1.5"
    assert ratelimit.client_address(_request("10.0.0.1", chain)) == "203.0.113.8"
    # IPv6 behind the proxy is still counted per /64
    request = _request("10.0.0.1", "2001:db8:aa:bb::1")
    assert ratelimit.client_key(request) == "2001:db8:aa:bb::/64"
    # a trusted proxy that forwards nothing is itself the client
    assert ratelimit.client_address(_request("10.0.0.1")) == "10.0.0.1"
