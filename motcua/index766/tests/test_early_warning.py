"""Early warning: the dossiers that turn late within N working hours, the points their unit
loses this month, and the warning ladder that fires once per (dossier, rung, due instant)."""

from __future__ import annotations

import time
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from motcua.conftest import Province, make_user, run_in_threads
from motcua.dossiers import services
from motcua.dossiers.assignment import assign_dossier
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.factories import APPLICANT, local, make_procedure
from motcua.index766.choices import WarningRung
from motcua.index766.early import at_risk, officer_at_risk, points_lost, risk_by_unit
from motcua.index766.jobs import TOPIC, rungs_for, send_warnings
from motcua.index766.models import EarlyWarning
from motcua.notices.models import Notice
from motcua.people.choices import Role

R = WarningRung
# Received Mon 03/03/2025 09:00 with 10 working days: due Mon 17/03/2025 09:00.
DUE = local(2025, 3, 17, 9)
SIX_HOURS_LEFT = local(2025, 3, 14, 11)  # 360 working minutes before DUE
THREE_HOURS_LEFT = local(2025, 3, 14, 16)  # 180
EIGHT_HOURS_ONE_MINUTE = local(2025, 3, 14, 8, 59)  # 481


@pytest.fixture
def staff(province: Province) -> dict[str, Any]:
    p = province
    return {
        "desk": make_user("desk", (p.commune_a, Role.ONE_STOP_OFFICER), email="desk@c1.vn"),
        "spec": make_user("spec", (p.commune_a, Role.SPECIALIST), email="spec@c1.vn"),
        "spec2": make_user("spec2", (p.commune_a, Role.SPECIALIST), email="spec2@c1.vn"),
        "lead": make_user("lead", (p.commune_a, Role.LEADER), email="lead@c1.vn"),
        "other": make_user("other", (p.commune_b, Role.SPECIALIST), email="other@c2.vn"),
    }


@pytest.fixture
def procedure(province: Province) -> Any:
    return make_procedure(units=[province.commune_a])


def received(
    province: Province, staff: dict, procedure: Any, at: Any, assignee: str = ""
) -> Dossier:
    dossier = services.receive_dossier(
        actor=staff["desk"],
        procedure=procedure,
        receiving_unit=province.commune_a,
        applicant=APPLICANT,
        at=at,
    )
    dossier = services.transfer_dossier(
        dossier=dossier, actor=staff["desk"], to_unit=province.commune_a, at=at
    )
    if assignee:
        dossier = assign_dossier(
            dossier=dossier, assignee=staff[assignee], actor=staff["lead"], at=at
        )
    return dossier


@pytest.fixture
def month(province: Province, staff: dict, procedure: Any) -> dict[str, Dossier]:
    """Four dossiers counted in March 2025 at C1; `soon` is due Mon 17/03 09:00."""
    return {
        "soon": received(province, staff, procedure, local(2025, 3, 3, 9), assignee="spec"),
        "later": received(province, staff, procedure, local(2025, 3, 10, 9)),
        "april": received(province, staff, procedure, local(2025, 3, 20, 9)),
        "other": received(province, staff, procedure, local(2025, 3, 12, 9)),
    }


@pytest.mark.parametrize(
    ("k", "d", "points"),
    [
        (1, 4, "5.00"),
        (1, 3, "6.67"),
        (2, 3, "13.33"),
        (1, 800, "0.03"),  # 0.025 rounds half up, not to even
        (1, 8000, "0.00"),
        (3, 0, "0.00"),  # a zero denominator: nothing to lose
        (0, 10, "0.00"),
        (7, 7, "20.00"),
    ],
)
def test_points_lost_are_20_k_over_d_rounded_half_up(k: int, d: int, points: str) -> None:
    assert points_lost(k, d) == Decimal(points)


