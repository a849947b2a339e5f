"""Demo PAR Index (Chỉ số CCHC) of Đồng Tháp, written through `motcua.par` services.

`build_par(seed=, today=)` adds, once (re-running adds nothing):

- the criteria set `DT-SO-<last full year>` for the departments (sở, ban, ngành): the seven
  fields of par-index.md §6 with their maxima (10.5, 6.5, 12.5, 8, 10, 8, 11 = 66.5) and survey
  33.5. The sub-criteria seed 002 names keep their codes and names (1.2.2, 1.5.1, 3.1.2, 3.1.3,
  7.2.1, 7.2.2; its 2.1.1.1 becomes the leaf 2.1.1 here); the other criteria, their names and
  every leaf maximum are invented for the demo [unconfirmed]. Every leaf is scored by the
  appraisers (no rule);
- final-round scores and survey points for every department of the demo tree on 31/12 of that
  year, drawn from `seed` (invented): indices spread between 73 and 92, two of them equal; the
  set is then moved through the rounds and published;
- a history of the province's other indices (`OtherIndexValue`, unit `DT`): the national PAR
  Index ranks 28 (2020), 27 (2021), 20 (2022), 19 of 63 (2023) are seed 003's figures, which
  belong to Hậu Giang and are borrowed for the demo province as the demo's letter 1449 is; every
  other value and rank (PAR Index 2024, SIPAS, PAPI, PCI) is invented for the demo;
- this year's set `DT-SO-<this year>`, a copy of last year's, with its self-assessment round
  open from a week ago to thirty days ahead, so that the process of §4 can be walked in the
  browser (a department self-assesses, its leader approves, Sở Nội vụ appraises).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from motcua.par.choices import RoundKind, SetStatus, UnitType
from motcua.par.copy import copy_set
from motcua.par.indices import IndexValue, save_index_values
from motcua.par.models import CriteriaSet
from motcua.par.process import plan_round
from motcua.par.services import (
    NodeSpec,
    change_set_status,
    replace_unit_scores,
    save_criteria_set,
    set_survey_points,
)
from motcua.units.choices import UnitLevel
from motcua.units.models import Unit

SOURCE = "demo"
PROVINCE = "DT"
SURVEY_MAX = Decimal("33.5")
INDEX_LOW, INDEX_HIGH = Decimal("72"), Decimal("93")

# (code, parent code, name, maximum); a parent's maximum is the sum of its children's.
TREE: tuple[tuple[str, str, str, str], ...] = (
    ("1", "", "Công tác chỉ đạo, điều hành cải cách hành chính", "10.5"),
    ("1.1", "1", "Kế hoạch cải cách hành chính năm", "2.5"),
    ("1.2", "1", "Thực hiện chế độ báo cáo", "3"),
    ("1.2.1", "1.2", "Báo cáo cải cách hành chính định kỳ", "1.5"),
    (
        "1.2.2",
        "1.2",
        "Báo cáo về kiểm soát TTHC và việc thực hiện cơ chế một cửa, một cửa liên thông",
        "1.5",
    ),
    ("1.3", "1", "Kiểm tra công tác cải cách hành chính", "2"),
    ("1.4", "1", "Thực hiện nhiệm vụ được Ủy ban nhân dân tỉnh giao", "1.5"),
    ("1.5", "1", "Sáng kiến trong cải cách hành chính", "1.5"),
    ("1.5.1", "1.5", "Có từ 03 sáng kiến hoặc giải pháp mới trong CCHC", "1.5"),
    ("2", "", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", "6.5"),
    ("2.1", "2", "Theo dõi tình hình thi hành pháp luật", "2"),
    ("2.1.1", "2.1", "Ban hành kế hoạch theo dõi tình hình thi hành pháp luật", "1"),
    ("2.1.2", "2.1", "Mức độ hoàn thành kế hoạch theo dõi thi hành pháp luật", "1"),
    ("2.2", "2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", "2.5"),
    ("2.3", "2", "Xử lý văn bản sau rà soát", "2"),
    ("3", "", "Cải cách thủ tục hành chính", "12.5"),
    ("3.1", "3", "Rà soát, đánh giá thủ tục hành chính", "4"),
    ("3.1.1", "3.1", "Ban hành kế hoạch rà soát, đánh giá TTHC", "1"),
    ("3.1.2", "3.1", "Mức độ hoàn thành kế hoạch rà soát, đánh giá TTHC", "1.5"),
    ("3.1.3", "3.1", "Xử lý các vấn đề phát hiện qua rà soát TTHC", "1.5"),
    ("3.2", "3", "Công bố, công khai thủ tục hành chính", "3"),
    ("3.3", "3", "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết đúng hạn", "3.5"),
    ("3.4", "3", "Tiếp nhận, xử lý phản ánh, kiến nghị về thủ tục hành chính", "2"),
    ("4", "", "Cải cách tổ chức bộ máy", "8"),
    ("4.1", "4", "Sắp xếp tổ chức bộ máy theo quy định", "3"),
    ("4.2", "4", "Thực hiện quy định về số lượng cấp phó", "2"),
    ("4.3", "4", "Quản lý, sử dụng biên chế được giao", "3"),
    ("5", "", "Xây dựng và nâng cao chất lượng đội ngũ công chức, viên chức", "10"),
    ("5.1", "5", "Thực hiện quy định về vị trí việc làm", "3"),
    ("5.2", "5", "Tuyển dụng, bố trí công chức, viên chức", "2.5"),
    ("5.3", "5", "Đào tạo, bồi dưỡng công chức, viên chức", "2.5"),
    ("5.4", "5", "Chấp hành kỷ luật, kỷ cương hành chính", "2"),
    ("6", "", "Cải cách tài chính công", "8"),
    ("6.1", "6", "Thực hiện cơ chế tự chủ tài chính", "3"),
    ("6.2", "6", "Quản lý, sử dụng tài sản công", "2.5"),
    ("6.3", "6", "Thực hiện quy định về thu, chi ngân sách", "2.5"),
    ("7", "", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "11"),
    ("7.1", "7", "Ứng dụng công nghệ thông tin trong hoạt động của cơ quan", "3"),
    ("7.1.1", "7.1", "Tỷ lệ văn bản trao đổi dưới dạng điện tử", "1.5"),
    ("7.1.2", "7.1", "Sử dụng chữ ký số trong văn bản điện tử", "1.5"),
    ("7.2", "7", "Cung cấp dịch vụ công trực tuyến", "5"),
    ("7.2.1", "7.2", "Số TTHC cung cấp trực tuyến mức độ 3, 4 có phát sinh hồ sơ", "2.5"),
    ("7.2.2", "7.2", "Tỷ lệ hồ sơ TTHC được giải quyết trực tuyến mức độ 3 và 4", "2.5"),
    ("7.3", "7", "Áp dụng Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001", "1.5"),
    ("7.4", "7", "Thực hiện cơ chế một cửa, một cửa liên thông", "1.5"),
)

_SEED3 = "Thứ hạng Chỉ số CCHC do Bộ Nội vụ công bố (số liệu của Hậu Giang, mượn cho bản mẫu)"
_INVENTED = "Số liệu minh họa của bản mẫu, không phải số liệu công bố"
# (index, year, value, rank, out of, source); see the module docstring for what is invented.
OTHER_INDICES: tuple[tuple[str, int, str | None, int | None, int | None, str], ...] = (
    ("PAR", 2020, None, 28, 63, _SEED3),
    ("PAR", 2021, None, 27, 63, _SEED3),
    ("PAR", 2022, None, 20, 63, _SEED3),
    ("PAR", 2023, None, 19, 63, _SEED3),
    ("PAR", 2024, "87.12", 16, 63, _INVENTED),
    ("SIPAS", 2021, "82.35", 30, 63, _INVENTED),
    ("SIPAS", 2022, "80.74", 33, 63, _INVENTED),
    ("SIPAS", 2023, "83.9", 24, 63, _INVENTED),
    ("SIPAS", 2024, "84.61", 21, 63, _INVENTED),
    ("PAPI", 2021, "42.18", 25, 63, _INVENTED),
    ("PAPI", 2022, "41.76", 31, 63, _INVENTED),
    ("PAPI", 2023, "43.05", 19, 63, _INVENTED),
    ("PCI", 2021, "66.21", 14, 63, _INVENTED),
    ("PCI", 2022, "67.4", 11, 63, _INVENTED),
    ("PCI", 2023, "68.02", 9, 63, _INVENTED),
)

STEP = Decimal("0.25")  # the appraisers' steps on a leaf


def set_code(year: int) -> str:
    """The demo set's code for a year: DT-SO-2025."""
    return f"DT-SO-{year}"


