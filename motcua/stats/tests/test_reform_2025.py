"""Figures exact across the 2025 reform, on the official table for new Đồng Tháp (issue 12).

The units come from the national statistics office's old → new table (old Đồng Tháp and
Tiền Giang → new Đồng Tháp: 2 provinces, 23 districts, 305 old communes, 102 new communes, 3
old communes split between two new ones), imported through `motcua import units`. Dossiers
sit on old and new units before and after 01/07/2025. Every expected number is computed
here from the table's rows and the dossiers' own fields (docs/statistics.md §3), never by
calling the code under test:

- a Decree 09 quarter spanning 01/07/2025 counts every dossier exactly once at province
  level (Tiền Giang's units have other codes than the new province's);
- the 102 new communes add up to the province less what the provinces and districts handled,
  each commune with exactly its own dossiers (a split commune's once: under the successor
  holding the file, else the principal successor);
- `--as-current` keeps the old districts' dossiers, under the new province.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command

from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import TZ, make_procedure
from motcua.lib.periods import Period, parse_period
from motcua.stats.figures import Figures
from motcua.stats.selectors import dossier_statistics, dossiers_for_figure, row_dossiers_q
from motcua.units.models import Unit
from motcua.units.tests.official_table import (
    new_commune_code,
    successors,
    units_csv,
)

Q3 = parse_period("2025-Q3")  # Decree 09: 15/06/2025 – 14/09/2025, across the reform
Q2 = parse_period("2025-Q2")  # Decree 09: 15/03/2025 – 14/06/2025, the old tree only


def at(month: int, day: int, hour: int = 9) -> dt.datetime:
    """A local instant of 2025."""
    return dt.datetime(2025, month, day, hour, tzinfo=TZ)


def window(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """[F 00:00, (T + 1) 00:00) local (statistics.md §1)."""
    start = dt.datetime.combine(period.first, dt.time(0), tzinfo=TZ)
    return start, dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)


@dataclass(frozen=True)
class Made:
    """A dossier as the test wrote it: what the expectations are computed from."""

    code: str
    handler: str  # unit code of the competent unit
    held_by: str  # unit code of the unit holding the file
    received_at: dt.datetime
    finished_at: dt.datetime | None
    home: str  # today's unit it belongs to (by the table: new commune, or DT)

    def counted(self, period: Period) -> bool:
        """Statistics.md §2 rule 1."""
        start, end = window(period)
        return self.received_at < end and (self.finished_at is None or self.finished_at >= start)

    def new(self, period: Period) -> bool:
        return self.counted(period) and self.received_at >= window(period)[0]


@pytest.fixture
def reform(db: None, tmp_path: Path) -> list[Made]:
    """The official units, imported, and dossiers on them across the reform."""
    path = tmp_path / "dong-thap-2025.csv"
    path.write_text(units_csv(), encoding="utf-8")
    out = io.StringIO()
    call_command("import", "units", str(path), stdout=out)
    assert "433 created" in out.getvalue()

    units: dict[tuple[str, bool], Unit] = {
        (u.code, u.valid_to is None): u for u in Unit.objects.all()
    }

    def unit(code: str) -> Unit:
        """The version of `code` a dossier of that code sits on (old first if both)."""
        return units.get((code, False)) or units[(code, True)]

    procedure = make_procedure("1.000001", units=[], amount=10)
    version = procedure.versions.get()
    made: list[Made] = []
    objects: list[Dossier] = []

    def add(
        handler: Unit,
        received: dt.datetime,
        home: str,
        *,
        finished: dt.datetime | None = None,
        held_by: Unit | None = None,
    ) -> None:
        code = f"R-{len(made):04d}"
        holder = held_by or handler
        made.append(Made(code, handler.code, holder.code, received, finished, home))
        objects.append(
            Dossier(
                code=code,
                procedure=procedure,
                procedure_version=version,
                time_limit_amount=10,
                time_limit_unit=procedure.time_limit_unit,
                rule_version="nd118_2025" if received >= at(7, 1, 0) else "nd61_2018",
                state="resolved" if finished else "received",
                channel="direct",
                receiving_unit=handler,
                competent_unit=handler,
                current_unit=holder,
                applicant_name=f"Người nộp {len(made)}",
                submitted_at=received,
                received_at=received,
                finished_at=finished,
                statutory_due=received + dt.timedelta(days=14),
                promised_due=received + dt.timedelta(days=14),
            )
        )

    # Old communes (305): each one dossier received and resolved in the reform quarter
    # before 01/07; every 5th one an open dossier from May (carried over); every 7th one a
    # dossier finished in May (not counted in Q3, counted in Q2).
    for n, (code, targets) in enumerate(sorted(successors().items())):
        old = unit(code)
        principal = new_commune_code(targets[0].new_code)
        add(old, at(6, 20), principal, finished=at(6, 25))
        if n % 5 == 0:
            add(old, at(5, 12), principal)
        if n % 7 == 0:
            add(old, at(5, 12), principal, finished=at(5, 13))
        if len(targets) > 1:
            # A split commune: open dossiers taken over after 01/07 by each successor (held
            # there), one by the principal and two by the other one.
            for target, count in zip(targets, (1, 2), strict=True):
                new = unit(new_commune_code(target.new_code))
                for _ in range(count):
                    add(old, at(6, 23), new.code, held_by=new)
    # New communes (102): one open dossier each, received after the reform.
    for code in sorted({t.new_code for ts in successors().values() for t in ts}):
        add(unit(new_commune_code(code)), at(8, 5), new_commune_code(code))
    # Old districts (23): no successor of their own; one dossier in Q2 (finished before Q3),
    # one open in Q3.
    for district in Unit.objects.filter(level="district"):
        add(district, at(5, 20), "DT", finished=at(6, 5))
        add(district, at(6, 18), "DT")
    # The provinces themselves.
    add(units[("DT", False)], at(6, 16), "DT")
    add(units[("TG", False)], at(6, 17), "DT")
    add(units[("DT", True)], at(7, 10), "DT")
    Dossier.objects.bulk_create(objects)
    return made


def expected_by_home(made: list[Made], period: Period) -> Counter[str]:
    return Counter(d.home for d in made if d.counted(period))


def new_communes() -> list[str]:
    return sorted(
        Unit.objects.filter(level="commune", valid_from=dt.date(2025, 7, 1)).values_list(
            "code", flat=True
        )
    )


def test_the_official_table_is_what_the_tests_assume(reform: list[Made]) -> None:
    split = {code: [t.new_code for t in ts] for code, ts in successors().items() if len(ts) > 1}
    assert split == {
        "DT.870.29995": ["29992", "30154"],  # Phú Thuận B: no successor kept its code
        "DT.873.30079": ["30088", "30025"],  # Gáo Giồng
        "DT.874.30157": ["30157", "30130"],  # Tân Thạnh: the successor that kept the code
    }
    assert len(new_communes()) == 102
    assert Unit.objects.filter(level="district").count() == 23
    assert Unit.objects.filter(level="commune", valid_to=dt.date(2025, 6, 30)).count() == 305


def test_the_quarter_across_the_reform_counts_every_dossier_once(reform: list[Made]) -> None:
    counted = [d for d in reform if d.counted(Q3)]
    stats = dossier_statistics(code="DT", period=Q3)
    assert stats.total.received == len(counted) == 305 + 61 + 3 * 3 + 102 + 23 + 3
    assert stats.total.new == sum(1 for d in counted if d.new(Q3))
    assert stats.total.carried_over == 61  # the open May dossiers of every 5th old commune
    # Tiền Giang's units (other codes than the new province's) are all in.
    tg = [d for d in counted if d.handler.startswith("TG")]
    # 164 old communes, every 5th of them (sorted after Đồng Tháp's 141) with a May
    # dossier, 11 districts, the province.
    assert len(tg) == 164 + 32 + 11 + 1
    listed_tg = dossiers_for_figure(stats, "received").filter(code__in=[d.code for d in tg])
    assert listed_tg.count() == len(tg)
    listed = set(dossiers_for_figure(stats, "received").values_list("code", flat=True))
    assert listed == {d.code for d in counted}
    # The command prints the same.
    out = io.StringIO()
    call_command("stats", "dossiers", "--period", "2025-Q3", "--unit", "DT", stdout=out)
    data = json.loads(out.getvalue())
    assert data["period"] == {"from": "2025-06-15", "to": "2025-09-14"}
    assert data["received"]["total"] == len(counted)


def test_the_new_communes_add_up_to_the_province(reform: list[Made]) -> None:
    want = expected_by_home(reform, Q3)
    province = dossier_statistics(code="DT", period=Q3).total.received
    got: dict[str, int] = {}
    for code in new_communes():
        stats = dossier_statistics(code=code, period=Q3)
        got[code] = stats.total.received
        listed = set(dossiers_for_figure(stats, "received").values_list("code", flat=True))
        assert listed == {d.code for d in reform if d.counted(Q3) and d.home == code}, code
    assert got == {code: want[code] for code in new_communes()}
    # Every commune-level dossier once: the sum is the province less the provinces' and the
    # districts' own dossiers (23 districts + 3 provinces in Q3).
    assert sum(got.values()) == province - want["DT"] == province - 26
    # The split communes: the dossiers held by a successor are its own, the rest the
    # principal's (Phú Thuận B → Long Phú Thuận 29992 principal, Tân Long 30154).
    assert got["DT.30154"] == want["DT.30154"]
    held = [d for d in reform if d.handler == "DT.870.29995" and d.counted(Q3)]
    assert Counter(d.home for d in held) == {"DT.29992": 2, "DT.30154": 2}


def test_as_current_keeps_the_old_districts_dossiers(reform: list[Made]) -> None:
    for period in (Q2, Q3):
        want = expected_by_home(reform, period)
        now = dossier_statistics(code="DT", period=period, by="unit", as_current=True)
        rows = {row.key: row.figures.received for row in now.rows}
        assert rows == dict(want), period.label
        assert now.total.received == sum(1 for d in reform if d.counted(period))
        assert sum((r.figures for r in now.rows), Figures()) == now.total
        # The rows' click-through lists are exactly the row's dossiers.
        for key in ("DT", "DT.30154", "DT.29992"):
            if key not in rows:
                continue
            condition = row_dossiers_q(now, key)
            assert condition is not None
            listed = dossiers_for_figure(now, "received").filter(condition)
            codes = set(listed.values_list("code", flat=True))
            assert codes == {d.code for d in reform if d.counted(period) and d.home == key}
    # Q2, the old tree only: the districts' May dossiers are under the new province, and
    # as it was the two old provinces hold exactly what the new one holds as current.
    q2_now = dossier_statistics(code="DT", period=Q2, as_current=True).total
    q2_dt = dossier_statistics(code="DT", period=Q2).total
    q2_tg = dossier_statistics(code="TG", period=Q2).total
    assert q2_now == q2_dt + q2_tg
    assert expected_by_home(reform, Q2)["DT"] == 23
    out = io.StringIO()
    call_command(
        "stats", "dossiers", "--period", "2025-Q2", "--unit", "DT", "--as-current", stdout=out
    )
    assert json.loads(out.getvalue())["received"]["total"] == sum(
        1 for d in reform if d.counted(Q2)
    )
    # A new commune as current: its predecessors' history, a split one's once.
    for code in ("DT.30154", "DT.29992", "DT.30157", "DT.30130"):
        stats = dossier_statistics(code=code, period=Q2, as_current=True)
        assert stats.total.received == expected_by_home(reform, Q2)[code], code
