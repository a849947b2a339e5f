"""Build the demo province: the real Đồng Tháp unit tree, successor links and demo users.

`build_demo(seed=)` is idempotent and runs in one transaction: units go through
`import_units` (which creates, updates or leaves each version alone), users and memberships
are fetched or created. The seed only changes people's names and phone numbers.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from motcua.audit.services import record_change, snapshot
from motcua.demo.tree import LAST_OLD_DAY, PROVINCE, REFORM_DAY, unit_rows
from motcua.lib.vntext import nfc
from motcua.people.choices import Role
from motcua.people.models import Membership, User
from motcua.units.choices import UnitLevel
from motcua.units.importers import ImportResult, import_units
from motcua.units.models import Unit, UnitSuccession

SOURCE = "demo"
DEMO_PASSWORD = "motcua-demo"  # noqa: S105 — published in docs/demo.md; demo data only
# Demo memberships in the old tree start here (covers the 2021 and 2023 seed reports).
OLD_MEMBERSHIPS_FROM = dt.date(2020, 1, 1)
EMAIL_DOMAIN = "demo.motcua.invalid"  # RFC 2606: never delivers


@dataclass(frozen=True)
class Post:
    """One membership of a demo account: a role in the version of `unit` in force on `on`."""

    unit: str
    role: str
    valid_from: dt.date | None
    valid_to: dt.date | None

    @property
    def on(self) -> dt.date:
        """A day inside the membership, used to pick the unit version."""
        return self.valid_from or self.valid_to or REFORM_DAY


def _old(unit: str, role: str) -> Post:
    return Post(unit, role, OLD_MEMBERSHIPS_FROM, LAST_OLD_DAY)


def _new(unit: str, role: str) -> Post:
    return Post(unit, role, REFORM_DAY, None)


@dataclass(frozen=True)
class DemoAccount:
    """A demo login and what it holds."""

    username: str
    position: str  # chức vụ, printed in the logins table
    posts: tuple[Post, ...]
    superuser: bool = False


# Usernames and posts are fixed; names and phones come from the seed.
ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin",
        "Quản trị hệ thống (toàn tỉnh)",
        (_old(PROVINCE, Role.ADMINISTRATOR), _new(PROVINCE, Role.ADMINISTRATOR)),
        superuser=True,
    ),
    DemoAccount(
        "vanphong",
        "Chuyên viên kiểm soát TTHC, Văn phòng UBND tỉnh",
        (_old("DT.VP", Role.PROVINCIAL_OFFICE), _new("DT.VP", Role.PROVINCIAL_OFFICE)),
    ),
    DemoAccount(
        "giamdoc.snv",
        "Giám đốc Sở Nội vụ",
        (
            _old("DT.SNV", Role.LEADER),
            _new("DT.SNV", Role.LEADER),
            _new("DT.SNV", Role.PAR_APPRAISER),
        ),
    ),
    DemoAccount(
        "chuyenvien.snv",
        "Chuyên viên Phòng Cải cách hành chính, Sở Nội vụ",
        (
            _old("DT.SNV.CCHC", Role.SPECIALIST),
            _new("DT.SNV.CCHC", Role.SPECIALIST),
            _new("DT.SNV", Role.PAR_APPRAISER),
        ),
    ),
    DemoAccount(
        "motcua.tinh",
        "Công chức tiếp nhận, Trung tâm Phục vụ hành chính công tỉnh",
        (_old("DT.HCC", Role.ONE_STOP_OFFICER), _new("DT.HCC", Role.ONE_STOP_OFFICER)),
    ),
    DemoAccount(
        "chutich.caolanh",
        "Chủ tịch UBND phường Cao Lãnh (từ 01/7/2025)",
        (_new("DT.29869", Role.LEADER),),
    ),
    DemoAccount(
        "motcua.caolanh",
        "Công chức tiếp nhận, Trung tâm PVHCC phường Cao Lãnh (từ 01/7/2025)",
        (_new("DT.29869.TTPV", Role.ONE_STOP_OFFICER),),
    ),
    DemoAccount(
        "chutich.myanhung",
        "Chủ tịch UBND xã Mỹ An Hưng B (đến 30/6/2025), rồi xã Mỹ An Hưng",
        (_old("DT.875.30178", Role.LEADER), _new("DT.30178", Role.LEADER)),
    ),
    DemoAccount(
        "motcua.myanhung",
        "Công chức Một cửa xã Mỹ An Hưng B (đến 30/6/2025), rồi TTPVHCC xã Mỹ An Hưng",
        (_old("DT.875.30178", Role.ONE_STOP_OFFICER), _new("DT.30178.TTPV", Role.ONE_STOP_OFFICER)),
    ),
    DemoAccount(
        "thanhtra",
        "Thanh tra, kiểm tra (chỉ xem, toàn tỉnh)",
        (_old(PROVINCE, Role.INSPECTOR), _new(PROVINCE, Role.INSPECTOR)),
    ),
    # Officers who process the demo dossiers of the two demo communes (the assignees of
    # their open dossiers); appended last so that earlier accounts keep their seeded names.
    DemoAccount(
        "congchuc.caolanh",
        "Công chức Tư pháp – Hộ tịch, UBND phường Cao Lãnh (từ 01/7/2025)",
        (_new("DT.29869", Role.SPECIALIST),),
    ),
    DemoAccount(
        "congchuc.myanhung",
        "Công chức Tư pháp – Hộ tịch, UBND xã Mỹ An Hưng B (đến 30/6/2025), rồi xã Mỹ An Hưng",
        (_old("DT.875.30178", Role.SPECIALIST), _new("DT.30178", Role.SPECIALIST)),
    ),
)

_SURNAMES = (
    "Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Phan", "Võ", "Đặng", "Bùi",
    "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Châu", "Tạ",
)  # fmt: skip
_MIDDLE = {
    "m": ("Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Công", "Hoàng", "Tấn", "Phước"),
    "f": ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Thị Thu", "Thị Ngọc", "Bích", "Hồng"),
}
_GIVEN = {
    "m": (
        "Hùng", "Dũng", "Phúc", "Tài", "Khoa", "Trung", "Nghĩa", "Thắng", "Hải", "Sơn",
        "Tuấn", "Long", "Lộc", "Hiếu", "Quang", "Thịnh", "Vũ", "Khải", "Đạt", "Nhân",
    ),
    "f": (
        "Lan", "Hương", "Hạnh", "Trang", "Thảo", "Nhung", "Diễm", "Yến", "Phượng", "Ngân",
        "Trinh", "Thủy", "Loan", "Hằng", "Uyên", "Như", "Vy", "Tuyết", "Huyền", "Quyên",
    ),
}  # fmt: skip
# Mobile prefixes in use in Việt Nam; the numbers themselves are random and fictitious.
_PHONE_PREFIXES = (
    "090",
    "091",
    "093",
    "094",
    "097",
    "098",
    "032",
    "035",
    "036",
    "070",
    "077",
    "083",
)


@dataclass(frozen=True)
class Person:
    """Generated personal details of one demo account."""

    surname: str
    middle: str
    given: str
    phone: str

    @property
    def full_name(self) -> str:
        """Họ và tên, e.g. 'Nguyễn Thị Thu Hương'."""
        return nfc(f"{self.surname} {self.middle} {self.given}")


def demo_people(seed: int) -> dict[str, Person]:
    """Names and phones of the demo accounts for `seed`: the same seed, the same people."""
    rng = random.Random(seed)
    result: dict[str, Person] = {}
    taken: set[str] = set()
    for account in ACCOUNTS:
        while True:
            gender = rng.choice("mf")
            person = Person(
                surname=rng.choice(_SURNAMES),
                middle=rng.choice(_MIDDLE[gender]),
                given=rng.choice(_GIVEN[gender]),
                phone=rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}",
            )
            if person.full_name not in taken:
                break
        taken.add(person.full_name)
        result[account.username] = person
    return result


@dataclass
class DemoResult:
    """What a demo build did."""

    units_before: int = 0
    units_after: int = 0
    links_before: int = 0
    links_after: int = 0
    units: ImportResult = field(default_factory=ImportResult)
    users_created: int = 0
    memberships_created: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, name, position
    catalogue: dict[str, Any] = field(default_factory=dict)
    dossiers: dict[str, Any] = field(default_factory=dict)
    feedback: dict[str, Any] = field(default_factory=dict)
    assignments: dict[str, int] = field(default_factory=dict)
    par: dict[str, int] = field(default_factory=dict)
    reform_report: dict[str, int] = field(default_factory=dict)


def _unit_version(code: str, on: dt.date) -> Unit:
    unit = Unit.objects.version_of(code, on=on)
    if unit is None:  # a bug in ACCOUNTS, not a user error
        raise LookupError(f"demo unit {code} has no version on {on}")
    return unit


def _ensure_user(account: DemoAccount, person: Person, password_hash: str) -> tuple[User, bool]:
    user, created = User.objects.get_or_create(
        username=account.username,
        defaults={
            "full_name": person.full_name,
            "last_name": nfc(f"{person.surname} {person.middle}"),
            "first_name": person.given,
            "phone": person.phone,
            "email": f"{account.username}@{EMAIL_DOMAIN}",
            "is_staff": account.superuser,
            "is_superuser": account.superuser,
            "password": password_hash,
        },
    )
    if created:
        record_change(obj=user, action="create", after=snapshot(user), source=SOURCE)
    return user, created


def _ensure_membership(user: User, post: Post) -> bool:
    membership, created = Membership.objects.get_or_create(
        user=user,
        unit=_unit_version(post.unit, post.on),
        role=post.role,
        valid_from=post.valid_from,
        defaults={"valid_to": post.valid_to},
    )
    if created:
        record_change(obj=membership, action="create", after=snapshot(membership), source=SOURCE)
    return created


def build_demo(
    *, seed: int = 1, dossiers: int = 0, feedback: int = 0, today: dt.date | None = None
) -> DemoResult:
    """Load (or confirm) the demo province, its users, catalogue and dossiers, all or nothing.

    `today` is the local day the demo dossiers lead up to (default: the day it runs).
    """
    result = DemoResult()
    with transaction.atomic():
        result.units_before = Unit.objects.count()
        result.links_before = UnitSuccession.objects.count()
        result.units = import_units(unit_rows(), source=SOURCE)
        result.units_after = Unit.objects.count()
        result.links_after = UnitSuccession.objects.count()
        names = demo_people(seed)
        # One hash for all accounts: they share the published demo password anyway, and
        # hashing once keeps the build fast.
        password_hash = ""
        for account in ACCOUNTS:
            if not password_hash and not User.objects.filter(username=account.username).exists():
                password_hash = make_password(DEMO_PASSWORD)
            user, created = _ensure_user(account, names[account.username], password_hash)
            result.users_created += created
            for post in account.posts:
                result.memberships_created += _ensure_membership(user, post)
            result.logins.append((user.username, user.full_name, account.position))
        from motcua.demo.catalogue import build_catalogue

        result.catalogue = build_catalogue(seed=seed)
        _refresh_planner_statistics()
        from motcua.demo.portal import build_portal_demo

        build_portal_demo(password=DEMO_PASSWORD, source=SOURCE)
        from motcua.demo.appointments import build_appointments

        build_appointments(seed=seed)  # lịch hẹn of today and the next working days
        if dossiers:
            from motcua.demo.dossiers import build_dossiers

            result.dossiers = build_dossiers(seed=seed, count=dossiers, today=today)
        if feedback:
            from motcua.demo.feedback import build_feedback

            result.feedback = build_feedback(seed=seed, count=feedback, today=today)
        from motcua.demo.assignments import build_assignments

        result.assignments = build_assignments(seed=seed, today=today)
        from motcua.demo.par import build_par

        result.par = build_par(seed=seed, today=today)  # Chỉ số CCHC of last year's departments
        # Báo cáo CCHC quý III/2025 of the province, in review (issue 15 item 9)
        from motcua.demo.reform import build_reform_report

        result.reform_report = build_reform_report(today=today)
        _refresh_planner_statistics()
    return result


def _refresh_planner_statistics() -> None:
    """ANALYZE after the bulk loads, on PostgreSQL.

    Tables filled inside this transaction still carry the statistics of empty tables, and
    autovacuum cannot see them before the commit: the planner then drives joins from the
    wrong side (the competent units of one procedure took 1–3 s each, not 1 ms, in a test
    database). ANALYZE runs inside the transaction and sees its own rows.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def tree_counts(day: dt.date) -> dict[str, int]:
    """Unit versions in force on `day` under the province `DT` of that day, by level."""
    province = Unit.objects.version_of(PROVINCE, on=day)
    counts = {level.value: 0 for level in UnitLevel}
    if province is None:
        return counts
    frontier = [province.pk]
    counts[UnitLevel.PROVINCE] = 1
    while frontier:
        children = list(
            Unit.objects.valid_on(day).filter(parent_id__in=frontier).values_list("pk", "level")
        )
        for _, level in children:
            counts[level] += 1
        frontier = [pk for pk, _ in children]
    return counts
