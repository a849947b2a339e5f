"""The daily roll-up of dossier flows: kept by triggers, read by the statistics.

Every figure of statistics.md §2 over a period [S, E) whose bounds are local midnights is a
difference of prefix sums of per-day flows (X a local date, `ld` the local date of an instant,
r/f/due a dossier's receipt, finish and statutory due):

- counted stock at X (carried over at S, pending at E): ld(r) < X <= ld(f)  → +1 on ld(r),
  -1 on max(ld(r), ld(f));
- new per channel, and every outcome (early, on time, late, refused, withdrawn): flows on
  ld(r), resp. ld(f), summed over [S, E) = prefix(E) - prefix(S);
- overdue at E: ld(r) < E, ld(due) < E <= ld(f) → +1 on m = max(ld(r), ld(due)), -1 on ld(f)
  when ld(f) > m.

The flows are kept per unit (the handling unit, and separately the desk) in six nested grains
(day, week of the month, month, quarter, year, decade; `buckets`). A read sums the prefix
before E (the decades before, then at most 9 years, 3 quarters, 2 months, 4 weeks and 6 days)
and the flows of [S, E) (the same buckets where they lie inside the period, plus the days,
weeks, ... from S up to where they meet); the stock at S is the stock at E minus the
period's net inflow. So a read costs a bounded number of buckets per key — about 10 for a
Decree 09 quarter — whatever the length of the history (one more per decade).

A dossier's contribution is a pure function of its row, so database triggers keep the table
in the transaction of every write (insert, update of a counted column, delete) — services,
imports, bulk updates alike: on PostgreSQL per statement (transition tables, one set-based
upsert per statement), on SQLite per row. `rebuild()` recomputes it from the dossiers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction

from motcua.dossiers.choices import Channel, State
from motcua.lib.periods import Period
from motcua.stats.models import DossierRollup

TABLE = "stats_dossierrollup"
SOURCE = "dossiers_dossier"
KEY = ("cube", "grain", "day", "unit")
# Cubes: the same flows under two keys, the unit being the handling unit or the desk.
BY_HANDLER, BY_DESK = 0, 1
CUBES = (BY_HANDLER, BY_DESK)
# The grains every flow is added to, finest first (DossierRollup.DAY ... DECADE).
GRAINS = (
    DossierRollup.DAY,
    DossierRollup.WEEK,
    DossierRollup.MONTH,
    DossierRollup.QUARTER,
    DossierRollup.YEAR,
    DossierRollup.DECADE,
)
MEASURES = (
    "received",
    "received_online",
    "received_direct",
    "received_postal",
    "exited",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "overdue_in",
    "overdue_out",
)
# The dossier columns a contribution depends on: an update touching none of them is a no-op.
COLUMNS = (
    "received_at",
    "finished_at",
    "statutory_due",
    "state",
    "channel",
    "competent_unit_id",
    "receiving_unit_id",
)
TRIGGERS = ("stats_rollup_ins", "stats_rollup_upd", "stats_rollup_del")


def _quote(values: Iterable[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _dialect(vendor: str) -> dict[str, Any]:
    if vendor == "postgresql":
        return {
            "ld": lambda x: f"(({x}) AT TIME ZONE 'Asia/Ho_Chi_Minh')::date",
            "max": lambda a, b: f"GREATEST({a}, {b})",
            "buckets": {
                DossierRollup.DAY: lambda d: d,
                DossierRollup.WEEK: lambda d: (
                    f"(date_trunc('month', {d})::date "
                    f"+ LEAST((EXTRACT(DAY FROM {d})::int - 1) / 7, 4) * 7)"
                ),
                DossierRollup.MONTH: lambda d: f"date_trunc('month', {d})::date",
                DossierRollup.QUARTER: lambda d: f"date_trunc('quarter', {d})::date",
                DossierRollup.YEAR: lambda d: f"date_trunc('year', {d})::date",
                DossierRollup.DECADE: lambda d: (
                    f"make_date(GREATEST(EXTRACT(YEAR FROM {d})::int / 10 * 10, 1), 1, 1)"
                ),
            },
            "grains": "(VALUES "
            + ", ".join(f"({g}, {c})" for g in GRAINS for c in CUBES)
            + ") AS g(grain, cube)",
        }
    # SQLite stores instants as UTC text; Vietnam has kept UTC+7 since 1975.
    return {
        "ld": lambda x: f"date({x}, '+7 hours')",
        "max": lambda a, b: f"max({a}, {b})",
        "buckets": {
            DossierRollup.DAY: lambda d: d,
            DossierRollup.WEEK: lambda d: (
                f"date({d}, 'start of month', '+' || "
                f"(min((CAST(strftime('%d', {d}) AS INTEGER) - 1) / 7, 4) * 7) || ' days')"
            ),
            DossierRollup.MONTH: lambda d: f"date({d}, 'start of month')",
            DossierRollup.QUARTER: lambda d: (
                f"date({d}, 'start of month', '-' || "
                f"((CAST(strftime('%m', {d}) AS INTEGER) - 1) % 3) || ' months')"
            ),
            DossierRollup.YEAR: lambda d: f"date({d}, 'start of year')",
            DossierRollup.DECADE: lambda d: (
                f"printf('%04d-01-01', max(CAST(strftime('%Y', {d}) AS INTEGER) / 10 * 10, 1))"
            ),
        },
        "grains": "("
        + " UNION ALL ".join(f"SELECT {g} AS grain, {c} AS cube" for g in GRAINS for c in CUBES)
        + ") AS g",
    }


def _events(source: str, vendor: str) -> str:
    """One row per (dossier, event day) with signed measures; `source` has a `sign` column."""
    d = _dialect(vendor)
    ld, mx = d["ld"], d["max"]
    r, f, due = ld("s.received_at"), ld("s.finished_at"), ld("s.statutory_due")
    key = (
        "COALESCE(s.competent_unit_id, s.receiving_unit_id) AS handler, s.receiving_unit_id AS desk"
    )
    zero = dict.fromkeys(MEASURES, "0")

    def select(day: str, where: str, **measures: str) -> str:
        values = {**zero, **measures}
        cols = ", ".join(f"s.sign * ({values[m]}) AS {m}" for m in MEASURES)
        return f"SELECT {day} AS day, {key}, {cols} FROM {source} AS s WHERE {where}"  # noqa: S608

    resolved = f"s.state IN ({_quote([State.RESOLVED, State.RETURNED])})"
    early = f"(s.statutory_due IS NOT NULL AND {f} < {due})"
    late = "(s.statutory_due IS NOT NULL AND s.finished_at > s.statutory_due)"
    received = "s.received_at IS NOT NULL"
    finished = f"{received} AND s.finished_at IS NOT NULL"
    m = mx(r, due)
    on = "CASE WHEN {} THEN 1 ELSE 0 END"
    return " UNION ALL ".join(
        [
            select(
                r,
                received,
                received="1",
                **{
                    f"received_{c}": f"CASE WHEN s.channel = '{c}' THEN 1 ELSE 0 END"
                    for c in (Channel.ONLINE, Channel.DIRECT, Channel.POSTAL)
                },
            ),
            select(
                f,
                finished,
                exited=f"CASE WHEN {f} >= {r} THEN 1 ELSE 0 END",
                early=on.format(f"{resolved} AND {early}"),
                late=on.format(f"{resolved} AND {late}"),
                on_time=on.format(f"{resolved} AND NOT {early} AND NOT {late}"),
                refused=on.format(f"s.state = '{State.REFUSED}'"),
                withdrawn=on.format(f"s.state IN ({_quote([State.WITHDRAWN, State.STOPPED])})"),
            ),
            # A finish before the receipt (never written by the services) leaves the stock
            # on the day of the receipt.
            select(r, f"{finished} AND {f} < {r}", exited="1"),
            select(
                m,
                f"{received} AND s.statutory_due IS NOT NULL "
                f"AND (s.finished_at IS NULL OR {f} > {m})",
                overdue_in="1",
            ),
            select(
                f,
                f"{finished} AND s.statutory_due IS NOT NULL AND {f} > {m}",
                overdue_out="1",
            ),
        ]
    )


def upsert_sql(source: str, vendor: str) -> str:
    """Add the contributions of the rows of `source` (with a `sign` column) to the roll-up.

    The events are summed per (day, handler, desk) first, then spread over the
    grains and cubes and summed again: a rebuild groups few rows twice, not many once.
    """
    d = _dialect(vendor)
    bucket = (
        "CASE g.grain "
        + " ".join(f"WHEN {g} THEN {d['buckets'][g]('e.day')}" for g in GRAINS)
        + " END"
    )
    # Integer sums: SUM of a bigint is a numeric, ten times slower to add up again.
    inner = ", ".join(f"CAST(SUM(x.{m}) AS integer) AS {m}" for m in MEASURES)
    sums = ", ".join(f"SUM(e.{m})" for m in MEASURES)
    nonzero = " OR ".join(f"SUM(e.{m}) <> 0" for m in MEASURES)
    keys = ", ".join(KEY)
    group = (
        f"g.cube, g.grain, {bucket}, CASE WHEN g.cube = {BY_HANDLER} THEN e.handler ELSE e.desk END"
    )
    update = ", ".join(f"{m} = {TABLE}.{m} + excluded.{m}" for m in MEASURES)
    return (
        f"INSERT INTO {TABLE} ({keys}, {', '.join(MEASURES)}) "  # noqa: S608 (constants)
        f"SELECT {group}, {sums} FROM ("
        f"SELECT x.day, x.handler, x.desk, {inner} "
        f"FROM ({_events(source, vendor)}) AS x GROUP BY x.day, x.handler, x.desk"
        f") AS e CROSS JOIN {d['grains']} "
        f"WHERE 1 = 1 GROUP BY {group} HAVING {nonzero} ORDER BY {group} "
        f"ON CONFLICT ({keys}) DO UPDATE SET {update}"
    )


def _rows(alias: str, sign: int) -> str:
    cols = ", ".join(f"{alias}.{c}" for c in COLUMNS)
    return f"SELECT {sign} AS sign, {cols} FROM"


def trigger_sql(vendor: str) -> list[str]:
    """The statements that install the triggers (PostgreSQL or SQLite)."""
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in COLUMNS)
    if vendor == "postgresql":
        both = f"old_rows AS o JOIN new_rows AS n ON n.id = o.id WHERE {changed}"
        bodies = {
            "ins": (
                "INSERT",
                "REFERENCING NEW TABLE AS new_rows",
                f"({_rows('n', 1)} new_rows AS n)",
            ),
            "upd": (
                "UPDATE",
                "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
                f"({_rows('o', -1)} {both} UNION ALL {_rows('n', 1)} {both})",
            ),
            "del": (
                "DELETE",
                "REFERENCING OLD TABLE AS old_rows",
                f"({_rows('o', -1)} old_rows AS o)",
            ),
        }
        # A read sums a few thousand index rows: starting parallel workers costs more.
        statements = [f"ALTER TABLE {TABLE} SET (parallel_workers = 0)"]
        for name, (event, referencing, source) in bodies.items():
            function = f"stats_rollup_{name}"
            statements += [
                # A bulk load's statement groups its flows in memory, not in sorted temp files
                # (external sorts: 2.5 s more per 100,000 dossiers).
                f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql "
                "SET work_mem = '64MB' AS $$ "
                f"BEGIN {upsert_sql(source, vendor)}; RETURN NULL; END $$",
                # The trigger only names the function (replaced above); it is created once,
                # and fires also under session_replication_role = replica, which bulk loads
                # use to skip the foreign keys' row checks (motcua.lib.bulkload). Touching an
                # existing trigger is avoided: ALTER TABLE fails in a transaction that still
                # holds deferred checks of the table (a rebuild after writes).
                f"DO $do$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = "  # noqa: S608
                f"'{SOURCE}'::regclass AND tgname = '{function}') THEN "
                f"CREATE TRIGGER {function} AFTER {event} ON {SOURCE} {referencing} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {function}(); END IF; "
                f"IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = '{SOURCE}'::regclass "
                f"AND tgname = '{function}' AND tgenabled <> 'A') THEN "
                f"ALTER TABLE {SOURCE} ENABLE ALWAYS TRIGGER {function}; END IF; END $do$",
            ]
        return statements
    if vendor != "sqlite":
        raise NotImplementedError(vendor)

    def row(alias: str, sign: int) -> str:
        cols = ", ".join(f"{alias.upper()}.{c} AS {c}" for c in COLUMNS)
        return f"SELECT {sign} AS sign, {cols}"

    sq_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COLUMNS)
    return [
        "DROP TRIGGER IF EXISTS stats_rollup_ins",
        f"CREATE TRIGGER stats_rollup_ins AFTER INSERT ON {SOURCE} BEGIN "
        f"{upsert_sql('(' + row('new', 1) + ')', vendor)}; END",
        "DROP TRIGGER IF EXISTS stats_rollup_upd",
        f"CREATE TRIGGER stats_rollup_upd AFTER UPDATE ON {SOURCE} WHEN {sq_changed} BEGIN "
        f"{upsert_sql('(' + row('old', -1) + ' UNION ALL ' + row('new', 1) + ')', vendor)}; END",
        "DROP TRIGGER IF EXISTS stats_rollup_del",
        f"CREATE TRIGGER stats_rollup_del AFTER DELETE ON {SOURCE} BEGIN "
        f"{upsert_sql('(' + row('old', -1) + ')', vendor)}; END",
    ]


def drop_sql(vendor: str) -> list[str]:
    if vendor == "postgresql":
        return [
            s
            for name in TRIGGERS
            for s in (
                f"DROP TRIGGER IF EXISTS {name} ON {SOURCE}",
                f"DROP FUNCTION IF EXISTS {name}()",
            )
        ]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS]


def rebuild(conn: Any = None) -> int:
    """Re-install the triggers and recompute the roll-up from every dossier, in one
    transaction; the number of roll-up rows."""
    conn = conn or connection
    vendor = conn.vendor
    source = f"({_rows('x', 1)} {SOURCE} AS x)"
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        for statement in trigger_sql(vendor):
            cursor.execute(statement)
        if vendor == "postgresql":
            # Writers wait until the rebuilt table commits: no flow is lost or counted twice.
            cursor.execute(f"LOCK TABLE {SOURCE} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 (a constant)
        cursor.execute(upsert_sql(source, vendor))
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")  # noqa: S608 (a constant)
        return int(cursor.fetchone()[0])


# --- reading ---------------------------------------------------------------------------------


CHANNELS = {
    "new_online": Channel.ONLINE,
    "new_direct": Channel.DIRECT,
    "new_postal": Channel.POSTAL,
}
OUTCOMES = ("early", "on_time", "late", "refused", "withdrawn")
# Breakdowns the roll-up answers; the others (level, field, procedure) count dossier rows.
GROUPS = (None, "handling_unit")


def bucket_start(grain: int, day: dt.date) -> dt.date:
    """The first day of the bucket of `grain` holding `day` (as the triggers compute it)."""
    if grain == DossierRollup.DAY:
        return day
    if grain == DossierRollup.WEEK:
        return day.replace(day=1 + min((day.day - 1) // 7, 4) * 7)
    if grain == DossierRollup.MONTH:
        return day.replace(day=1)
    if grain == DossierRollup.QUARTER:
        return dt.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    if grain == DossierRollup.YEAR:
        return dt.date(day.year, 1, 1)
    if grain == DossierRollup.DECADE:
        return dt.date(max(day.year // 10 * 10, 1), 1, 1)
    raise ValueError(grain)


def bucket_end(grain: int, first: dt.date) -> dt.date:
    """The day after the bucket of `grain` starting on `first`."""
    if grain == DossierRollup.DAY:
        return first + dt.timedelta(days=1)
    if grain == DossierRollup.WEEK:
        if first.day < 22:
            return first + dt.timedelta(days=7)
        month_end = bucket_end(DossierRollup.MONTH, first.replace(day=1))
        if first.day == 22:  # then the 29th, if the month has one
            return min(first + dt.timedelta(days=7), month_end)
        return month_end
    if grain in (DossierRollup.MONTH, DossierRollup.QUARTER):
        months = first.month - 1 + (1 if grain == DossierRollup.MONTH else 3)
        return dt.date(first.year + months // 12, months % 12 + 1, 1)
    if grain == DossierRollup.YEAR:
        return dt.date(first.year + 1, 1, 1)
    if grain == DossierRollup.DECADE:
        return dt.date(first.year // 10 * 10 + 10, 1, 1)
    raise ValueError(grain)


def buckets(first: dt.date, bound: dt.date) -> list[tuple[int, dt.date]]:
    """The fewest buckets (grain, first day) that cover the days [first, bound) exactly.

    From `first` on, each step takes the coarsest bucket that starts there and ends by
    `bound`: 6 days at most to a week, 4 weeks to a month, 2 months to a quarter, 3 quarters
    to a year, 9 years to a decade, then the same downwards to `bound`.
    """
    coarsest_first = tuple(reversed(GRAINS))
    result = []
    day = first
    while day < bound:
        for grain in coarsest_first:
            end = bucket_end(grain, day)
            if bucket_start(grain, day) == day and end <= bound:
                result.append((grain, day))
                day = end
                break
    return result


def read_plan(period: Period) -> tuple[dt.date, list[tuple[str, int, dt.date | None, dt.date]]]:
    """The index ranges a read sums: (tag, grain, first bucket or None, bucket bound).

    Tag "e": buckets of the prefix before E only (before the period); "f": buckets of the
    period's flows only; "b": both. The prefix before E is every decade before the decade of
    S (one open range, tag "e"), then the fewest buckets up to E; the flows are the fewest
    buckets of [S, E). Returns the decade bound of the open range too (for the tests).
    """
    start, end = period.first, period.last + dt.timedelta(days=1)
    origin = bucket_start(DossierRollup.DECADE, start)
    prefix = buckets(origin, end)
    flows = buckets(start, end)
    shared = set(prefix) & set(flows)
    tagged = sorted(
        [(("b" if b in shared else "e"), *b) for b in prefix]
        + [("f", *b) for b in flows if b not in shared],
        key=lambda t: (t[1], t[2]),
    )
    ranges: list[tuple[str, int, dt.date | None, dt.date]] = [
        ("e", DossierRollup.DECADE, None, origin)
    ]
    for tag, grain, first in tagged:  # consecutive buckets of a grain and tag: one range
        last = ranges[-1]
        if last[0] == tag and last[1] == grain and last[3] == first:
            ranges[-1] = (tag, grain, last[2], bucket_end(grain, first))
        else:
            ranges.append((tag, grain, first, bucket_end(grain, first)))
    return origin, ranges


def rollup_counts(
    units: Iterable[int],
    view: str,
    period: Period,
    group_by: str | None = None,
) -> list[dict[str, Any]]:
    """The rows of `classification.counts` for dossiers handled by (or, view "desk", received
    at) `units`, read from the roll-up. `group_by`: None or `handling_unit`.

    One query: the buckets of `read_plan` as index ranges (one bitmap scan of the key's
    index on PostgreSQL, never parallel: the table has `parallel_workers = 0`), summed per
    bucket (and unit); each bucket is then added to its tag's sums. The prefix before E is
    "e" + "b", the period's flows "f" + "b", the stock at S the stock at E minus the flows.
    """
    from motcua.stats.selectors import DESK_VIEW

    if group_by not in GROUPS:
        raise ValueError(group_by)
    cube = BY_DESK if view == DESK_VIEW else BY_HANDLER
    ids = sorted(set(units))
    if not ids:
        return [] if group_by else [dict.fromkeys(LEAF_NAMES, 0)]
    by_unit = group_by == "handling_unit"
    ranges = read_plan(period)[1]
    conditions: list[str] = []
    params: list[Any] = []
    for _, grain, first, bound in ranges:  # each range a search of the key's index
        lower = "" if first is None else " AND day >= %s"
        conditions.append(f"(cube = %s AND grain = %s{lower} AND day < %s)")
        params += [cube, grain, *([first] if first else []), bound]
    # `unit + 0`: the units filter the rows found by the (cube, grain, day) ranges; as an index
    # condition on the key's last column a list of 1,000 units costs 1,000 index descents.
    # `integer[]`: psycopg sends small numbers as smallint[], and PostgreSQL hashes the list
    # only when both sides have the same type (else it compares each row with every unit).
    if connection.vendor == "postgresql":
        in_units = "unit + 0 = ANY(%s::integer[])"
        params.append(ids)
    else:
        in_units = f"+unit IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    select = "grain, day"
    if by_unit:  # a row per unit and tag: the tag of each bucket in SQL
        cases, case_params = [], []
        for tag, grain, first, bound in ranges:
            lower = "" if first is None else " AND day >= %s"
            cases.append(f"WHEN grain = %s{lower} AND day < %s THEN '{tag}'")
            case_params += [grain, *([first] if first else []), bound]
        select = f"unit, CASE {' '.join(cases)} END AS tag"
        params = case_params + params
    sql = (
        f"SELECT {select}, {', '.join(f'SUM({m})' for m in MEASURES)} "  # noqa: S608
        f"FROM {TABLE} WHERE ({' OR '.join(conditions)}) AND {in_units} "
        f"GROUP BY {'unit, tag' if by_unit else select}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    tag_of: dict[tuple[int, Any], str] = {}  # bucket → tag (ranges of a grain are disjoint)
    vectors: dict[tuple[Any, str], list[int]] = {}  # (unit or None, tag) → MEASURES' sums
    for row in rows:
        bucket = (row[0], row[1])
        found: str | None = row[1] if by_unit else tag_of.get(bucket)
        if found is None:
            grain, day = bucket
            if isinstance(day, str):  # SQLite returns the dates of a raw query as text
                day = dt.date.fromisoformat(day)
            found = tag_of[bucket] = next(
                t
                for t, g, first, bound in ranges
                if g == grain and (first is None or first <= day) and day < bound
            )
        key = (row[0] if by_unit else None, found)
        values = [int(v or 0) for v in row[2:]]
        vector = vectors.get(key)
        if vector is not None:
            values = [a + b for a, b in zip(vector, values, strict=True)]
        vectors[key] = values
    sums: dict[Any, dict[str, int]] = {}
    for (unit_key, tag), vector in vectors.items():
        acc = sums.setdefault(unit_key, {})
        for side in "ef" if tag == "b" else tag:  # "b" counts on both sides
            for name, value in zip(MEASURES, vector, strict=True):
                acc[f"{name}_{side}"] = acc.get(f"{name}_{side}", 0) + value
    result = []
    for key in sorted(sums, key=lambda k: (k is None, k or 0)):
        leaves = _leaves(sums[key])
        if group_by is None:
            return [leaves]
        if any(leaves.values()):
            result.append({group_by: key, **leaves})
    return result if group_by else [dict.fromkeys(LEAF_NAMES, 0)]


LEAF_NAMES = (
    "carried_over",
    *CHANNELS,
    *OUTCOMES,
    "within_deadline",
    "overdue",
)


def _leaves(acc: dict[str, int]) -> dict[str, int]:
    def get(name: str) -> int:
        return acc.get(name, 0)

    # "_e": sums before E; "_f": flows of [S, E). Stock at S = stock at E - the net inflow.
    pending = get("received_e") - get("exited_e")
    carried = pending - (get("received_f") - get("exited_f"))
    overdue = get("overdue_in_e") - get("overdue_out_e")
    return {
        "carried_over": carried,
        **{leaf: get(f"received_{channel}_f") for leaf, channel in CHANNELS.items()},
        **{o: get(f"{o}_f") for o in OUTCOMES},
        "within_deadline": pending - overdue,
        "overdue": overdue,
    }


def enabled() -> bool:
    """Whether the statistics read the roll-up (setting `MOTCUA_STATS_ROLLUP`, default on);
    off, every figure is counted from the dossier rows (the oracle the tests compare with)."""
    from django.conf import settings

    return bool(getattr(settings, "MOTCUA_STATS_ROLLUP", True))


def merge(
    rows: list[dict[str, Any]], more: list[dict[str, Any]], group_by: str | None
) -> list[dict[str, Any]]:
    """Add two lists of `counts` rows (disjoint sets of dossiers) key by key."""
    from motcua.stats.classification import LEAVES

    if group_by is None:
        return [
            {leaf: int(rows[0].get(leaf) or 0) + int(more[0].get(leaf) or 0) for leaf in LEAVES}
        ]
    result: dict[Any, dict[str, Any]] = {}
    for row in [*rows, *more]:
        key = row[group_by]
        if key in result:
            for leaf in LEAVES:
                result[key][leaf] = int(result[key][leaf] or 0) + int(row.get(leaf) or 0)
        else:
            result[key] = dict(row)
    nulls_first = connection.vendor == "sqlite"
    order = sorted(result, key=lambda k: ((k is None) != nulls_first, k if k is not None else 0))
    return [result[k] for k in order]


def scope_counts(
    scope: Any,
    view: str,
    period: Period,
    group_by: str | None = None,
    *,
    exclude: Iterable[int] = (),
) -> list[dict[str, Any]]:
    """`counts(counted_dossiers(scope, view).exclude(handling_unit__in=exclude), ...)`, exact,
    the whole units from the roll-up and split units (decided per dossier by the unit holding
    its file, which the roll-up does not key) from the dossier rows."""
    from motcua.stats.classification import counts
    from motcua.stats.selectors import counted_dossiers
    from motcua.stats.succession import dossier_q

    skip = frozenset(exclude)
    splits = tuple(scope.splits)
    split_units = frozenset(u for s in splits for u in s.handlers)
    if not enabled() or group_by not in GROUPS:
        queryset = counted_dossiers(scope, view)
        if skip:
            queryset = queryset.exclude(handling_unit__in=list(skip))  # type: ignore[misc]
        return counts(queryset, period, group_by)
    rows = rollup_counts(scope.ids - split_units - skip, view, period, group_by)
    if splits:
        from motcua.stats.selectors import DESK_VIEW, handled_dossiers, received_dossiers

        base = received_dossiers() if view == DESK_VIEW else handled_dossiers()
        split_rows = base.filter(dossier_q(frozenset(), splits))
        if skip:
            split_rows = split_rows.exclude(handling_unit__in=list(skip))  # type: ignore[misc]
        rows = merge(rows, counts(split_rows, period, group_by), group_by)
    return rows
