"""`motcua demo [--seed N] [--if-empty]`: load the demo province Đồng Tháp and demo logins."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import CommandParser

from motcua.lib.commands import CommandFailure, MotcuaCommand
from motcua.lib.csvin import ImportProblem


def _day(text: str) -> dt.date:
    """A day given as YYYY-MM-DD or dd/mm/yyyy."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 — a date
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày không hợp lệ / not a date: {text!r}")


class Command(MotcuaCommand):
    help = (
        "Nạp tỉnh mẫu Đồng Tháp (trước và sau 01/7/2025) và tài khoản mẫu. "
        "Load the demo province Đồng Tháp (before and after 2025-07-01) and demo logins."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="hạt giống cho tên và số điện thoại người dùng mẫu (seed for names; default 1)",
        )
        parser.add_argument(
            "--dossiers",
            type=int,
            default=5000,
            metavar="N",
            help="số hồ sơ mẫu (number of demo dossiers, 2025–2026; default 5000; 0 for none)",
        )
        parser.add_argument(
            "--feedback",
            type=int,
            default=1200,
            metavar="N",
            help=(
                "số phản ánh, kiến nghị mẫu "
                "(demo feedback items, 2025–2026; default 1200; 0 for none)"
            ),
        )
        parser.add_argument(
            "--today",
            type=_day,
            default=None,
            metavar="YYYY-MM-DD",
            help=(
                "ngày mà hồ sơ mẫu dẫn tới (mặc định hôm nay) "
                "(the day the demo dossiers lead up to; default today)"
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="không làm gì nếu đã có đơn vị (do nothing when the database has units)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from motcua.demo.builder import DEMO_PASSWORD, build_demo, tree_counts
        from motcua.demo.tree import LAST_OLD_DAY, REFORM_DAY
        from motcua.units.models import Unit

        if options["if_empty"]:
            existing = Unit.objects.count()
            if existing:
                self.stdout.write(
                    f"Đã có {existing} đơn vị, không nạp dữ liệu mẫu (--if-empty). "
                    f"The database already has {existing} units; demo not loaded."
                )
                return
        if options["dossiers"] < 0:
            raise CommandFailure("--dossiers: must be 0 or more", code=2)
        if options["feedback"] < 0:
            raise CommandFailure("--feedback: must be 0 or more", code=2)
        try:
            result = build_demo(
                seed=options["seed"],
                dossiers=options["dossiers"],
                feedback=options["feedback"],
                today=options["today"],
            )
        except ImportProblem as problem:  # the committed demo data is inconsistent
            raise CommandFailure(f"demo data rejected by the importer:\n{problem}") from None

        out = self.stdout.write
        out(f"Tỉnh mẫu Đồng Tháp / demo province (seed {options['seed']})")
        out(f"  đơn vị / units: {result.units_before} → {result.units_after} ({result.units})")
        out(f"  quan hệ kế thừa / successor links: {result.links_before} → {result.links_after}")
        out(
            f"  người dùng mới / users created: {result.users_created}, "
            f"vai trò mới / memberships created: {result.memberships_created}"
        )
        for label, day in (("trước / before", LAST_OLD_DAY), ("sau / after", REFORM_DAY)):
            c = tree_counts(day)
            out(
                f"  {label} {day:%d/%m/%Y}: tỉnh {c['province']}, sở-ban-ngành {c['department']}, "
                f"huyện {c['district']}, xã {c['commune']}, đơn vị trực thuộc {c['subunit']}"
            )
        if result.catalogue:
            out(f"  thủ tục / procedures: {result.catalogue}")
        if result.dossiers:
            out(f"  hồ sơ / dossiers: {result.dossiers}")
            if "as_of" in result.dossiers:
                out(f"  hồ sơ mẫu tính đến / demo dossiers as of {result.dossiers['as_of']}")
        if result.feedback:
            out(f"  phản ánh, kiến nghị / feedback: {result.feedback}")
        if result.assignments:
            out(f"  nhiệm vụ được giao / tasks: {result.assignments}")
        if result.par:
            out(f"  Chỉ số CCHC / PAR Index: {result.par}")
        if result.reform_report:
            out(f"  báo cáo CCHC quý III/2025 / reform report: {result.reform_report}")
        out(f"Tài khoản mẫu / demo logins (mật khẩu / password: {DEMO_PASSWORD}):")
        width = max(len(username) for username, _, _ in result.logins)
        for username, full_name, position in result.logins:
            out(f"  {username:<{width}}  {full_name} — {position}")