def test_a_dossier_is_at_risk_within_n_working_hours_of_its_due(month: dict) -> None:
    soon = month["soon"]
    assert soon.statutory_due == DUE
    rows = at_risk(Dossier.objects.all(), now=SIX_HOURS_LEFT, hours=8)
    assert [(r.dossier.pk, r.minutes_left) for r in rows] == [(soon.pk, 360)]
    assert rows[0].left_text == "còn 6 giờ làm việc"
    assert at_risk(Dossier.objects.all(), now=SIX_HOURS_LEFT, hours=5) == []
    assert at_risk(Dossier.objects.all(), now=EIGHT_HOURS_ONE_MINUTE, hours=8) == []
    # Once the due instant has passed it is late, no longer "at risk".
    assert at_risk(Dossier.objects.all(), now=local(2025, 3, 17, 9, 1), hours=8) == []


def test_paused_and_finished_dossiers_are_not_at_risk(month: dict, staff: dict) -> None:
    services.request_supplement(
        dossier=month["soon"],
        actor=staff["spec"],
        items=["A"],
        reason="Thiếu",
        at=local(2025, 3, 13, 9),
    )
    assert at_risk(Dossier.objects.all(), now=SIX_HOURS_LEFT, hours=8) == []


def test_the_unit_loses_20_k_over_d_points_this_month(month: dict, province: Province) -> None:
    # From Mon 17/03 08:00 the 17/03 09:00 dossier has 1 working hour left, the 24/03 09:00
    # one 41, the 26/03 09:00 one 57.
    now = local(2025, 3, 17, 8)
    rows = at_risk(Dossier.objects.all(), now=now, hours=45)
    assert {r.dossier.pk for r in rows} == {month["soon"].pk, month["later"].pk}
    (group,) = risk_by_unit(rows, now=now)
    assert group.unit == province.commune_a
    assert group.denominator == 4  # every dossier counted in March 2025 at C1
    assert group.counted == 2
    assert group.points == Decimal("10.00")  # 20 × 2 ÷ 4


def test_a_dossier_due_next_month_costs_nothing_this_month(month: dict) -> None:
    # The "april" dossier (received 20/03, 10 working days) is due Thu 03/04 09:00.
    april = Dossier.objects.get(pk=month["april"].pk)
    now = local(2025, 3, 31, 16)
    rows = [r for r in at_risk(Dossier.objects.all(), now=now, hours=40) if r.dossier == april]
    assert len(rows) == 1 and not rows[0].counts_this_month
    (group,) = risk_by_unit(rows, now=now)
    assert group.counted == 0 and group.points == Decimal("0.00")


def test_the_officer_sees_only_the_dossiers_assigned_to_them(month: dict, staff: dict) -> None:
    assert [r.dossier.pk for r in officer_at_risk(staff["spec"], now=SIX_HOURS_LEFT)] == [
        month["soon"].pk
    ]
    assert officer_at_risk(staff["spec2"], now=SIX_HOURS_LEFT) == []
    assert officer_at_risk(staff["other"], now=SIX_HOURS_LEFT) == []


def test_rungs() -> None:
    assert rungs_for(481, 8) == []
    assert rungs_for(480, 8) == [R.HANDLER]
    assert rungs_for(241, 8) == [R.HANDLER]
    assert rungs_for(240, 8) == [R.HANDLER, R.LEADER]
    assert rungs_for(0, 8) == []


def fired(dossier: Dossier) -> list[tuple[str, list[str]]]:
    return [
        (w.rung, [p["username"] for p in w.recipients])
        for w in EarlyWarning.objects.filter(dossier=dossier).order_by("fired_at", "id")
    ]


