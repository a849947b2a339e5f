"""The contract of issue 14 item 4: `motcua par import-set|import-scores|import-survey|results`.

All or nothing with `line N: reason` and exit 1; bad arguments exit 2; imports idempotent;
results in exactly the issue's JSON shape.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from motcua.par.choices import SetStatus
from motcua.par.importers import SCORES_HEADER, SET_HEADER, SURVEY_HEADER
from motcua.par.models import CriteriaSet, Criterion, LeafScore, SurveyScore
from motcua.par.services import add_adjustment
from motcua.par.tests.support import par, par_cli, results, write_csv

pytestmark = pytest.mark.django_db

Cap = pytest.CaptureFixture[str]

SET_ROWS = [
    ["1", "", "Công tác chỉ đạo, điều hành CCHC", "3", "", ""],
    ["1.1", "1", "Kế hoạch CCHC", "2", "", ""],
    ["1.2", "1", "Báo cáo về kiểm soát TTHC", "1", "timeliness", '{"late_fraction": 0.5}'],
    ["2", "", "Cải cách thủ tục hành chính", "2", "", ""],
    [
        "2.1",
        "2",
        "Tỷ lệ hồ sơ đúng hạn",
        "2",
        "bands",
        '{"bands": [{"ge": 95, "points": 2}, {"ge": 80, "lt": 95, "points": 1}]}',
    ],
]


def import_set(capsys: Cap, tmp_path: Path, rows: list[list[str]] | None = None) -> tuple:
    path = write_csv(tmp_path / "set.csv", SET_HEADER, SET_ROWS if rows is None else rows)
    return par(
        capsys,
        "import-set",
        str(path),
        "--code",
        "T-SO-2022",
        "--year",
        "2022",
        "--unit-type",
        "department",
        "--survey-max",
        "5",
    )


SCORES = [
    ["A", "1.1", "2", ""],
    ["A", "1.2", "1", ""],
    ["A", "2.1", "2", ""],
    ["B", "1.1", "1.5", ""],
    ["B", "1.2", "", "1"],
    ["B", "2.1", "2", ""],
    ["C", "1.1", "1", ""],
    ["D", "2.1", "1", ""],
]
SURVEY = [["A", "4"], ["B", "4.6"], ["C", "2"]]


@pytest.fixture
def loaded(capsys: Cap, tmp_path: Path) -> Path:
    assert import_set(capsys, tmp_path)[0] == 0
    scores = write_csv(tmp_path / "scores.csv", SCORES_HEADER, SCORES)
    assert par(capsys, "import-scores", str(scores), "--set", "T-SO-2022")[0] == 0
    survey = write_csv(tmp_path / "survey.csv", SURVEY_HEADER, SURVEY)
    assert par(capsys, "import-survey", str(survey), "--set", "T-SO-2022")[0] == 0
    return tmp_path


def test_headers_are_the_contract() -> None:
    assert ",".join(SET_HEADER) == "code,parent_code,name,max_points,rule,params"
    assert ",".join(SCORES_HEADER) == "unit_code,criterion_code,points,not_applicable"
    assert ",".join(SURVEY_HEADER) == "unit_code,points"


def test_import_set_creates_the_set_and_is_idempotent(capsys: Cap, tmp_path: Path) -> None:
    status, out, err = import_set(capsys, tmp_path)
    assert (status, err) == (0, "")
    assert "5 criteria in 2 fields" in out and "evidence 5 + survey 5 = 10" in out
    criteria_set = CriteriaSet.objects.get(code="T-SO-2022")
    assert (criteria_set.year, criteria_set.unit_type, criteria_set.survey_max) == (
        2022,
        "department",
        D(5),
    )
    leaf = Criterion.objects.get(criteria_set=criteria_set, code="2.1")
    assert leaf.rule == "bands" and leaf.params["bands"][0] == {"ge": 95, "points": 2}
    assert Criterion.objects.get(code="1.2").parent == Criterion.objects.get(code="1")
    status, out, _ = import_set(capsys, tmp_path)
    assert status == 0 and "(unchanged)" in out
    assert Criterion.objects.count() == 5


def test_import_set_records_the_issuing_decision(capsys: Cap, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "set.csv", SET_HEADER, SET_ROWS)
    args = ["--code", "T-SO-2022", "--year", "2022", "--unit-type", "department"]
    args += ["--survey-max", "5", "--decision", "733/QĐ-UBND", "--decision-date", "2022-07-06"]
    assert par(capsys, "import-set", str(path), *args)[0] == 0
    criteria_set = CriteriaSet.objects.get()
    assert criteria_set.decision_number == "733/QĐ-UBND"
    assert criteria_set.decision_date == dt.date(2022, 7, 6)
    assert import_set(capsys, tmp_path)[0] == 0  # without the options: kept
    criteria_set.refresh_from_db()
    assert criteria_set.decision_number == "733/QĐ-UBND"


def test_import_set_is_all_or_nothing_with_line_numbers(capsys: Cap, tmp_path: Path) -> None:
    rows = [list(r) for r in SET_ROWS]
    rows[1][3] = "2.5"  # 1.1: now 1 = 3 ≠ 2.5 + 1
    rows[4][5] = "[1, 2]"
    rows.append(["3", "", "", "-1", "magic", "{oops"])
    status, out, err = import_set(capsys, tmp_path, rows)
    assert status == 1 and out == ""
    lines = err.strip().splitlines()
    assert "line 6: params must be a JSON object" in lines
    assert "line 7: name is empty" in lines
    assert "line 7: max_points: -1 is negative" in lines
    assert any(line.startswith("line 7: rule 'magic' is unknown") for line in lines)
    assert any(line.startswith("line 7: params is not JSON") for line in lines)
    assert not CriteriaSet.objects.exists()
    rows = [list(r) for r in SET_ROWS]
    rows[1][3] = "2.5"
    status, _, err = import_set(capsys, tmp_path, rows)
    assert status == 1
    assert err.strip() == "line 2: maximum 3 differs from the sum of its children 3.5"
    rows = [list(r) for r in SET_ROWS]
    rows[4][5] = '{"bands": [{"ge": 95, "points": 3}]}'
    status, _, err = import_set(capsys, tmp_path, rows)
    assert status == 1 and "line 6: bands[1]: points 3 outside 0..2" in err
    assert not CriteriaSet.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--survey-max", "abc"], "--survey-max"),
        (["--survey-max", "33.555"], "--survey-max"),
        (["--year", "1900"], "--year"),
        (["--code", "bad code!"], "--code"),
        (["--decision-date", "06/07/2022"], "--decision-date"),
    ],
)
def test_bad_set_arguments_exit_2(
    capsys: Cap, tmp_path: Path, args: list[str], message: str
) -> None:
    path = write_csv(tmp_path / "set.csv", SET_HEADER, SET_ROWS)
    base = {
        "--code": "T-SO-2022",
        "--year": "2022",
        "--unit-type": "department",
        "--survey-max": "5",
    }
    base[args[0]] = args[1]
    flat = [x for pair in base.items() for x in pair]
    status, _, err = par(capsys, "import-set", str(path), *flat)
    assert status == 2 and message in err
    assert not CriteriaSet.objects.exists()


def test_an_unknown_set_or_format_exits_2(capsys: Cap, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", SURVEY_HEADER, [["A", "1"]])
    for args in (
        ["import-survey", str(path), "--set", "NOPE"],
        ["import-scores", str(path), "--set", "NOPE"],
        ["results", "--set", "NOPE"],
    ):
        status, _, err = par(capsys, *args)
        assert status == 2 and "'NOPE': no such criteria set" in err
    status, err = par_cli(capsys, "results", "--set", "X", "--format", "xml")
    assert status == 2 and "--format" in err


def test_argparse_refusals_exit_2_through_the_motcua_command(capsys: Cap) -> None:
    set_args = ["import-set", "f.csv", "--code", "T", "--year", "2022", "--survey-max", "5"]
    status, err = par_cli(capsys, *set_args, "--unit-type", "province")
    assert status == 2 and "--unit-type" in err
    status, err = par_cli(capsys, *set_args[:-2], "--unit-type", "department")
    assert status == 2 and "--survey-max" in err
    status, err = par_cli(capsys, "import-scores", "f.csv")
    assert status == 2 and "--set" in err
    status, err = par_cli(capsys, "rank")
    assert status == 2 and "invalid choice" in err


def test_results_json_is_exactly_the_contract(capsys: Cap, loaded: Path) -> None:
    data = results(capsys, "T-SO-2022")
    assert data == {
        "set": "T-SO-2022",
        "units": [
            {
                "unit": "A",
                "evidence": 5,
                "survey": 4,
                "bonus": 0,
                "penalty": 0,
                "total": 9,
                "applicable_max": 10,
                "index": 90,
                "rank": 1,
                "group": "A",
                "fields": [
                    {"code": "1", "points": 3, "max": 3, "index": 100, "rank": 1},
                    {"code": "2", "points": 2, "max": 2, "index": 100, "rank": 1},
                ],
            },
            {
                # 1.2 not applicable: it leaves field 1's maximum and the total's.
                "unit": "B",
                "evidence": 3.5,
                "survey": 4.6,
                "bonus": 0,
                "penalty": 0,
                "total": 8.1,
                "applicable_max": 9,
                "index": 90,
                "rank": 1,
                "group": "A",
                "fields": [
                    {"code": "1", "points": 1.5, "max": 2, "index": 75, "rank": 2},
                    {"code": "2", "points": 2, "max": 2, "index": 100, "rank": 1},
                ],
            },
            {
                # Applicable leaves without a row (1.2, 2.1) score 0. The tie above skips 2.
                "unit": "C",
                "evidence": 1,
                "survey": 2,
                "bonus": 0,
                "penalty": 0,
                "total": 3,
                "applicable_max": 10,
                "index": 30,
                "rank": 3,
                "group": None,
                "fields": [
                    {"code": "1", "points": 1, "max": 3, "index": 33.33, "rank": 3},
                    {"code": "2", "points": 0, "max": 2, "index": 0, "rank": 4},
                ],
            },
            {
                # No survey row: 0 of the survey's 5 points.
                "unit": "D",
                "evidence": 1,
                "survey": 0,
                "bonus": 0,
                "penalty": 0,
                "total": 1,
                "applicable_max": 10,
                "index": 10,
                "rank": 4,
                "group": None,
                "fields": [
                    {"code": "1", "points": 0, "max": 3, "index": 0, "rank": 4},
                    {"code": "2", "points": 1, "max": 2, "index": 50, "rank": 3},
                ],
            },
        ],
    }


def test_results_table(capsys: Cap, loaded: Path) -> None:
    status, out, _ = par(capsys, "results", "--set", "T-SO-2022", "--format", "table")
    assert status == 0
    lines = out.strip().splitlines()
    assert lines[0].split()[:3] == ["rank", "unit", "evidence"]
    assert lines[1].split()[:2] == ["1", "A"] and lines[3].split()[:2] == ["3", "C"]
    assert "33.33" in lines[3] and lines[3].split()[9] == "-"


def test_bonus_and_penalty_count_capped(capsys: Cap, loaded: Path) -> None:
    criteria_set = CriteriaSet.objects.get(code="T-SO-2022")
    criteria_set.bonus_cap, criteria_set.penalty_cap = D(1), D("0.5")
    criteria_set.save()
    for points in ("0.75", "0.75"):
        add_adjustment(
            criteria_set=criteria_set,
            unit_code="C",
            kind="bonus",
            points=D(points),
            reason="Sáng kiến được công nhận",
            actor=None,
        )
    add_adjustment(
        criteria_set=criteria_set,
        unit_code="C",
        kind="penalty",
        points=D(2),
        reason="Báo cáo sai số liệu",
        actor=None,
    )
    unit = next(u for u in results(capsys, "T-SO-2022")["units"] if u["unit"] == "C")
    assert (unit["bonus"], unit["penalty"], unit["total"], unit["index"]) == (1, 0.5, 3.5, 35)


def test_import_scores_is_all_or_nothing(capsys: Cap, loaded: Path) -> None:
    before = sorted(LeafScore.objects.values_list("unit_code", "criterion__code", "points"))
    bad = write_csv(
        loaded / "bad.csv",
        SCORES_HEADER,
        [
            ["A", "1.1", "1", ""],  # fine, but the file fails as a whole
            ["A", "1", "3", ""],
            ["A", "9.9", "1", ""],
            ["B", "2.1", "2.5", ""],
            ["B", "1.1", "1", "yes"],
            ["B", "1.2", "1", "1"],
            ["A", "1.1", "2", ""],
            ["", "1.1", "0.123", ""],
        ],
    )
    status, out, err = par(capsys, "import-scores", str(bad), "--set", "T-SO-2022")
    assert status == 1 and out == ""
    assert err.strip().splitlines() == [
        "line 3: criterion '1' is not a leaf: its points are its children's",
        "line 4: criterion '9.9' is not in set T-SO-2022",
        "line 5: points 2.5 exceed the maximum 2.00 of 2.1",
        "line 6: not_applicable must be 1 or empty, found 'yes'",
        "line 7: a not-applicable leaf takes no points",
        "line 8: unit A and criterion 1.1 repeat line 2",
        "line 9: unit_code is empty",
        "line 9: points: 0.123 has more than 2 decimals",
    ]
    after = sorted(LeafScore.objects.values_list("unit_code", "criterion__code", "points"))
    assert after == before


def test_import_scores_replaces_a_units_leaves_and_is_idempotent(capsys: Cap, loaded: Path) -> None:
    again = write_csv(loaded / "a.csv", SCORES_HEADER, [["A", "1.1", "1.5", ""]])
    status, out, _ = par(capsys, "import-scores", str(again), "--set", "T-SO-2022")
    assert status == 0 and "scores of 1 units, 3 rows changed" in out
    assert dict(
        LeafScore.objects.filter(unit_code="A").values_list("criterion__code", "points")
    ) == {"1.1": D("1.5")}
    assert LeafScore.objects.filter(unit_code="B").count() == 3  # other units untouched
    status, out, _ = par(capsys, "import-scores", str(again), "--set", "T-SO-2022")
    assert status == 0 and "0 rows changed" in out
    unit = next(u for u in results(capsys, "T-SO-2022")["units"] if u["unit"] == "A")
    assert (unit["evidence"], unit["total"]) == (1.5, 5.5)


def test_import_survey_checks_the_maximum_and_is_idempotent(capsys: Cap, loaded: Path) -> None:
    bad = write_csv(loaded / "bad.csv", SURVEY_HEADER, [["A", "5.01"], ["A", "1"], ["B", "x"]])
    status, _, err = par(capsys, "import-survey", str(bad), "--set", "T-SO-2022")
    assert status == 1
    assert err.strip().splitlines() == [
        "line 2: points 5.01 exceed the survey maximum 5.00",
        "line 3: unit A repeats line 2",
        "line 4: points: expected a number, found 'x'",
    ]
    assert SurveyScore.objects.get(unit_code="A").points == D(4)
    same = write_csv(loaded / "same.csv", SURVEY_HEADER, SURVEY)
    status, out, _ = par(capsys, "import-survey", str(same), "--set", "T-SO-2022")
    assert status == 0 and "0 rows changed" in out


def test_a_published_set_refuses_scores_and_a_frozen_set_refuses_a_new_tree(
    capsys: Cap, loaded: Path
) -> None:
    criteria_set = CriteriaSet.objects.get(code="T-SO-2022")
    criteria_set.status = SetStatus.PUBLISHED
    criteria_set.save()
    path = write_csv(loaded / "s.csv", SURVEY_HEADER, [["A", "1"]])
    status, _, err = par(capsys, "import-survey", str(path), "--set", "T-SO-2022")
    assert status == 1 and "đã công bố" in err
    assert SurveyScore.objects.get(unit_code="A").points == D(4)
    status, _, err = import_set(capsys, loaded)
    assert status == 1 and "đã khoá" in err


def test_the_motcua_usage_names_the_par_commands(capsys: Cap) -> None:
    from motcua.cli import main

    assert main(["--help"]) == 0
    usage = capsys.readouterr().out
    assert "par import-set FILE.csv" in usage and "par results --set" in usage
