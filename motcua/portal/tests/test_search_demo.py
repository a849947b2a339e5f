"""Search that ranks, on the demo catalogue (1,815 real procedures): "cap ban sao" puts a
certified-copy procedure first, not bank or ship ones, on the portal and at the counter alike
(one ranking function, `procedures.search.rank_procedures`). Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from motcua.demo.builder import build_demo
from motcua.portal.tests.account_helpers import applicant
from motcua.procedures.models import Procedure
from motcua.procedures.search import desk_host, is_in_force, rank_procedures, receivable_at
from motcua.units.models import Unit

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NOT_WANTED = ("ngân hàng", "tàu biển", "tàu bay", "tín dụng")


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo province with its catalogue, built once and rolled back after the module."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        build_demo(seed=1)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(built: None, db: None) -> None:
    """Each test in a savepoint of the built demo."""


def names_on_page(html: str) -> list[str]:
    """The procedure names of the result list, in order."""
    results = html[html.index('<ul class="results">') :]
    return [unescape(n) for n in re.findall(r"<strong>([^<]+)</strong></a>", results)]


def is_certified_copy(procedure: Procedure) -> bool:
    return procedure.field is not None and procedure.field.name == "Chứng thực"


def test_cap_ban_sao_puts_a_certified_copy_first_on_the_portal(demo: None) -> None:
    html = Client().get("/thu-tuc/", {"q": "cap ban sao"}).content.decode()
    names = names_on_page(html)
    assert names, html
    first = Procedure.objects.select_related("field").get(name=names[0])
    assert is_certified_copy(first), names[:3]
    assert first.name.startswith(("Cấp bản sao", "Thủ tục cấp bản sao"))
    # Bank and ship procedures come after the words-in-order names of the copies.
    assert not any(word in names[0] for word in NOT_WANTED)
    # In force first: an expired procedure never shows without being asked for.
    today = timezone.localdate()
    shown = Procedure.objects.filter(name__in=names)
    assert all(is_in_force(p, today) for p in shown)


def test_the_expired_certified_copy_is_listed_only_on_request_and_marked(demo: None) -> None:
    copy = Procedure.objects.get(code="2.000815")
    assert not is_in_force(copy, timezone.localdate())
    client = Client()
    assert copy.name not in client.get("/thu-tuc/", {"q": "chung thuc ban sao"}).content.decode()
    asked = client.get("/thu-tuc/", {"q": "chung thuc ban sao", "het_hieu_luc": "1"})
    html = asked.content.decode()
    assert copy.name in html and "Đã hết hiệu lực" in html
    detail = client.get("/thu-tuc/2.000815/").content.decode()
    assert "Thủ tục đã hết hiệu lực từ 01/07/2025." in detail and "/nop-ho-so/" not in detail
    client.force_login(applicant("Lê Thị Hoa", email="hoa@example.vn"))
    assert client.get("/nop-ho-so/2.000815/").status_code == 404


def test_the_counter_ranks_with_the_same_function(demo: None) -> None:
    today = timezone.localdate()
    everything = rank_procedures(
        Procedure.objects.published().select_related("field"), "cap ban sao", day=today
    )
    assert is_certified_copy(everything[0])
    assert [p for p in everything if not is_in_force(p, today)] == everything[
        len(everything) - sum(not is_in_force(p, today) for p in everything) :
    ]  # the expired ones, last
    # A provincial desk receives the provincial certified copy first too.
    centre = next(
        u
        for u in Unit.objects.valid_on(today).filter(level="subunit")
        if desk_host(u).level in {"province", "department"}
        and receivable_at(Procedure.objects.all(), u, today).filter(code="2.000908").exists()
    )
    at_desk = rank_procedures(receivable_at(Procedure.objects.all(), centre, today), "cap ban sao")
    assert at_desk and is_certified_copy(Procedure.objects.get(pk=at_desk[0].pk))
    assert not any(word in at_desk[0].name for word in NOT_WANTED)