def test_each_rung_fires_once_through_the_notices_outbox(month: dict) -> None:
    soon = month["soon"]
    report = send_warnings(now=SIX_HOURS_LEFT, hours=8)
    assert (report.at_risk, report.fired, report.notices) == (1, 1, 1)
    assert fired(soon) == [(R.HANDLER, ["spec"])]
    notice = Notice.objects.get(topic=TOPIC)
    assert notice.reference == soon.code and notice.recipient == "s***@c1.vn"
    assert notice.subject == f"Hồ sơ {soon.code} sắp quá hạn giải quyết (T2 17/03/2025 09:00)"
    assert "mất 5.00 điểm tiến độ" in notice.body  # 20 × 1 ÷ 4
    # Running again, or an hour later, sends nothing new.
    assert send_warnings(now=SIX_HOURS_LEFT, hours=8).fired == 0
    assert send_warnings(now=local(2025, 3, 14, 13, 45), hours=8).fired == 0
    # Within N ÷ 2 hours the leaders are told, once, with the unit's points at risk.
    report = send_warnings(now=THREE_HOURS_LEFT, hours=8)
    assert report.fired == 1
    assert fired(soon) == [(R.HANDLER, ["spec"]), (R.LEADER, ["lead"])]
    leader = EarlyWarning.objects.get(dossier=soon, rung=R.LEADER)
    assert leader.points_at_risk == Decimal("5.00")
    assert send_warnings(now=THREE_HOURS_LEFT, hours=8).fired == 0
    assert Notice.objects.filter(topic=TOPIC).count() == 2


def test_an_unassigned_dossier_warns_the_units_specialists(month: dict) -> None:
    # At 22/03 the "later" dossier (due Mon 24/03 09:00) is unassigned.
    send_warnings(now=local(2025, 3, 21, 11), hours=8)
    assert fired(month["later"]) == [(R.HANDLER, ["spec", "spec2"])]


def test_a_new_due_instant_rearms_the_ladder(month: dict) -> None:
    soon = month["soon"]
    send_warnings(now=SIX_HOURS_LEFT, hours=8)
    Dossier.objects.filter(pk=soon.pk).update(statutory_due=local(2025, 3, 17, 10))
    assert send_warnings(now=SIX_HOURS_LEFT, hours=8).fired == 1
    assert EarlyWarning.objects.filter(dossier=soon, rung=R.HANDLER).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_warning_once(month: dict) -> None:
    def work(_i: int) -> int:
        for _attempt in range(60):
            try:
                return send_warnings(now=THREE_HOURS_LEFT, hours=8).fired
            except Exception as exc:
                # The in-memory SQLite test database answers "table is locked" instead of
                # waiting; PostgreSQL waits. The job is safe to run again.
                if "locked" not in str(exc):
                    raise
                time.sleep(0.05)
        raise AssertionError("could not write")

    results = run_in_threads(2, work)
    assert all(isinstance(r, int) for r in results), results
    # A worker retried after "locked" does not count what its first attempt sent.
    assert 1 <= sum(results) <= 2
    assert EarlyWarning.objects.count() == 2
    assert Notice.objects.filter(topic=TOPIC).count() == 2
    assert sorted(Notice.objects.filter(topic=TOPIC).values_list("recipient", flat=True)) == [
        "l***@c1.vn",
        "s***@c1.vn",
    ]


def test_the_command_sends_once_and_checks_its_arguments(month: dict) -> None:
    out = StringIO()
    call_command("index", "warn", "--hours", "8", "--today", "2025-03-14T11:00", stdout=out)
    assert out.getvalue().strip() == "1 hồ sơ sắp quá hạn; đã gửi 1 cảnh báo (1 thư)"
    out = StringIO()
    call_command("index", "warn", "--hours", "8", "--today", "2025-03-14T11:00", stdout=out)
    assert out.getvalue().strip() == "1 hồ sơ sắp quá hạn; đã gửi 0 cảnh báo (0 thư)"
    for bad in (["--hours", "0"], ["--hours", "tám"], ["--today", "14/03/2025"]):
        with pytest.raises(SystemExit) as exit_info:
            call_command("index", "warn", *bad, stderr=StringIO())
        assert exit_info.value.code == 2
    assert EarlyWarning.objects.count() == 1
