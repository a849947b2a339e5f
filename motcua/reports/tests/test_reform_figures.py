"""Index figures of the reform report: seed 002's PAR Index result (82,91, rank 13 of 20)."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.lib.periods import parse_period
from motcua.par.tests.test_seed_002 import imported  # noqa: F401 - a shared fixture
from motcua.reports.reform.index_figures import par_figures

pytestmark = pytest.mark.django_db


def test_par_index_score_rank_and_lost_points_of_seed_002(imported: None) -> None:  # noqa: F811
    cutoff = dt.datetime(2023, 4, 1, tzinfo=dt.UTC)
    figures = {f.key: f for f in par_figures("QNG.BDT", parse_period("2023-Q1"), cutoff)}
    assert figures["par.total"].value == 82.91
    assert figures["par.rank"].value == "13/20"
    assert (
        figures["par.total"].window["kind"] == "year"
        and figures["par.total"].window["year"] == 2022
    )
    assert figures["par.total"].label.startswith("Điểm Chỉ số CCHC năm 2022")
    assert figures["par.lost_criteria"].value == len(figures["par.lost_points"].source["criteria"])
    assert {"7.2.1", "7.2.2"} <= set(figures["par.lost_points"].source["criteria"])
    assert figures["par.total"].source["url"] == "/chi-so-cchc/QNG-SO-2022/QNG.BDT/"
    # a report period before the set's year has no PAR figure
    assert par_figures("QNG.BDT", parse_period("2021-Q4"), cutoff) == []
