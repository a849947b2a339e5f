"""Shared fixtures: a small province before and after the 2025 reform, and its people.

Personas (as in healthchecks' Alice/Bob/Charlie): `alice` works at commune A, `bob` at
commune B of the same district, `dana` leads district D, `olga` is in the provincial office,
`adam` administers, `ivan` inspects read-only, `nora` has no role at all.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from motcua.people.choices import Role
from motcua.people.models import Membership, User
from motcua.units.models import Unit, UnitSuccession

REFORM = dt.date(2025, 7, 1)
LAST_OLD_DAY = dt.date(2025, 6, 30)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that do not depend on the suite's database run once per CI (docs/installation.md):
    those that drive Chromium (`browser` marker or fixture) and those that start their own
    PostgreSQL cluster (`cluster`). `make gates` runs them in the SQLite run and sets
    MOTCUA_ONCE_TESTS_ELSEWHERE=1 for the PostgreSQL run, which deselects (not skips) them."""
    if os.environ.get("MOTCUA_ONCE_TESTS_ELSEWHERE") != "1":
        return

    def once(item: pytest.Item) -> bool:
        return (
            item.get_closest_marker("browser") is not None
            or item.get_closest_marker("cluster") is not None
            or "browser" in getattr(item, "fixturenames", ())
        )

    chosen = [item for item in items if not once(item)]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if once(item)])
        items[:] = chosen


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    """Tests create many users; a cheap hasher keeps them fast (never used in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _jobs_run_at_commit(settings: object) -> None:
    """Background jobs run in the test's process at commit (the immediate backend); tests of
    the queue itself set the database backend back (motcua/worker/tests)."""
    settings.TASKS = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
    }


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: rate-limit counters never leak between tests."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class Province:
    """Handles on the units of the test province."""

    old: Unit
    office: Unit
    district: Unit
    commune_a: Unit
    commune_b: Unit
    other_district: Unit
    commune_c: Unit
    new: Unit
    new_commune: Unit
    new_commune_2: Unit


def make_unit(code: str, name: str, level: str, parent: Unit | None = None, **kw: object) -> Unit:
    """Create a unit row directly (tests of the importer use the importer instead)."""
    return Unit.objects.create(code=code, name=name, level=level, parent=parent, **kw)


@pytest.fixture
def province(db: None) -> Province:
    """Old province (until 2025-06-30) with two districts, and the new two-tier province."""
    old = make_unit("DT", "Ủy ban nhân dân tỉnh Đồng Tháp", "province", valid_to=LAST_OLD_DAY)
    office = make_unit("VP", "Văn phòng Ủy ban nhân dân tỉnh", "department", old, kind="office")
    district = make_unit(
        "D1", "Ủy ban nhân dân huyện Tháp Mười", "district", old, valid_to=LAST_OLD_DAY
    )
    a = make_unit("C1", "Ủy ban nhân dân xã Mỹ An", "commune", district, valid_to=LAST_OLD_DAY)
    b = make_unit("C2", "Ủy ban nhân dân xã Mỹ Hòa", "commune", district, valid_to=LAST_OLD_DAY)
    other = make_unit("D2", "Ủy ban nhân dân huyện Lấp Vò", "district", old, valid_to=LAST_OLD_DAY)
    c = make_unit("C3", "Ủy ban nhân dân xã Bình Thành", "commune", other, valid_to=LAST_OLD_DAY)
    new = make_unit("DT", "Ủy ban nhân dân tỉnh Đồng Tháp", "province", valid_from=REFORM)
    n1 = make_unit("N1", "Ủy ban nhân dân xã Tháp Mười", "commune", new, valid_from=REFORM)
    n2 = make_unit("N2", "Ủy ban nhân dân xã Lấp Vò", "commune", new, valid_from=REFORM)
    for pred, succ in [(old, new), (a, n1), (b, n1), (c, n2)]:
        UnitSuccession.objects.create(predecessor=pred, successor=succ, effective_date=REFORM)
    return Province(old, office, district, a, b, other, c, new, n1, n2)


def make_user(username: str, *memberships: tuple[Unit, str], **kw: Any) -> User:
    """A user with the given (unit, role) memberships, password 'pw-<username>'."""
    user = User.objects.create_user(username=username, password=f"pw-{username}", **kw)
    for unit, role in memberships:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def people(province: Province) -> dict[str, User]:
    """One user per persona (see module docstring)."""
    p = province
    return {
        "alice": make_user(
            "alice", (p.commune_a, Role.ONE_STOP_OFFICER), full_name="Nguyễn Thị An"
        ),
        "bob": make_user("bob", (p.commune_b, Role.ONE_STOP_OFFICER)),
        "dana": make_user("dana", (p.district, Role.LEADER)),
        "olga": make_user("olga", (p.office, Role.PROVINCIAL_OFFICE)),
        "adam": make_user("adam", (p.new, Role.ADMINISTRATOR)),
        "ivan": make_user("ivan", (p.other_district, Role.INSPECTOR)),
        "nina": make_user("nina", (p.new_commune, Role.SPECIALIST)),
        "nora": make_user("nora"),
    }


def run_in_threads(n: int, target: Any, timeout: float = 120) -> list[Any]:
    """Run `target(i)` in `n` threads released together (two workers at once); each result,
    or the exception it raised, in order. Each thread closes its own database connection."""
    results: list[Any] = [None] * n
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # collected and asserted by the caller
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
