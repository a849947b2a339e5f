"""The demo province: real Đồng Tháp before and after 2025-07-01, its links and demo users.

The demo is built once per module (about a second on SQLite); each test runs in its own
savepoint on top of it, so tests that build again or change data leave nothing behind.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings

from motcua.audit.models import ObjectChange
from motcua.demo import distil
from motcua.demo.builder import ACCOUNTS, DEMO_PASSWORD, DemoResult, build_demo, demo_people
from motcua.demo.tree import DATA_DIR, unit_rows
from motcua.people.models import Membership
from motcua.people.scope import visible_unit_ids
from motcua.units.choices import UnitKind, UnitLevel
from motcua.units.models import Unit, UnitSuccession

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
BEFORE = dt.date(2024, 6, 1)
LAST_OLD_DAY = dt.date(2025, 6, 30)
REFORM_DAY = dt.date(2025, 7, 1)

DISTRICTS = {
    "866": "Thành phố Cao Lãnh",
    "867": "Thành phố Sa Đéc",
    "868": "Thành phố Hồng Ngự",
    "869": "Huyện Tân Hồng",
    "870": "Huyện Hồng Ngự",
    "871": "Huyện Tam Nông",
    "872": "Huyện Tháp Mười",
    "873": "Huyện Cao Lãnh",
    "874": "Huyện Thanh Bình",
    "875": "Huyện Lấp Vò",
    "876": "Huyện Lai Vung",
    "877": "Huyện Châu Thành",
}


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: object) -> Iterator[DemoResult]:
    """The demo built once for the module, rolled back at its end.

    The hasher is the cheap one `motcua/conftest.py` gives every test, so that the stored
    hashes can be checked inside the tests.
    """
    unblock = django_db_blocker.unblock  # type: ignore[attr-defined]
    with unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS), transaction.atomic():
        yield build_demo(seed=1)
        transaction.set_rollback(True)


def subtree(root: Unit, day: dt.date) -> list[Unit]:
    """Unit versions in force on `day` below `root`."""
    found: list[Unit] = []
    frontier = [root.pk]
    while frontier:
        children = list(Unit.objects.valid_on(day).filter(parent_id__in=frontier))
        found.extend(children)
        frontier = [u.pk for u in children]
    return found


def version(code: str, day: dt.date) -> Unit:
    unit = Unit.objects.version_of(code, on=day)
    assert unit is not None, f"{code} has no version on {day}"
    return unit


def successors(unit: Unit) -> list[Unit]:
    """Successors of `unit`, principal first."""
    links = unit.successions.select_related("successor").order_by(
        "-is_principal", "successor__code"
    )
    return [link.successor for link in links]


@pytest.mark.django_db
def test_old_province_has_twelve_districts_and_their_communes(demo: DemoResult) -> None:
    province = version("DT", BEFORE)
    assert province.name == "Ủy ban nhân dân tỉnh Đồng Tháp"
    assert (province.valid_from, province.valid_to, province.admin_code) == (
        None,
        LAST_OLD_DAY,
        "87",
    )
    districts = province.children.valid_on(BEFORE).filter(level=UnitLevel.DISTRICT)
    assert {d.admin_code: d.name for d in districts} == DISTRICTS
    communes = [u for u in subtree(province, BEFORE) if u.level == UnitLevel.COMMUNE]
    # 141 communes on 2025-06-30 in the NSO table (the 2023 reports say 143: docs/demo.md).
    assert len(communes) == 141
    assert len({c.admin_code for c in communes}) == 141
    assert all(c.parent is not None and c.parent.level == UnitLevel.DISTRICT for c in communes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("district", "commune", "gso"),
    [
        ("Thành phố Cao Lãnh", "Phường 1", "29869"),
        ("Thành phố Sa Đéc", "Phường 1", "29905"),
        ("Huyện Lấp Vò", "Xã Mỹ An Hưng A", "30172"),
        ("Huyện Tân Hồng", "Thị trấn Sa Rài", "29926"),
        ("Huyện Tháp Mười", "Xã Đốc Binh Kiều", "30061"),
        ("Huyện Châu Thành", "Thị trấn Cái Tàu Hạ", "30244"),
    ],
)
def test_real_old_commune_names(demo: DemoResult, district: str, commune: str, gso: str) -> None:
    unit = Unit.objects.valid_on(BEFORE).get(level=UnitLevel.COMMUNE, admin_code=gso)
    assert unit.name == commune
    assert unit.parent is not None and unit.parent.name == district
    assert unit.has_one_stop


@pytest.mark.django_db
def test_old_office_departments_and_centre(demo: DemoResult) -> None:
    office = version("DT.VP", BEFORE)
    assert office.name == "Văn phòng Ủy ban nhân dân tỉnh Đồng Tháp"
    assert office.kind == UnitKind.OFFICE
    assert {u.name for u in office.children.filter(kind=UnitKind.DIVISION)} == {
        "Phòng Tổng hợp",
        "Phòng Văn xã",
        "Phòng Kinh tế",
        "Phòng Đầu tư – Quy hoạch",
        "Phòng Hành chính – Quản trị",
        "Phòng Nội chính – Pháp chế",
        "Ban Tiếp công dân",
    }
    centre = version("DT.HCC", BEFORE)
    assert (centre.kind, centre.has_one_stop, centre.parent) == (
        UnitKind.SERVICE_CENTRE,
        True,
        office,
    )
    departments = version("DT", BEFORE).children.filter(kind=UnitKind.DEPARTMENT)
    names = {d.name for d in departments}
    assert len(names) == 18
    assert {"Sở Kế hoạch và Đầu tư", "Sở Lao động – Thương binh và Xã hội", "Sở Ngoại vụ"} <= names
    home = version("DT.SNV", BEFORE)
    assert {u.name for u in home.children.all()} >= {
        "Văn phòng Sở Nội vụ",
        "Thanh tra Sở Nội vụ",
        "Phòng Cải cách hành chính",
    }


@pytest.mark.django_db
def test_new_province_has_102_communes_and_no_districts(demo: DemoResult) -> None:
    province = version("DT", REFORM_DAY)
    assert (province.valid_from, province.valid_to, province.admin_code) == (REFORM_DAY, None, "82")
    assert Unit.objects.version_of("DT") == province
    assert not Unit.objects.valid_on(REFORM_DAY).filter(level=UnitLevel.DISTRICT).exists()
    communes = list(province.children.valid_on(REFORM_DAY).filter(level=UnitLevel.COMMUNE))
    assert len(communes) == 102
    kinds = Counter(c.name.split(" ")[0] for c in communes)
    assert kinds == {"Xã": 82, "Phường": 20}
    assert all(c.valid_from == REFORM_DAY and c.valid_to is None for c in communes)
    centres = Unit.objects.filter(
        parent__in=communes, kind=UnitKind.SERVICE_CENTRE, has_one_stop=True
    )
    assert centres.count() == 102
    assert version("DT.29869", REFORM_DAY).name == "Phường Cao Lãnh"
    assert version("DT.29869.TTPV", REFORM_DAY).name == (
        "Trung tâm Phục vụ hành chính công phường Cao Lãnh"
    )


@pytest.mark.django_db
def test_new_departments_after_merges(demo: DemoResult) -> None:
    province = version("DT", REFORM_DAY)
    names = set(province.children.filter(kind=UnitKind.DEPARTMENT).values_list("name", flat=True))
    assert "Sở Nông nghiệp và Môi trường" in names
    assert not names & {"Sở Kế hoạch và Đầu tư", "Sở Giao thông vận tải", "Sở Ngoại vụ"}
    assert [u.code for u in successors(version("DT.SKHDT", BEFORE))] == ["DT.STC"]
    assert [u.code for u in successors(version("DT.SNNPTNT", BEFORE))] == ["DT.SNNMT"]
    assert [u.code for u in successors(version("DT.STNMT", BEFORE))] == ["DT.SNNMT"]
    assert [u.code for u in successors(version("DT.SGTVT", BEFORE))] == ["DT.SXD"]
    assert [u.code for u in successors(version("DT.STTTT", BEFORE))] == ["DT.SKHCN"]
    assert [u.code for u in successors(version("DT.SLDTBXH", BEFORE))] == ["DT.SNV", "DT.SYT"]
    assert [u.code for u in successors(version("DT.SLDTBXH.BTXH", BEFORE))] == ["DT.SYT.BTXH"]
    assert all(u.valid_from == REFORM_DAY for u in successors(version("DT.SNV", BEFORE)))


@pytest.mark.django_db
def test_every_closed_unit_has_a_successor_in_force_the_next_day(demo: DemoResult) -> None:
    closed = Unit.objects.filter(valid_to=LAST_OLD_DAY)
    assert closed.count() == demo.units_after - Unit.objects.filter(valid_from=REFORM_DAY).count()
    for unit in closed:
        links = list(unit.successions.select_related("successor"))
        assert links, f"{unit} has no successor"
        assert sum(link.is_principal for link in links) == 1, unit
        for link in links:
            assert link.effective_date == REFORM_DAY
            assert link.successor.is_valid_on(REFORM_DAY)
    assert not Unit.objects.filter(valid_to__isnull=True, valid_from__isnull=True).exists()
    assert [u.code for u in successors(version("DT", BEFORE))] == ["DT"]
    district = version("DT.866", BEFORE)
    assert [u.code for u in successors(district)] == ["DT"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old_code", "new_names"),
    [
        ("DT.866.29869", ["Phường Cao Lãnh"]),  # Phường 1, TP Cao Lãnh: nhập toàn bộ
        ("DT.866.29890", ["Phường Cao Lãnh"]),  # Xã Tân Thuận Tây
        ("DT.873.30091", ["Phường Mỹ Ngãi"]),  # Xã Tân Nghĩa, huyện Cao Lãnh, into a ward
        ("DT.875.30172", ["Xã Mỹ An Hưng"]),  # Xã Mỹ An Hưng A
        ("DT.873.30079", ["Xã Phong Mỹ", "Xã Phú Cường"]),  # Gáo Giồng: nhập một phần
        ("DT.870.29995", ["Xã Long Phú Thuận", "Xã Tân Long"]),  # Phú Thuận B
        ("DT.874.30157", ["Xã Tân Thạnh", "Xã Thanh Bình"]),  # Tân Thạnh keeps its code
    ],
)
def test_commune_successors_follow_the_nso_table(
    demo: DemoResult, old_code: str, new_names: list[str]
) -> None:
    old = version(old_code, BEFORE)
    new = successors(old)
    assert [u.name for u in new] == new_names
    assert all(u.parent == version("DT", REFORM_DAY) for u in new)
    kinds = {link.kind for link in old.successions.all()}
    assert kinds == ({"split"} if len(new_names) > 1 else {"merge"})
    # The move as the official table words it, and the resolution behind it.
    said = {(link.kind_label, link.legal_basis) for link in old.successions.all()}
    wording = "Nhập một phần" if len(new_names) > 1 else "Nhập toàn bộ"
    assert said == {(wording, "Nghị quyết số 1663/NQ-UBTVQH15 ngày 16/6/2025")}


@pytest.mark.django_db
def test_every_old_commune_and_no_new_one_left_out(demo: DemoResult) -> None:
    old = Unit.objects.filter(level=UnitLevel.COMMUNE, valid_to=LAST_OLD_DAY)
    assert old.count() == 141
    assert not old.filter(successions__isnull=True).exists()
    new = Unit.objects.filter(level=UnitLevel.COMMUNE, valid_from=REFORM_DAY)
    with_predecessors = new.filter(predecessions__isnull=False).distinct()
    # 45 new communes take old Đồng Tháp communes; the others come from former Tiền Giang,
    # whose history the demo does not load.
    assert with_predecessors.count() == 45


@pytest.mark.django_db
def test_codes_do_not_overlap_and_names_are_clean_nfc(demo: DemoResult) -> None:
    by_code: dict[str, list[Unit]] = {}
    for unit in Unit.objects.all():
        by_code.setdefault(unit.code, []).append(unit)
        for text in (unit.name, unit.short_name):
            assert unicodedata.normalize("NFC", text) == text, unit.code
            assert text == " ".join(text.split()), unit.code
        assert unit.name
    for code, versions in by_code.items():
        versions.sort(key=lambda u: u.valid_from or dt.date.min)
        for a, b in itertools.pairwise(versions):
            assert a.valid_to is not None and b.valid_from is not None, code
            assert a.valid_to < b.valid_from, code
    assert len(by_code["DT"]) == 2


@pytest.mark.django_db
def test_demo_users_and_memberships(demo: DemoResult) -> None:
    user_model = get_user_model()
    users = {u.username: u for u in user_model.objects.filter(applicant_profile__isnull=True)}
    assert set(users) == {a.username for a in ACCOUNTS}
    # Plus one applicant account of the portal (motcua.demo.portal).
    applicants = user_model.objects.exclude(username__in=users)
    assert set(applicants.values_list("username", flat=True)) == {"congdan"}
    assert [u for u, user in users.items() if user.is_staff or user.is_superuser] == ["admin"]
    assert users["admin"].check_password(DEMO_PASSWORD)
    assert users["motcua.caolanh"].check_password(DEMO_PASSWORD)
    for user in users.values():
        assert user.full_name == unicodedata.normalize("NFC", user.full_name)
        assert len(user.full_name.split()) >= 3
        assert re.fullmatch(r"0\d{9}", user.phone)
    admin_roles = Membership.objects.filter(user=users["admin"], unit__code="DT")
    assert set(admin_roles.values_list("role", "valid_to")) == {
        ("administrator", LAST_OLD_DAY),
        ("administrator", None),
    }
    moved = Membership.objects.filter(user=users["motcua.myanhung"]).order_by("valid_from")
    assert [(m.unit.name, m.valid_from, m.valid_to) for m in moved] == [
        ("Xã Mỹ An Hưng B", dt.date(2020, 1, 1), LAST_OLD_DAY),
        ("Trung tâm Phục vụ hành chính công xã Mỹ An Hưng", REFORM_DAY, None),
    ]
    old, new = (
        m.unit
        for m in Membership.objects.filter(user=users["chutich.myanhung"]).order_by("valid_from")
    )
    assert new in successors(old)


@pytest.mark.django_db
def test_leader_of_new_ward_sees_the_old_communes_it_took_over(demo: DemoResult) -> None:
    leader = get_user_model().objects.get(username="chutich.caolanh")
    visible = visible_unit_ids(leader, on=dt.date(2025, 8, 1))
    assert visible is not None
    assert version("DT.866.29869", BEFORE).pk in visible  # old Phường 1
    assert version("DT.29869.TTPV", REFORM_DAY).pk in visible
    assert version("DT.867.29905", BEFORE).pk not in visible  # Phường 1 of Sa Đéc


def test_names_depend_on_the_seed_only() -> None:
    assert demo_people(1) == demo_people(1)
    assert demo_people(7) == demo_people(7)
    assert demo_people(1) != demo_people(2)
    assert [p.full_name for p in demo_people(1).values()] != [
        p.full_name for p in demo_people(2).values()
    ]
    assert len({p.full_name for p in demo_people(1).values()}) == len(ACCOUNTS)
    assert unit_rows() == unit_rows()  # the tree does not take a seed at all


@pytest.mark.django_db
def test_users_carry_the_seeded_names(demo: DemoResult) -> None:
    expected = {username: p.full_name for username, p in demo_people(1).items()}
    officers = get_user_model().objects.filter(applicant_profile__isnull=True)
    stored = dict(officers.values_list("username", "full_name"))
    assert stored == expected
    assert [login[1] for login in demo.logins] == [expected[a.username] for a in ACCOUNTS]


def _counts() -> tuple[int, ...]:
    return (
        Unit.objects.count(),
        UnitSuccession.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        ObjectChange.objects.count(),
        ObjectChange.objects.filter(content_type__model="unit").count(),
    )


@pytest.mark.django_db
def test_building_again_changes_nothing(demo: DemoResult) -> None:
    before = _counts()
    again = build_demo(seed=1)
    other_seed = build_demo(seed=2)
    assert _counts() == before
    for result in (again, other_seed):
        assert (result.units.created, result.units.updated, result.units.links_created) == (0, 0, 0)
        assert (result.users_created, result.memberships_created) == (0, 0)
    # A second seed does not rename the people already there.
    assert [login[1] for login in other_seed.logins] == [login[1] for login in demo.logins]


def test_distilled_files_match_the_sources(tmp_path: object) -> None:
    # The public data sits in ../shared beside the checkout (as on CI).
    assert (distil.SOURCE_DIR / distil.NSO_TABLE).exists(), (
        f"{distil.SOURCE_DIR} missing: clone shared/ beside the repository"
    )
    target = tmp_path / "data"  # type: ignore[operator]
    distil.distil(distil.SOURCE_DIR, target)
    for name in ("communes_before.csv", "communes_after.csv", "commune_successions.csv"):
        assert (target / name).read_bytes() == (DATA_DIR / name).read_bytes(), name
