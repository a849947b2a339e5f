"""Demo dossiers that look like today: a working day at every desk, components, assignees.

The demo is built once for the module for a past day (so that it stands at 16:00 of that day
whatever the clock says); each test runs in its own savepoint on top of it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Q

from motcua.demo.builder import build_demo
from motcua.demo.dossiers import STANDS_AT, build_dossiers, consignment_number, demo_instant
from motcua.dossiers.models import Dossier, DossierEvent, ReceivedComponent, dossier_search_text
from motcua.dossiers.timeline import timeline_of
from motcua.people.models import Membership
from motcua.procedures.models import Component
from motcua.workcalendar.engine import TZ

COUNT = 2000
TODAY = dt.date(2026, 11, 18)  # a Wednesday
AS_OF = dt.datetime.combine(TODAY, STANDS_AT, TZ)
OPEN = ("received", "in_progress", "supplement_requested")
# The desks of the demo logins (docs/demo.md): Phường Cao Lãnh, Xã Mỹ An Hưng, the centre.
LOGIN_DESKS = ("DT.29869.TTPV", "DT.30178.TTPV", "DT.HCC")


def fingerprint() -> tuple[list[Any], list[Any]]:
    """What the demo dossiers are, in a comparable form."""
    dossiers = list(
        Dossier.objects.order_by("code").values_list(
            "code",
            "procedure__code",
            "applicant_name",
            "received_at",
            "state",
            "statutory_due",
            "finished_at",
            "returned_at",
            "assignee__username",
            "assigned_at",
            "delivery",
            "postal_consignment",
            "postal_delivered_on",
        )
    )
    components = list(
        ReceivedComponent.objects.order_by("dossier__code", "order").values_list(
            "dossier__code", "order", "name", "conditional", "digitized"
        )
    )
    return dossiers, components


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[dict[str, Any]]:
    """The demo province and catalogue with COUNT dossiers up to TODAY, rolled back at the end."""
    unblock = django_db_blocker.unblock  # type: ignore[attr-defined]
    with unblock(), transaction.atomic():
        build_demo(seed=1)
        result = build_dossiers(seed=3, count=COUNT, today=TODAY)
        result["fingerprint"] = fingerprint()
        yield result
        transaction.set_rollback(True)


def local_day(instant: dt.datetime | None) -> dt.date:
    """The local day of an instant that must be there."""
    assert instant is not None
    return instant.astimezone(TZ).date()


def desk_dossiers(code: str) -> list[Dossier]:
    return list(Dossier.objects.filter(receiving_unit__code=code))


@pytest.mark.django_db
def test_the_demo_stands_at_the_afternoon_of_the_day_and_never_in_the_future() -> None:
    now = dt.datetime(2026, 12, 7, 9, 41, 27, tzinfo=TZ)
    assert demo_instant(TODAY, now=now) == AS_OF
    # Run in the morning of the day itself: the demo stands at the moment of the run.
    assert demo_instant(now.date(), now=now) == dt.datetime(2026, 12, 7, 9, 41, tzinfo=TZ)
    assert demo_instant(None, now=now) == dt.datetime(2026, 12, 7, 9, 41, tzinfo=TZ)
    evening = dt.datetime(2026, 12, 7, 19, 5, tzinfo=TZ)
    assert demo_instant(None, now=evening) == dt.datetime(2026, 12, 7, 16, 0, tzinfo=TZ)


@pytest.mark.django_db
def test_every_login_desk_received_dossiers_today_and_nothing_is_after_the_demo_instant(
    demo: dict[str, Any],
) -> None:
    assert demo["created"] == COUNT and demo["as_of"] == "18/11/2026 16:00"
    for code in LOGIN_DESKS:
        days = Counter(local_day(d.received_at) for d in desk_dossiers(code))
        assert days[TODAY] >= 1, code
        # ... and on most of the working days before (a busy desk, not a trickle).
        recent = [TODAY - dt.timedelta(days=n) for n in range(1, 8)]
        assert sum(days[day] for day in recent) >= 10, code
    latest = DossierEvent.objects.order_by("-at").values_list("at", flat=True).first()
    assert latest is not None and latest <= AS_OF
    assert not Dossier.objects.filter(
        Q(received_at__gt=AS_OF) | Q(finished_at__gt=AS_OF) | Q(returned_at__gt=AS_OF)
    ).exists()


@pytest.mark.django_db
def test_few_open_dossiers_are_overdue_and_the_queues_show_a_working_day(
    demo: dict[str, Any],
) -> None:
    communes = [
        d
        for d in Dossier.objects.filter(receiving_unit__code__endswith=".TTPV", state__in=OPEN)
        if local_day(d.received_at) > TODAY - dt.timedelta(days=400)
    ]
    overdue = [d for d in communes if d.statutory_due is not None and d.statutory_due < AS_OF]
    assert len(communes) > 100
    assert 0 < len(overdue) < 0.2 * len(communes)
    # The desks of the demo logins: work in hand, some of it due soon, little of it late.
    at_login_desks = late_at_login_desks = 0
    for code in LOGIN_DESKS:
        open_ = [d for d in desk_dossiers(code) if d.state in OPEN]
        late = [d for d in open_ if d.statutory_due is not None and d.statutory_due < AS_OF]
        soon = [
            d
            for d in open_
            if d.statutory_due is not None
            and AS_OF <= d.statutory_due < AS_OF + dt.timedelta(days=3)
        ]
        assert len(open_) >= 5, code
        assert len(late) <= len(open_) // 2, code
        assert soon, code
        at_login_desks += len(open_)
        late_at_login_desks += len(late)
    assert late_at_login_desks < 0.2 * at_login_desks
    states = Counter(
        Dossier.objects.filter(received_at__date__gte=TODAY - dt.timedelta(days=30)).values_list(
            "state", flat=True
        )
    )
    assert states["received"] and states["in_progress"] > states["received"]
    assert states["supplement_requested"] and states["resolved"] and states["returned"]


@pytest.mark.django_db
def test_dossiers_list_the_components_handed_in(demo: dict[str, Any]) -> None:
    catalogue: dict[int, list[Component]] = {}
    for component in Component.objects.all():
        catalogue.setdefault(component.procedure_id, []).append(component)
    received: dict[int, list[ReceivedComponent]] = {}
    for row in ReceivedComponent.objects.select_related("component"):
        received.setdefault(row.dossier_id, []).append(row)
    checked = conditional = 0
    for dossier in Dossier.objects.all():
        rows = sorted(received.get(dossier.pk, []), key=lambda r: r.order)
        listed = catalogue.get(dossier.procedure_id, [])
        assert {r.component_id for r in rows} >= {c.pk for c in listed if c.required}
        assert {r.component_id for r in rows} <= {c.pk for c in listed}
        assert [r.order for r in rows] == list(range(1, len(rows) + 1))
        for row in rows:
            assert row.component is not None and row.component.procedure_id == dossier.procedure_id
            assert row.name == row.component.name
            assert row.conditional == (not row.component.required)
            assert row.originals + row.certified_copies + row.copies >= 1
            if dossier.channel == "online":
                assert row.digitized
        checked += bool(rows)
        conditional += sum(r.conditional for r in rows)
    assert checked > 0.8 * COUNT and conditional > 0
    assert demo["components"] == ReceivedComponent.objects.count()


@pytest.mark.django_db
def test_open_dossiers_in_processing_are_assigned_to_officers_of_the_holding_unit(
    demo: dict[str, Any],
) -> None:
    assigned = list(
        Dossier.objects.filter(assignee__isnull=False).select_related("assignee", "current_unit")
    )
    assert assigned and demo["assigned"] == len(assigned)
    events = {e.dossier_id: e for e in DossierEvent.objects.filter(kind="dossier.assigned")}
    assert len(events) == len(assigned)
    for dossier in assigned:
        assert dossier.state in ("in_progress", "supplement_requested")
        assert dossier.received_at is not None and dossier.assigned_at is not None
        assert dossier.received_at <= dossier.assigned_at <= AS_OF
        member = Membership.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=TODAY),
            Q(valid_to__isnull=True) | Q(valid_to__gte=TODAY),
            user=dossier.assignee,
            unit=dossier.current_unit,
            role__in=["specialist", "leader"],
        )
        assert member.exists(), dossier.code
        event = events[dossier.pk]
        assert event.at == dossier.assigned_at
        # The event carries what the assignment service writes; the timeline reads the name.
        assert dossier.assignee is not None
        assert event.data["assignee"] == dossier.assignee.username
        assert event.data["assignee_name"] == dossier.assignee.full_name
        assert timeline_of([event])[0].text == f"Giao xử lý cho {dossier.assignee.full_name}"
    assert not Dossier.objects.filter(assignee__isnull=True, assigned_at__isnull=False).exists()
    # The demo's officers appear in the timeline: the desk officer receives, the leader assigns.
    at_desk = DossierEvent.objects.filter(
        kind="dossier.received", dossier__receiving_unit__code="DT.29869.TTPV"
    )
    assert at_desk.exists()
    assert set(at_desk.values_list("actor__username", "actor_name").distinct()) == {
        ("motcua.caolanh", "motcua.caolanh")
    }
    assigning = DossierEvent.objects.filter(
        kind="dossier.assigned", dossier__current_unit__code="DT.29869"
    )
    assert set(assigning.values_list("actor__username", flat=True)) == {"chutich.caolanh"}
    # At the demo commune most dossiers in processing have their officer.
    processing = Dossier.objects.filter(current_unit__code="DT.29869", state="in_progress")
    assert processing.filter(assignee__username="congchuc.caolanh").count() > (
        0.6 * processing.count()
    )


@pytest.mark.django_db
def test_returned_results_say_how_they_were_delivered(demo: dict[str, Any]) -> None:
    returned = list(Dossier.objects.filter(state="returned"))
    assert returned
    assert not Dossier.objects.exclude(state="returned").exclude(delivery="").exists()
    ways = Counter(d.delivery for d in returned)
    assert set(ways) == {"desk", "electronic", "postal"}
    assert ways["desk"] > ways["electronic"] > 0 and ways["postal"] > 0
    in_transit = 0
    for dossier in returned:
        assert dossier.returned_at is not None
        if dossier.delivery != "postal":
            assert (dossier.postal_consignment, dossier.postal_delivered_on) == ("", None)
            continue
        number = dossier.postal_consignment
        assert re.fullmatch(r"EL\d{9}VN", number), number
        assert consignment_number(int(number[2:10])) == number  # the S10 check digit holds
        if dossier.postal_delivered_on is None:
            in_transit += 1
        else:
            assert dossier.returned_at.astimezone(TZ).date() < dossier.postal_delivered_on
            assert dossier.postal_delivered_on <= TODAY
    assert in_transit < ways["postal"]


def test_consignment_numbers_follow_the_upu_check_digit() -> None:
    # The UPU S10 example RR473124829GB: 4·8+7·6+3·4+1·2+2·3+4·5+8·9+2·7 = 200,
    # 200 mod 11 = 2, 11 - 2 = 9.
    assert consignment_number(47312482) == "EL473124829VN"
    assert consignment_number(0) == "EL000000005VN"  # 11 - 0 → 5


@pytest.mark.django_db
def test_search_text_is_filled(demo: dict[str, Any]) -> None:
    for dossier in Dossier.objects.all():
        assert dossier.search_text == dossier_search_text(
            dossier.code,
            dossier.applicant_name,
            dossier.owner_name,
            dossier.applicant_phone,
            dossier.applicant_id_number,
        )
        assert dossier.search_text and dossier.search_text.isascii()


@pytest.mark.django_db
def test_the_same_seed_and_day_give_the_same_dossiers(demo: dict[str, Any]) -> None:
    Dossier.objects.all().delete()
    again = build_dossiers(seed=3, count=COUNT, today=TODAY)
    assert again["created"] == COUNT
    assert fingerprint() == demo["fingerprint"]
    Dossier.objects.all().delete()
    build_dossiers(seed=4, count=COUNT, today=TODAY)
    assert fingerprint()[0] != demo["fingerprint"][0]
    Dossier.objects.all().delete()
    later = TODAY + dt.timedelta(days=7)
    build_dossiers(seed=3, count=COUNT, today=later)
    received = Dossier.objects.values_list("received_at", flat=True)
    assert max(local_day(d) for d in received) == later
