"""The indicators of Decision 766 (statistics.md §5): codes, groups, maxima, rules and scoring.

A definition is data: code, group, maximum, threshold, confirmation status, what a zero
denominator gives, and the Vietnamese name, formula and window printed beside the figure.
How each numerator and denominator is counted lives in `motcua.index766.engine`.

Scoring (the Government Office's general rule, statistics.md §5): ratio = numerator ÷
denominator; points = ratio × maximum, or, where a threshold T applies, the maximum when
ratio ≥ T and ratio × maximum ÷ T otherwise; `ratio` is shown as a percentage and both are
rounded half-up to 2 decimals, each from the exact fraction (never the rounded ratio).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

LIVE = "live"  # formula in the Government Office's description, scores reproduced
DOC = "doc"  # in the description only
ESTIMATED = "estimated"  # fitted or partly known: shown as an estimate
STATUSES = (LIVE, DOC, ESTIMATED)

# What a zero denominator gives.
ZERO = "zero"  # ratio 0, points 0 (the portal's published scores)
FULL = "full"  # full points (the portal's published scores; flagged)
NOT_APPLICABLE = "not_applicable"  # no points, left out of the total (flagged)

# The state of an indicator's data.
OK = "ok"
EMPTY = "empty"  # computed, zero denominator
NO_DATA = "no_data"  # motcua does not record what it needs

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    max: int


@dataclass(frozen=True)
class Spec:
    """One indicator."""

    code: str
    group: str
    name: str
    formula: str
    window: str
    max: int
    status: str
    threshold: int | None = None  # percent: full points at or above it
    on_zero: str = NOT_APPLICABLE
    source: str = "dossier"  # dossier, procedure, feedback


GROUPS = (
    Group("transparency", gettext_noop("Công khai, minh bạch"), 18),
    Group("progress", gettext_noop("Tiến độ, kết quả giải quyết"), 20),
    Group("digitization", gettext_noop("Số hóa hồ sơ"), 22),
    Group("online", gettext_noop("Cung cấp dịch vụ trực tuyến"), 12),
    Group("payment", gettext_noop("Thanh toán trực tuyến"), 10),
    Group("satisfaction", gettext_noop("Mức độ hài lòng"), 18),
)
GROUP_CODES = tuple(g.code for g in GROUPS)

RECEIVED_IN = gettext_noop("hồ sơ tiếp nhận trong kỳ")
COUNTED_IN = gettext_noop("hồ sơ kỳ trước chuyển sang và tiếp nhận mới trong kỳ")

SPECS: tuple[Spec, ...] = (
    # 5.1 transparency — 18
    Spec(
        "transparency.published_on_time",
        "transparency",
        gettext_noop("Thủ tục được công bố đúng hạn"),
        gettext_noop(
            "Số thủ tục có quyết định công bố ban hành trước ngày có hiệu lực của văn bản "
            "quy định ít nhất 5 ngày làm việc ÷ số thủ tục phải công bố trong kỳ"
        ),
        gettext_noop("thủ tục có ngày hiệu lực trong kỳ"),
        6,
        LIVE,
        source="procedure",
    ),
    Spec(
        "transparency.made_public_on_time",
        "transparency",
        gettext_noop("Thủ tục được cập nhật, công khai đúng hạn"),
        gettext_noop(
            "Số thủ tục công khai trên Cơ sở dữ liệu quốc gia trong 5 ngày làm việc kể từ "
            "ngày quyết định công bố ÷ số thủ tục phải công khai"
        ),
        gettext_noop("thủ tục có quyết định công bố trong kỳ"),
        4,
        LIVE,
        source="procedure",
    ),
    Spec(
        "transparency.complete",
        "transparency",
        gettext_noop("Thủ tục công khai đầy đủ các bộ phận"),
        gettext_noop(
            "Số thủ tục công khai có đủ tên, trình tự, cách thức, thành phần hồ sơ, thời hạn, "
            "đối tượng, cơ quan thực hiện ÷ số thủ tục đã công khai"
        ),
        gettext_noop("thủ tục đã công khai đến hết kỳ"),
        2,
        LIVE,
        source="procedure",
    ),
    Spec(
        "transparency.synchronised",
        "transparency",
        gettext_noop("Hồ sơ được đồng bộ lên Cổng Dịch vụ công quốc gia"),
        gettext_noop("Số hồ sơ tiếp nhận trong kỳ đã đồng bộ trạng thái ÷ số hồ sơ tiếp nhận"),
        RECEIVED_IN,
        6,
        LIVE,
    ),
    # 5.2 progress — 20
    Spec(
        "progress.on_time",
        "progress",
        gettext_noop("Hồ sơ giải quyết trước hạn, đúng hạn"),
        gettext_noop(
            "(Số hồ sơ kết thúc trong kỳ không muộn hơn hạn giải quyết + số hồ sơ chưa kết thúc "
            "còn trong hạn) ÷ số hồ sơ phải giải quyết trong kỳ; bổ sung hồ sơ quá một lần "
            "là quá hạn"
        ),
        COUNTED_IN,
        20,
        LIVE,
        on_zero=ZERO,
    ),
    # 5.3 digitization — 22
    Spec(
        "digitization.e_result",
        "digitization",
        gettext_noop("Hồ sơ có kết quả điện tử"),
        gettext_noop(
            "Số hồ sơ có tệp kết quả điện tử ÷ số hồ sơ đã giải quyết của thủ tục có kết quả "
            "bản giấy"
        ),
        gettext_noop("hồ sơ giải quyết xong trong kỳ"),
        6,
        DOC,
    ),
    Spec(
        "digitization.digitised",
        "digitization",
        gettext_noop("Hồ sơ được số hóa"),
        gettext_noop(
            "Số hồ sơ có tệp thành phần hồ sơ (mọi kênh) và, nếu kết quả là bản giấy, có kết "
            "quả điện tử ÷ số hồ sơ tiếp nhận; đạt 80% được đủ điểm"
        ),
        RECEIVED_IN,
        4,
        DOC,
        threshold=80,
    ),
    Spec(
        "digitization.certified_copies",
        "digitization",
        gettext_noop("Cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính"),
        gettext_noop("Số xã cung cấp dịch vụ ÷ số xã quản lý"),
        gettext_noop("đơn vị cấp xã trực thuộc"),
        2,
        DOC,
        source="none",
    ),
    Spec(
        "digitization.reuse",
        "digitization",
        gettext_noop("Hồ sơ tái sử dụng dữ liệu số hóa"),
        gettext_noop(
            "Số hồ sơ có ít nhất một thành phần tái sử dụng dữ liệu đã số hóa ÷ số hồ sơ "
            "tiếp nhận; đạt 80% được đủ điểm"
        ),
        RECEIVED_IN,
        2,
        LIVE,
        threshold=80,
    ),
    Spec(
        "digitization.edata",
        "digitization",
        gettext_noop("Hồ sơ liên kết kho dữ liệu điện tử của tổ chức, cá nhân"),
        gettext_noop(
            "Số hồ sơ có thành phần lấy từ kho hoặc có kết quả điện tử đẩy vào kho ÷ số hồ sơ "
            "tiếp nhận"
        ),
        RECEIVED_IN,
        4,
        DOC,
    ),
    Spec(
        "digitization.population",
        "digitization",
        gettext_noop("Hồ sơ sử dụng Cơ sở dữ liệu quốc gia về dân cư"),
        gettext_noop(
            "Số hồ sơ có tài khoản xác thực VNeID hoặc dữ liệu từ Cơ sở dữ liệu quốc gia về "
            "dân cư ÷ số hồ sơ tiếp nhận"
        ),
        RECEIVED_IN,
        2,
        DOC,
    ),
    Spec(
        "digitization.population_procedures",
        "digitization",
        gettext_noop("Thủ tục kết nối dữ liệu dân cư"),
        gettext_noop(
            "Số thủ tục có hồ sơ sử dụng dữ liệu dân cư trong kỳ ÷ số thủ tục có đối tượng "
            "thực hiện là cá nhân"
        ),
        gettext_noop("thủ tục thuộc thẩm quyền; hồ sơ tiếp nhận trong kỳ"),
        2,
        DOC,
        source="procedure",
    ),
    # 5.4 online services — 12
    Spec(
        "online.offered",
        "online",
        gettext_noop("Thủ tục cung cấp dịch vụ công trực tuyến"),
        gettext_noop(
            "Số thủ tục có dịch vụ công trực tuyến (một phần hoặc toàn trình) ÷ số thủ tục "
            "thuộc thẩm quyền; đạt 80% được đủ điểm"
        ),
        gettext_noop("thủ tục thuộc thẩm quyền đến hết kỳ"),
        2,
        ESTIMATED,
        threshold=80,
        source="procedure",
    ),
    Spec(
        "online.services_used",
        "online",
        gettext_noop("Dịch vụ công trực tuyến phát sinh hồ sơ"),
        gettext_noop(
            "Số dịch vụ công trực tuyến có ít nhất một hồ sơ nộp trực tuyến trong kỳ ÷ số "
            "dịch vụ công trực tuyến"
        ),
        gettext_noop("thủ tục trực tuyến thuộc thẩm quyền; hồ sơ tiếp nhận trong kỳ"),
        4,
        ESTIMATED,
        source="procedure",
    ),
    Spec(
        "online.dossiers",
        "online",
        gettext_noop("Hồ sơ nộp trực tuyến"),
        gettext_noop(
            "Số hồ sơ nộp trực tuyến (nếu kết quả là bản giấy thì có cả kết quả điện tử) ÷ số "
            "hồ sơ tiếp nhận, nhân tỷ lệ đồng bộ; đạt 50% được đủ điểm"
        ),
        RECEIVED_IN,
        6,
        ESTIMATED,
        threshold=50,
    ),
    # 5.4 online payment — 10
    Spec(
        "payment.procedures_integrated",
        "payment",
        gettext_noop("Thủ tục có phí, lệ phí tích hợp thanh toán trực tuyến"),
        gettext_noop(
            "Số thủ tục có hồ sơ trong kỳ với phí, lệ phí khác 0 ÷ số thủ tục có phí, lệ phí "
            "khác 0; đạt 80% được đủ điểm"
        ),
        gettext_noop("thủ tục có phí thuộc thẩm quyền; hồ sơ tiếp nhận trong kỳ"),
        2,
        ESTIMATED,
        threshold=80,
        source="procedure",
    ),
    Spec(
        "payment.procedures_paid_online",
        "payment",
        gettext_noop("Thủ tục phát sinh giao dịch thanh toán trực tuyến"),
        gettext_noop(
            "Số thủ tục có phí có ít nhất một giao dịch thanh toán trực tuyến trong kỳ ÷ số "
            "thủ tục có phí, lệ phí khác 0"
        ),
        gettext_noop("thủ tục có phí thuộc thẩm quyền; thanh toán trong kỳ"),
        2,
        ESTIMATED,
        source="procedure",
    ),
    Spec(
        "payment.dossiers_paid_online",
        "payment",
        gettext_noop("Hồ sơ thanh toán trực tuyến"),
        gettext_noop(
            "Số hồ sơ thanh toán trực tuyến (Cổng Dịch vụ công quốc gia hoặc cổng thanh toán "
            "của tỉnh) ÷ số hồ sơ có phí, lệ phí khác 0"
        ),
        RECEIVED_IN,
        6,
        ESTIMATED,
    ),
    # 5.5 satisfaction — 18
    Spec(
        "satisfaction.feedback_on_time",
        "satisfaction",
        gettext_noop("Phản ánh, kiến nghị được xử lý đúng hạn"),
        gettext_noop(
            "(Số phản ánh xử lý trước hạn, đúng hạn + số đang xử lý còn hạn) ÷ số phản ánh "
            "thuộc thẩm quyền; từ chối ≤ 2, yêu cầu bổ sung lần đầu ≤ 5, xử lý ≤ 15, công khai "
            "≤ 2 ngày làm việc"
        ),
        gettext_noop("phản ánh kỳ trước chuyển sang và tiếp nhận trong kỳ"),
        6,
        LIVE,
        on_zero=FULL,
        source="feedback",
    ),
    Spec(
        "satisfaction.feedback_satisfaction",
        "satisfaction",
        gettext_noop("Mức độ hài lòng về xử lý phản ánh, kiến nghị"),
        gettext_noop(
            "(Số phản ánh − số không hài lòng (không thích nhiều hơn thích) − số bị phản ánh "
            "lại vì chưa hài lòng − số quá hạn) ÷ số phản ánh tiếp nhận lần đầu trong kỳ"
        ),
        gettext_noop("phản ánh tiếp nhận trong kỳ"),
        6,
        LIVE,
        on_zero=FULL,
        source="feedback",
    ),
    Spec(
        "satisfaction.dossiers",
        "satisfaction",
        gettext_noop("Mức độ hài lòng về giải quyết hồ sơ"),
        gettext_noop(
            "(Số hồ sơ − số hồ sơ bị đánh giá không hài lòng, có phản ánh về việc giải quyết "
            "hoặc quá hạn) ÷ số hồ sơ; đạt 90% được đủ điểm"
        ),
        COUNTED_IN,
        6,
        LIVE,
        threshold=90,
        on_zero=ZERO,
    ),
)
SPEC = {s.code: s for s in SPECS}

# Plain-language notes attached to a figure (shown beside it).
NOTE_NO_DATA = _("Chưa có dữ liệu")
ZERO_NOTES = {
    ZERO: gettext_noop("Không có hồ sơ trong kỳ: tỷ lệ 0, điểm 0 (như Cổng Dịch vụ công quốc gia)"),
    FULL: gettext_noop(
        "Không có phản ánh trong kỳ: được đủ điểm (như điểm Cổng Dịch vụ công quốc gia "
        "công bố; chưa được xác nhận)"
    ),
    NOT_APPLICABLE: gettext_noop("Không có đối tượng tính trong kỳ: không áp dụng"),
}


def fraction(numerator: int, denominator: int) -> Decimal:
    """numerator ÷ denominator, exactly enough for the rounding that follows (0 when empty)."""
    if not denominator:
        return Decimal(0)
    return Decimal(numerator) / Decimal(denominator)


def half_up(value: Decimal) -> float:
    """Rounded half-up to 2 decimals (the portal's rounding: 18.125 → 18.13)."""
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


def ratio_percent(numerator: int, denominator: int) -> float:
    """The ratio as a percentage, rounded half-up to 2 decimals (0 for a zero denominator)."""
    return half_up(fraction(numerator, denominator) * 100)


def score(numerator: int, denominator: int, maximum: int, threshold: int | None = None) -> float:
    """Points by the general rule: ratio × max, or full at the threshold, rounded half-up."""
    return score_of(fraction(numerator, denominator), maximum, threshold)


def score_of(value: Decimal, maximum: int, threshold: int | None = None) -> float:
    """Points for an exact ratio `value` (0..1)."""
    if threshold is not None:
        t = Decimal(threshold) / 100
        if value >= t:
            return float(maximum)
        return half_up(value * maximum / t)
    return half_up(value * maximum)
