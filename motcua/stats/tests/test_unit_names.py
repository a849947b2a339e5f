"""Units on the statistics pages are named in words: no internal code beside the name, and a
name several units bear ("Xã Tân Phú" of three districts) says whose unit it is."""

from __future__ import annotations

import re
from typing import Any

from motcua.conftest import LAST_OLD_DAY, Province, make_unit, make_user
from motcua.people.choices import Role
from motcua.stats.tests.test_views import page, signed_in
from motcua.stats.tests.test_worked_example import march  # noqa: F401
from motcua.stats.views import unit_options


def test_the_unit_picker_and_heading_show_names_not_codes(
    march: dict[str, Any],  # noqa: F811
    people: dict[str, Any],
) -> None:
    status, text = page(signed_in(people["dana"]))
    assert status == 200
    options = re.findall(r'<option value="(\w+)"[^>]*>([^<]*)</option>', text)
    assert options and all(not label.startswith(code) for code, label in options), options
    heading = re.search(r'<h2 id="figures-title">([^<]*)</h2>', text)
    assert heading is not None and "(D1)" not in heading.group(1), heading


def test_a_shared_name_says_whose_unit_it_is(province: Province) -> None:
    for code, district in (("X1", province.district), ("X2", province.other_district)):
        make_unit(code, "Xã Tân Phú", "commune", district, valid_to=LAST_OLD_DAY)
    admin = make_user("tinh", (province.old, Role.PROVINCIAL_OFFICE))
    labels = {o.code: o.label for o in unit_options(admin)}
    assert labels["X1"] == f"Xã Tân Phú — {province.district.name}"
    assert labels["X2"] == f"Xã Tân Phú — {province.other_district.name}"
    assert labels[province.commune_a.code] == province.commune_a.name
