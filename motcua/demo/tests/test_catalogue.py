"""The demo catalogue: 1,815 real procedures shaped like Đồng Tháp, processes that add up."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.test import override_settings

from motcua.audit.models import ObjectChange
from motcua.demo import catalogue as cat
from motcua.demo.builder import build_demo
from motcua.procedures.choices import MINUTES_PER, WORKING_TIME_UNITS, TimeLimitUnit
from motcua.procedures.models import Component, Procedure, ProcedureVersion, ProcessStep
from motcua.procedures.services import procedure_content, process_problem

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: object) -> Iterator[dict[str, Any]]:
    """The demo province with its catalogue (build_demo loads it), built once and rolled back."""
    unblock = django_db_blocker.unblock  # type: ignore[attr-defined]
    with unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        yield build_demo(seed=1).catalogue
        transaction.set_rollback(True)


def state() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (Procedure, Component, ProcessStep, ProcedureVersion, ObjectChange)
    )


def test_counts_by_level_follow_the_seed_province(built: dict[str, Any], db: None) -> None:
    assert built["by_level"] == {"province": 1360, "district": 295, "commune": 160}
    assert Counter(Procedure.objects.values_list("level", flat=True)) == {
        "province": 1360,
        "district": 295,
        "commune": 160,
    }


def test_district_procedures_end_with_the_districts(built: dict[str, Any], db: None) -> None:
    district = Procedure.objects.filter(level="district")
    assert set(district.values_list("valid_to", flat=True)) == {dt.date(2025, 6, 30)}
    assert not Procedure.objects.exclude(level="district").exclude(valid_to=None).exists()
    sample = district.first()
    assert sample is not None
    units = list(sample.competent_units.all())
    assert len(units) == 12 and {u.level for u in units} == {"district"}


def test_every_procedure_is_published_and_its_process_adds_up(
    built: dict[str, Any], db: None
) -> None:
    assert not Procedure.objects.filter(published=False).exists()
    totals = dict(
        ProcessStep.objects.values("procedure_id")
        .annotate(total=Sum("budget_minutes"))
        .values_list("procedure_id", "total")
    )
    counts = Counter(ProcessStep.objects.values_list("procedure_id", flat=True))
    assert set(counts.values()) <= {3, 4}
    checked = 0
    for pk, unit, amount in Procedure.objects.values_list(
        "pk", "time_limit_unit", "time_limit_amount"
    ):
        assert pk in totals
        if unit in WORKING_TIME_UNITS:
            assert totals[pk] == (amount or 0) * MINUTES_PER[TimeLimitUnit(unit)]
            checked += 1
    assert checked > 1600
    for procedure in Procedure.objects.order_by("?")[:25]:
        assert process_problem(procedure) == ""


def test_time_limits_fees_and_online_levels_look_real(built: dict[str, Any], db: None) -> None:
    rows = list(Procedure.objects.values_list("time_limit_unit", "time_limit_amount", "fee"))
    units = Counter(unit for unit, _, _ in rows)
    working_days = [amount or 0 for unit, amount, _ in rows if unit == "working_days"]
    assert units["same_day"] >= 20 and units["calendar_days"] >= 20
    assert sum(3 <= d <= 20 for d in working_days) / len(working_days) > 0.75
    assert sum(fee == 0 for *_, fee in rows) / len(rows) > 0.6
    online = Counter(Procedure.objects.values_list("online_level", flat=True))
    assert 0.35 < (online["full"] + online["partial"]) / len(rows) < 0.65
    birth = Procedure.objects.get(code="1.001193")  # real: khai sinh, same day, cut-off 15:00
    assert birth.level == "commune" and birth.time_limit_unit == "same_day"
    assert birth.same_day_cutoff == dt.time(15, 0)
    assert birth.components.exists()


def test_justice_procedures_go_to_the_justice_department(built: dict[str, Any], db: None) -> None:
    procedure = Procedure.objects.get(code="1.002099")  # chi nhánh tổ chức hành nghề luật sư
    assert procedure.level == "province"
    codes = set(procedure.competent_units.values_list("code", "valid_from"))
    assert codes == {("DT.STP", None), ("DT.STP", dt.date(2025, 7, 1))}
    steps = list(procedure.steps.select_related("unit"))
    assert steps[0].unit is not None and steps[0].unit.code == "DT.HCC"
    assert steps[1].unit is not None and steps[1].unit.code == "DT.STP"
    components = [c.name for c in procedure.components.all()]
    assert "Quyết định thành lập chi nhánh" in components


def test_versions_hold_exactly_what_the_service_would_freeze(
    built: dict[str, Any], db: None
) -> None:
    picks = [
        *Procedure.objects.filter(level="province").order_by("code")[:5],
        *Procedure.objects.filter(level="district").order_by("code")[:3],
        *Procedure.objects.filter(level="commune").order_by("code")[:3],
    ]
    for procedure in picks:
        assert procedure.version == 1
        assert procedure.versions.get().data == procedure_content(procedure)
    assert ObjectChange.objects.filter(source="demo", action="create", object_repr__contains="—")
    assert ProcedureVersion.objects.count() == 1815


def test_names_are_nfc_with_diacritics(built: dict[str, Any], db: None) -> None:
    names = list(Procedure.objects.values_list("name", flat=True))
    assert all(unicodedata.is_normalized("NFC", n) and n == n.strip() for n in names)
    assert sum(any(ord(ch) > 127 for ch in n) for n in names) == len(names)
    assert "Thủ tục đăng ký khai sinh" in names


def test_search_ignores_diacritics_in_the_demo(built: dict[str, Any], db: None) -> None:
    assert Procedure.objects.search("dang ky khai sinh").filter(code="1.001193").exists()


def test_building_again_creates_nothing(built: dict[str, Any], db: None) -> None:
    before = state()
    result = cat.build_catalogue(seed=1)
    assert result["procedures_created"] == 0 and result["fields_created"] == 0
    assert state() == before


def test_same_seed_same_catalogue_other_seed_other_details() -> None:
    entries = cat.catalogue_entries()
    one = [cat._shape(e, 1) for e in entries]
    assert one == [cat._shape(e, 1) for e in entries]
    assert one != [cat._shape(e, 2) for e in entries]


def test_split_budget_adds_up() -> None:
    for total in (240, 480, 960, 1920, 4800, 14400):
        for steps in (3, 4):
            parts = cat.split_budget(total, steps)
            assert len(parts) == steps and sum(parts) == total and min(parts) > 0


def test_committed_files_match_the_sources(tmp_path: Path) -> None:
    # The public data sits in ../shared beside the checkout (as on CI): the distilled files
    # committed with the demo must be exactly what it gives.
    assert cat.SOURCE_DIR.is_dir(), f"{cat.SOURCE_DIR} missing: clone shared/ beside the repo"
    cat.distil(cat.SOURCE_DIR, tmp_path)
    for name in (cat.CATALOGUE_CSV, cat.COMPONENTS_CSV):
        assert (tmp_path / name).read_bytes() == (cat.DATA_DIR / name).read_bytes(), name