def _nodes() -> list[NodeSpec]:
    return [NodeSpec(code=c, parent_code=p, name=n, max_points=Decimal(m)) for c, p, n, m in TREE]


def _leaves() -> list[tuple[str, Decimal]]:
    parents = {p for _, p, _, _ in TREE if p}
    return [(c, Decimal(m)) for c, _, _, m in TREE if c not in parents]


def department_codes(year: int) -> list[str]:
    """The codes of the demo's departments in force on 31/12 of `year`, in code order."""
    rows = Unit.objects.valid_on(dt.date(year, 12, 31)).filter(level=UnitLevel.DEPARTMENT)
    return sorted(set(rows.values_list("code", flat=True)))


def _targets(rng: random.Random, count: int) -> list[Decimal]:
    """Indices spread over the demo's range, in random order, two of them equal (a tie)."""
    if count == 0:
        return []
    low, high = float(INDEX_LOW) + 1, float(INDEX_HIGH) - 1
    step = (high - low) / max(count - 1, 1)
    values = [low + i * step + rng.uniform(-0.4, 0.4) for i in range(count)]
    if count > 2:
        values[count // 2 + 1] = values[count // 2]
    rng.shuffle(values)
    return [Decimal(str(round(v, 2))) for v in values]


def _unit_scores(
    rng: random.Random, leaves: list[tuple[str, Decimal]], target: Decimal
) -> tuple[dict[str, tuple[Decimal, bool]], Decimal]:
    """One department's leaf points and survey points adding up to `target` (of 100)."""
    evidence_max = sum((top for _, top in leaves), Decimal(0))
    while True:
        share = min(1.0, max(0.6, float(target) / 100 + rng.gauss(0, 0.03)))
        lost = (evidence_max * (1 - Decimal(str(share))) / STEP).quantize(Decimal("1")) * STEP
        points = {code: top for code, top in leaves}
        while lost > 0:
            code = rng.choice([c for c, p in points.items() if p > 0])
            cut = min(Decimal(rng.choice(["0.25", "0.5", "0.5", "1"])), points[code], lost)
            points[code] -= cut
            lost -= cut
        survey = target - sum(points.values(), Decimal(0))
        if 0 <= survey <= SURVEY_MAX:  # applicable maximum 100: total = index
            return {code: (p, False) for code, p in points.items()}, survey


@transaction.atomic
def build_par(*, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    """Create the demo PAR Index once; the counts created (empty when already there)."""
    today = today or timezone.localdate()
    year = today.year - 1
    code = set_code(year)
    if CriteriaSet.objects.filter(code=code).exists():
        return {}
    units = department_codes(year)
    criteria_set, _ = save_criteria_set(
        code=code,
        year=year,
        unit_type=UnitType.DEPARTMENT,
        survey_max=SURVEY_MAX,
        nodes=_nodes(),
        actor=None,
        source=SOURCE,
    )
    for status in (SetStatus.SELF_ASSESSMENT, SetStatus.APPRAISAL, SetStatus.FINAL):
        criteria_set = change_set_status(
            criteria_set=criteria_set, to=status, actor=None, source=SOURCE
        )
    rng = random.Random(seed * 7919 + year)
    leaves = _leaves()
    scores: dict[str, dict[str, tuple[Decimal, bool]]] = {}
    surveys: dict[str, Decimal] = {}
    for unit, target in zip(units, _targets(rng, len(units)), strict=True):
        scores[unit], surveys[unit] = _unit_scores(rng, leaves, target)
    replace_unit_scores(criteria_set=criteria_set, scores=scores, actor=None, source=SOURCE)
    set_survey_points(criteria_set=criteria_set, points=surveys, actor=None, source=SOURCE)
    change_set_status(criteria_set=criteria_set, to=SetStatus.PUBLISHED, actor=None, source=SOURCE)
    values = [
        IndexValue(
            index=index,
            year=y,
            unit_code=PROVINCE,
            value=Decimal(value) if value is not None else None,
            rank=rank,
            out_of=out_of,
            source_document=source,
        )
        for index, y, value, rank, out_of, source in OTHER_INDICES
        if y < year
    ]
    indices = save_index_values(values=values, actor=None, source=SOURCE) if values else 0
    # This year's set, copied from last year's, with its self-assessment round open: the
    # departments self-assess and Sở Nội vụ appraises it in the browser (par-index.md §4).
    current = copy_set(
        source=criteria_set, code=set_code(year + 1), year=year + 1, actor=None, src=SOURCE
    )
    plan_round(
        criteria_set=current,
        kind=RoundKind.SELF_ASSESSMENT,
        opens_on=today - dt.timedelta(days=7),
        deadline=today + dt.timedelta(days=30),
        actor=None,
        source=SOURCE,
    )
    return {"criteria": len(TREE), "units": len(units), "other_indices": indices}
