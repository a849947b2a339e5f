"""Other indices (issue 14 item 7): `motcua par import-indices` and the history on the unit page.

Seed 003 (par-index.md §7): Hậu Giang's national PAR Index rank was 28th (2020), 27th (2021),
20th (2022) and 19th of 63 (2023); the source gives the ranks, not the values. Here the ranks
are imported for the fixture's unit VP so that its page shows them beside the PAR Index motcua
computes from its 2024 set (60%, rank 3 of 3, see test_unit_page.py). The SIPAS and DTI rows
are CONSTRUCTED (values chosen to show 2 and 4 decimals).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from motcua.par.history import unit_history
from motcua.par.indices import INDICES_HEADER
from motcua.par.models import OtherIndexValue
from motcua.par.tests.support import par, write_csv
from motcua.par.tests.test_unit_page import URL, login, scored  # noqa: F401

pytestmark = pytest.mark.django_db

Cap = pytest.CaptureFixture[str]

SEED_003 = [
    ["PAR", "2020", "VP", "", "28", "63", ""],
    ["PAR", "2021", "VP", "", "27", "63", ""],
    ["PAR", "2022", "VP", "", "20", "63", ""],
    ["PAR", "2023", "VP", "", "19", "63", ""],
    ["SIPAS", "2023", "VP", "82.66", "", "", "Báo cáo SIPAS 2023"],
    ["dti", "2023", "VP", "0.5826", "12", "63", "Quyết định công bố DTI 2023"],
]


def test_seed_003_ranks_28_27_20_19_show_beside_the_computed_index(
    capsys: Cap,
    tmp_path: Path,
    scored: None,  # noqa: F811
    people: dict,
) -> None:
    path = write_csv(tmp_path / "chi-so.csv", INDICES_HEADER, SEED_003)
    status, out, err = par(capsys, "import-indices", str(path))
    assert status == 0, err
    assert out.strip() == "indices: 6 rows of 1 units, 6 rows changed"
    ranks = list(
        OtherIndexValue.objects.filter(index="PAR", unit_code="VP")
        .order_by("year")
        .values_list("year", "rank", "out_of", "value")
    )
    assert ranks == [
        (2020, 28, 63, None),
        (2021, 27, 63, None),
        (2022, 20, 63, None),
        (2023, 19, 63, None),
    ]

    history = unit_history("VP")
    assert history.years == [2020, 2021, 2022, 2023, 2024]
    par_row = history.row("PAR")
    assert par_row is not None
    assert [par_row.cells[y][1] for y in (2020, 2021, 2022, 2023)] == [
        "28/63",
        "27/63",
        "20/63",
        "19/63",
    ]

    html = login(people["olga"]).get(URL).content.decode()
    table = html[html.index("data-history") :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr data-index-key="([^"]+)">', table)
    assert rows == ["computed", "PAR", "SIPAS", "DTI"]
    par_html = table[table.index('data-index-key="PAR"') :]
    par_html = par_html[: par_html.index("</tr>")]
    assert re.findall(r"hạng (\d+/\d+)", par_html) == ["28/63", "27/63", "20/63", "19/63"]
    computed = table[table.index('data-index-key="computed"') :]
    computed = computed[: computed.index("</tr>")]
    assert '<td class="num" data-year="2024">60<span class="par-rank">hạng 3/3</span>' in computed
    assert ">82,66<" in table and ">0,5826<" in table
    assert "Năm 2020" in table and "Chỉ số CCHC (bộ tiêu chí)" in table


def test_a_bad_file_writes_nothing_and_names_each_line(capsys: Cap, tmp_path: Path) -> None:
    rows = [
        ["PAR", "2022", "VP", "", "20", "63", ""],
        ["XYZ", "2022", "VP", "1", "", "", ""],
        ["PCI", "20x2", "VP", "1", "", "", ""],
        ["PCI", "2022", "", "1", "", "", ""],
        ["PCI", "2022", "VP", "", "", "", ""],
        ["PCI", "2022", "HG", "1.23456", "64", "63", ""],
        ["PAR", "2022", "VP", "", "0", "63", ""],
        ["PAR", "2022", "VP", "", "21", "63", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", INDICES_HEADER, rows)
    status, out, err = par(capsys, "import-indices", str(path))
    assert status == 1 and out == ""
    assert "line 3: index 'XYZ' is unknown" in err
    assert "line 4: year '20x2' is not a plausible year" in err
    assert "line 5: unit_code is empty" in err
    assert "line 6: neither a value nor a rank" in err
    assert "line 7: value 1.23456 has more than 4 decimals" in err
    assert "line 7: rank 64 is above out_of 63" in err
    assert "line 8: rank must be a whole number from 1, found '0'" in err
    assert "line 9: PAR 2022 of VP repeats line 2" in err
    assert "line 2:" not in err
    assert not OtherIndexValue.objects.exists()
    wrong = write_csv(tmp_path / "wrong.csv", ["index", "year", "unit_code", "value"], [])
    status, _, err = par(capsys, "import-indices", str(wrong))
    assert status == 1 and "line 1: missing column(s): rank, out_of, source_document" in err


def test_importing_twice_changes_nothing_and_a_correction_updates(
    capsys: Cap, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "a.csv", INDICES_HEADER, SEED_003)
    assert par(capsys, "import-indices", str(path))[0] == 0
    status, out, _ = par(capsys, "import-indices", str(path))
    assert status == 0 and out.strip() == "indices: 6 rows of 1 units, 0 rows changed"
    fixed = [row[:] for row in SEED_003]
    fixed[3][4] = "18"
    path = write_csv(tmp_path / "b.csv", INDICES_HEADER, fixed)
    status, out, _ = par(capsys, "import-indices", str(path))
    assert out.strip() == "indices: 6 rows of 1 units, 1 rows changed"
    assert OtherIndexValue.objects.get(index="PAR", year=2023).rank == 18
    assert OtherIndexValue.objects.count() == 6
