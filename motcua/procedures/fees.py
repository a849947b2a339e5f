"""Fees as written — phí, lệ phí như công bố: the catalogue's wording read into
`Procedure.fee_spec`, and a dossier's fee computed from it (docs/procedures.md).

The national pages state a fee per channel row ("Trực tiếp / Trực tuyến / Dịch vụ bưu
chính") in free text: "Miễn phí", "800,000 Việt Nam Đồng(áp dụng mức phí 400.000 đồng/hồ sơ
kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 theo Thông tư số 64/2025/TT-BTC)", "2,000 Việt Nam
Đồng(/trang)" with the tiers in the row's description, "10 USD(/bản)", "Mức lệ phí cụ thể do
Hội đồng nhân dân tỉnh … quyết định", "Không có thông tin". `parse_fee_rows` keeps each row as
an *option* of its channel:

    fee_spec = {
      "version": 1,
      "kind": "fixed",              # the options' kinds if they agree, else "mixed"
      "channels": {                 # keys are Dossier.channel values
        "direct": [option, ...], "online": [...], "postal": [...]},
      "local_decision": {           # only once an officer recorded the province's decision
        "number": "12/2025/NQ-HĐND", "date": "2025-07-10", "amount": 8000,
        "recorded_by": "…", "recorded_at": "2026-12-07T08:00:00+07:00"},
    }
    option = {
      "kind": "free" | "fixed" | "per_page" | "per_item" | "local" | "unknown",
      "currency": "VND" | "USD",    # a foreign amount is kept in its currency, never converted
      "amount": 2000 | None,        # base amount in that currency (first tier for per_page)
      "per": "trang" | "bản" | "hồ sơ" | "lần" | … | "",
      "tiers": [{"from_page": 3, "amount": 1000}],   # per_page, after the base rate
      "cap": 200000 | None, "cap_per": "bản",
      "reductions": [{"amount": 400000, "from": "2025-07-01", "to": "2026-12-31",
                      "legal_document": "Thông tư số 64/2025/TT-BTC"}],
      "place": "Tại cơ quan đại diện", "abroad": False,
      "doubtful": "",               # why the written base amount cannot be charged as is
      "as_written": "…",            # the fee cell (and the description it was read from)
    }

`compute_fee(procedure_or_spec, channel=, counts=, on=)` gives the amount in đồng (None when
unknown, foreign, or set locally and not yet recorded), amounts in other currencies and a
Vietnamese breakdown; its `as_detail()` is what `Dossier.fee_detail` keeps.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.lib.vntext import fold, nfc

SPEC_VERSION = 1
VND = "VND"
CHANNEL_KEYS = {"Trực tiếp": "direct", "Trực tuyến": "online", "Dịch vụ bưu chính": "postal"}
CHANNEL_ORDER = ["direct", "online", "postal"]
# The labels of `Dossier.channel` (dossiers.choices.Channel), kept here: procedures sit below
# dossiers and never import them.
CHANNEL_LABELS = {
    "direct": _("Trực tiếp"),
    "online": _("Trực tuyến"),
    "postal": _("Qua dịch vụ bưu chính công ích"),
}

FREE, FIXED, PER_PAGE, PER_ITEM, LOCAL, UNKNOWN = (
    "free",
    "fixed",
    "per_page",
    "per_item",
    "local",
    "unknown",
)
MIXED = "mixed"
# Counts a kind needs from the dossier (names of `counts` keys; also the form's fields).
PAGES, COPIES, ITEMS = "pages", "copies", "items"
COUNTS_BY_KIND = {PER_PAGE: (PAGES, COPIES), PER_ITEM: (ITEMS,)}
MAX_COUNT = 100_000
# No fee in đồng is below 1.000 đ since the 2016 fee law; "50 VNĐ" beside a reduced
# "25.000 đồng/hồ sơ" is the national database missing three zeros, not a 50 đ fee.
LEAST_PLAUSIBLE_DONG = 1000

_HEAD = re.compile(
    r"^\s*(?:(?P<free>Miễn phí)|(?P<none>Không có thông tin)|"
    r"(?P<amount>\d[\d.,]*)\s*(?P<currency>Việt Nam Đồng|VNĐ|Đồng|đồng|USD))",
    re.I,
)
_PER = re.compile(
    r"/\s*(?:0?1\s+)?(trang|bản|lần cấp phép|lần gia hạn|lần|trường hợp|giao dịch|văn bản|"
    r"di chúc|hồ sơ)",
    re.I,
)
_BARE_PER = re.compile(r"^\(*\s*(hồ sơ)\b", re.I)
_TIER = re.compile(r"từ trang thứ\s*(\d+)\s*trở lên thu\s*(\d[\d.]*)\s*đồng\s*/\s*trang", re.I)
_CAP = re.compile(r"tối đa thu không quá\s*(\d[\d.]*)\s*đồng\s*/\s*(\w+)", re.I)
_DATE = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_REDUCTION = re.compile(
    r"áp dụng mức phí\s*:?\s*(\d[\d.]*)\s*đồng(?:\s*\([^()]*\))?(?:\s*/\s*hồ sơ)?\s*"
    rf"kể từ ngày\s*{_DATE}\s*đến hết ngày\s*{_DATE}\s*theo\s*"
    r"(Thông tư số\s*[\w/\-.]*\w)",
    re.I,
)
_PLACE = re.compile(r"^\s*(Tại [^:\n]{3,120}):")
_RECOVER = re.compile(r"^\d*\s*(Miễn phí)\s*$")  # "75Miễn phí": time and fee glued by the scraper


def _int(text: str) -> int:
    return int(re.sub(r"[.,\s]", "", text))


def _date(day: str, month: str, year: str) -> str:
    return dt.date(int(year), int(month), int(day)).isoformat()


def parse_fee(fee: str, description: str = "") -> dict[str, Any]:
    """One channel row's fee cell (and its description) as an option (see module doc)."""
    fee, description = nfc(fee or ""), nfc(description or "")
    recovered = _RECOVER.match(description) if not fee else None
    if recovered:
        fee, description = recovered[1], ""
    text = f"{fee} {description}".strip()
    folded = fold(text)
    head = _HEAD.match(fee)
    rest = fee[head.end() :] if head else fee
    option: dict[str, Any] = {
        "kind": UNKNOWN,
        "currency": VND,
        "amount": None,
        "per": "",
        "tiers": [],
        "cap": None,
        "cap_per": "",
        "reductions": [],
        "place": "",
        "abroad": "co quan dai dien" in folded,
        "doubtful": "",
        "as_written": fee + (f" — {description}" if description and fee else description),
    }
    place = _PLACE.match(description)
    if place:
        option["place"] = place[1].strip()
    for m in _REDUCTION.finditer(text):
        reduction = {
            "amount": _int(m[1]),
            "from": _date(m[2], m[3], m[4]),
            "to": _date(m[5], m[6], m[7]),
            "legal_document": " ".join(m[8].split()),
        }
        if reduction not in option["reductions"]:
            option["reductions"].append(reduction)
    if "hoi dong nhan dan" in folded:
        option["kind"] = LOCAL
        return option
    if head is None or head["none"]:
        if option["reductions"]:  # no base amount, but a dated amount is written
            option["kind"] = FIXED
            option["doubtful"] = gettext("mức phí thường không được ghi")
        return option
    if head["free"]:
        if option["reductions"]:
            option["kind"] = FIXED
            option["doubtful"] = gettext(
                "Cơ sở dữ liệu quốc gia ghi “Miễn phí” nhưng lại ghi mức phí áp dụng có thời hạn"
            )
        else:
            option["kind"] = FREE
            option["amount"] = 0
        return option
    option["amount"] = _int(head["amount"])
    if head["currency"].upper() == "USD":
        option["currency"] = "USD"
    per = _PER.search(rest) or _PER.search(description) or _BARE_PER.match(rest)
    option["per"] = per[1].lower() if per else ""
    if option["per"] == "trang":
        option["kind"] = PER_PAGE
        option["tiers"] = [
            {"from_page": int(m[1]), "amount": _int(m[2])} for m in _TIER.finditer(text)
        ]
        cap = _CAP.search(text)
        if cap:
            option["cap"], option["cap_per"] = _int(cap[1]), cap[2].lower()
    elif option["per"] in {"", "hồ sơ"}:
        option["kind"] = FIXED
    else:
        option["kind"] = PER_ITEM
    if option["currency"] == VND:
        if option["amount"] < LEAST_PLAUSIBLE_DONG:
            option["doubtful"] = gettext(
                "mức %(amount)s đồng ghi trong Cơ sở dữ liệu quốc gia thấp bất thường "
                "(có thể thiếu chữ số)"
            ) % {"amount": dong(option["amount"], unit="")}
        elif any(r["amount"] > option["amount"] for r in option["reductions"]):
            option["doubtful"] = gettext("mức phí áp dụng có thời hạn cao hơn mức phí thường")
    return option


def parse_fee_rows(rows: list[dict[str, str]]) -> dict[str, Any]:
    """The catalogue's channel rows ({channel, time, fee, description}) as a fee spec."""
    with translation.override("vi"):
        channels: dict[str, list[dict[str, Any]]] = {}
        for row in rows or []:
            key = CHANNEL_KEYS.get(nfc(row.get("channel") or ""))
            if key is None:
                continue
            option = parse_fee(row.get("fee") or "", row.get("description") or "")
            if option not in channels.setdefault(key, []):
                channels[key].append(option)
    for key, options in channels.items():
        # A row the scraper cut out of another row's text says nothing: keep the real ones.
        known = [o for o in options if o["kind"] != UNKNOWN]
        channels[key] = known or options[:1]
    if not channels:
        return {}
    ordered = {key: channels[key] for key in CHANNEL_ORDER if key in channels}
    kinds = {o["kind"] for options in ordered.values() for o in options}
    return {
        "version": SPEC_VERSION,
        "kind": kinds.pop() if len(kinds) == 1 else MIXED,
        "channels": ordered,
    }


def merge_local_decision(spec: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """A re-read spec keeps the province's recorded decision while a local option remains."""
    decision = (previous or {}).get("local_decision")
    if decision and spec and has_local(spec):
        return {**spec, "local_decision": decision}
    return spec


def has_local(spec: dict[str, Any]) -> bool:
    """Whether some channel's fee is set by the Provincial People's Council."""
    return any(o["kind"] == LOCAL for options in _channels(spec).values() for o in options)


def base_fee(spec: dict[str, Any]) -> int:
    """`Procedure.fee` for code that knows one integer: the base fixed amount in đồng, else 0."""
    for options in _channels(spec).values():
        for option in options:
            if option["abroad"]:
                continue
            if (
                option["kind"] == FIXED
                and option["currency"] == VND
                and option["amount"]
                and not option["doubtful"]
            ):
                return int(option["amount"])
            return 0
    return 0


def _channels(spec: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return (spec or {}).get("channels") or {}


def legacy_spec(fee: int) -> dict[str, Any]:
    """The spec of a procedure configured by hand with one amount (0 = free) on every channel."""
    option = parse_fee("Miễn phí") if not fee else parse_fee(f"{fee} đồng")
    option["as_written"] = ""
    option["doubtful"] = ""
    return {
        "version": SPEC_VERSION,
        "kind": option["kind"],
        "channels": {key: [option] for key in CHANNEL_ORDER},
    }


def spec_of(procedure_or_spec: Any) -> dict[str, Any]:
    """The spec of a procedure (its hand-set `fee` when it has none) or the spec itself."""
    if isinstance(procedure_or_spec, dict):
        return procedure_or_spec
    spec = procedure_or_spec.fee_spec or {}
    return spec if _channels(spec) else legacy_spec(int(procedure_or_spec.fee or 0))


def choose_option(spec: dict[str, Any], channel: str) -> dict[str, Any] | None:
    """The option a dossier of this channel pays under: the first one at a domestic desk."""
    options = _channels(spec).get(channel) or []
    domestic = [o for o in options if not o["abroad"]]
    chosen = domestic or options
    return chosen[0] if chosen else None


def counts_needed(spec: dict[str, Any], channel: str | None = None) -> list[str]:
    """The counts ('pages', 'copies', 'items') the fee of `channel` (any channel) needs."""
    options = (
        [choose_option(spec, channel)]
        if channel
        else [choose_option(spec, key) for key in _channels(spec)]
    )
    needed: list[str] = []
    for option in options:
        for name in COUNTS_BY_KIND.get(option["kind"], ()) if option else ():
            if name not in needed:
                needed.append(name)
    return needed


def item_word(spec: dict[str, Any], channel: str | None = None) -> str:
    """What an item is for a per-item fee ('bản', 'giao dịch' …)."""
    keys = [channel] if channel else list(_channels(spec))
    for key in keys:
        option = choose_option(spec, key)
        if option and option["kind"] == PER_ITEM:
            return str(option["per"])
    return ""


# ---------------------------------------------------------------------------- computation


def dong(amount: int, *, unit: str = "đ") -> str:
    """5000 → '5.000 đ' (Vietnamese thousands separator)."""
    text = f"{amount:,}".replace(",", ".")
    return f"{text} {unit}".strip()


def money(amount: int, currency: str) -> str:
    """An amount in its currency: '5.000 đ', '10 USD'."""
    return dong(amount) if currency == VND else dong(amount, unit=currency)


def _day(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


def _rate_on(option: dict[str, Any], on: dt.date) -> tuple[int | None, dict[str, Any] | None]:
    """The per-unit amount on `on`: a dated reduction if one covers it, else the base."""
    for reduction in option["reductions"]:
        if _day(reduction["from"]) <= on <= _day(reduction["to"]):
            return int(reduction["amount"]), reduction
    if option["doubtful"]:
        return None, None
    return option["amount"], None


@dataclass
class FeeResult:
    """A dossier's fee: the amount in đồng (None: not known in đồng), how it was computed."""

    status: str  # computed | free | unknown | foreign | local_missing | counts_missing | doubtful
    amount: int | None
    breakdown: str
    currency_amounts: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    channel: str = ""
    on: dt.date | None = None
    option: dict[str, Any] | None = None
    local_decision: dict[str, Any] | None = None

    @property
    def text(self) -> str:
        """The fee in one phrase: '5.000 đ', 'Miễn phí', '10 USD', 'Chưa có thông tin …'."""
        if self.amount is not None:
            return gettext("Miễn phí") if self.amount == 0 else dong(self.amount)
        if self.currency_amounts:
            return ", ".join(money(v, k) for k, v in self.currency_amounts.items())
        if self.status == "unknown":
            return gettext("Chưa có thông tin về phí, lệ phí")
        return gettext("Chưa xác định được")

    def as_detail(self) -> dict[str, Any]:
        """What `Dossier.fee_detail` keeps (JSON)."""
        return {
            "status": self.status,
            "amount": self.amount,
            "currency_amounts": dict(self.currency_amounts),
            "text": self.text,
            "breakdown": self.breakdown,
            "counts": dict(self.counts),
            "channel": self.channel,
            "on": self.on.isoformat() if self.on else None,
            "option": self.option,
            "local_decision": self.local_decision,
        }


def clean_counts(counts: dict[str, Any] | None) -> dict[str, int]:
    """Positive whole counts by name; ValueError with a Vietnamese message otherwise."""
    out: dict[str, int] = {}
    for name, value in (counts or {}).items():
        if value in (None, ""):
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ValueError(gettext("số lượng phải là số nguyên")) from None
        if number < 1 or number > MAX_COUNT:
            raise ValueError(
                gettext("số lượng phải từ 1 đến %(max)s") % {"max": dong(MAX_COUNT, unit="")}
            )
        out[str(name)] = number
    return out


def compute_fee(
    procedure_or_spec: Any,
    *,
    channel: str,
    counts: dict[str, Any] | None = None,
    on: dt.date | None = None,
) -> FeeResult:
    """The fee of one dossier of `channel` with these counts, on the day `on` (receipt)."""
    with translation.override("vi"):  # stored with the dossier and printed: Vietnamese
        return _compute(spec_of(procedure_or_spec), channel, clean_counts(counts), on)


def _compute(spec: dict[str, Any], channel: str, counts: dict[str, int], on: Any) -> FeeResult:
    day = on or timezone.localdate()
    option = choose_option(spec, channel)
    base: dict[str, Any] = {"channel": channel, "on": day, "option": option}
    if option is None:
        return FeeResult(
            "unknown",
            None,
            gettext("Chưa có thông tin về phí, lệ phí cho hình thức nộp này."),
            **base,
        )
    kind = option["kind"]
    if kind == FREE:
        return FeeResult("free", 0, gettext("Miễn phí."), **base)
    if kind == UNKNOWN:
        return FeeResult("unknown", None, gettext("Chưa có thông tin về phí, lệ phí."), **base)
    if kind == LOCAL:
        return _local(spec, day, base)
    needed = {
        name: counts.get(name, 1 if name == COPIES else 0) for name in COUNTS_BY_KIND.get(kind, ())
    }
    used = {k: v for k, v in needed.items() if v}
    base["counts"] = used
    missing = [name for name, value in needed.items() if not value]
    if missing:
        return FeeResult(
            "counts_missing",
            None,
            gettext("Chưa ghi %(what)s để tính phí.")
            % {"what": ", ".join(_count_label(n, option) for n in missing)},
            **base,
        )
    rate, reduction = _rate_on(option, day)
    if rate is None:
        return FeeResult(
            "doubtful",
            None,
            gettext("Chưa xác định được: %(why)s; cần cán bộ xác nhận trước khi thu.")
            % {"why": option["doubtful"]},
            **base,
        )
    currency = option["currency"]
    if kind == PER_PAGE:
        total, sentence = _per_page(option, rate, used[PAGES], used.get(COPIES, 1))
    elif kind == PER_ITEM:
        total = rate * used[ITEMS]
        sentence = (
            f"{used[ITEMS]} {option['per']} × {money(rate, currency)} = {money(total, currency)}"
        )
    else:
        total, sentence = rate, money(rate, currency)
    if reduction:
        sentence += gettext(
            " (mức áp dụng từ %(start)s đến hết %(end)s theo %(doc)s; mức thường %(usual)s)"
        ) % {
            "start": f"{_day(reduction['from']):%d/%m/%Y}",
            "end": f"{_day(reduction['to']):%d/%m/%Y}",
            "doc": reduction["legal_document"],
            "usual": (
                money(option["amount"], currency)
                if option["amount"] and not option["doubtful"]
                else gettext("chưa xác định")
            ),
        }
    if currency != VND:
        sentence += gettext(" — thu bằng %(currency)s, không quy đổi sang đồng") % {
            "currency": currency
        }
        return FeeResult(
            "foreign", None, sentence + ".", currency_amounts={currency: total}, **base
        )
    return FeeResult("computed", total, sentence + ".", **base)


def _per_page(option: dict[str, Any], rate: int, pages: int, copies: int) -> tuple[int, str]:
    """'3 trang: 2 × 2.000 đ + 1 × 1.000 đ = 5.000 đ', capped per copy, times the copies."""
    bands = [(1, rate)] + [(t["from_page"], t["amount"]) for t in option["tiers"]]
    bands.sort()
    parts: list[tuple[int, int]] = []
    for index, (start, amount) in enumerate(bands):
        end = bands[index + 1][0] - 1 if index + 1 < len(bands) else pages
        n = min(end, pages) - start + 1
        if n > 0:
            parts.append((n, amount))
    per_copy = sum(n * amount for n, amount in parts)
    terms = " + ".join(f"{n} × {dong(amount)}" for n, amount in parts)
    sentence = f"{pages} trang: {terms} = {dong(per_copy)}"
    if option["cap"] and per_copy > option["cap"]:
        per_copy = int(option["cap"])
        sentence += gettext(", tối đa %(cap)s một %(per)s: %(total)s") % {
            "cap": dong(per_copy),
            "per": option["cap_per"] or "bản",
            "total": dong(per_copy),
        }
    total = per_copy * copies
    if copies > 1:
        sentence += f"; {copies} {option['cap_per'] or 'bản'} × {dong(per_copy)} = {dong(total)}"
    return total, sentence


def _local(spec: dict[str, Any], day: dt.date, base: dict[str, Any]) -> FeeResult:
    decision = spec.get("local_decision")
    if not decision or _day(decision["date"]) > day:
        return FeeResult(
            "local_missing",
            None,
            gettext(
                "Mức thu do Hội đồng nhân dân tỉnh quyết định; chưa ghi nhận quyết định của tỉnh "
                "có hiệu lực vào ngày %(day)s."
            )
            % {"day": f"{day:%d/%m/%Y}"},
            **base,
        )
    amount = int(decision["amount"])
    return FeeResult(
        "computed" if amount else "free",
        amount,
        gettext("%(amount)s theo %(number)s ngày %(date)s của Hội đồng nhân dân tỉnh.")
        % {
            "amount": dong(amount) if amount else gettext("Miễn phí"),
            "number": decision["number"],
            "date": f"{_day(decision['date']):%d/%m/%Y}",
        },
        local_decision=decision,
        **base,
    )


def _count_label(name: str, option: dict[str, Any]) -> str:
    if name == PAGES:
        return gettext("số trang")
    if name == COPIES:
        return gettext("số bản")
    return gettext("số %(what)s") % {"what": option.get("per") or gettext("lượng")}


# ---------------------------------------------------------------------------------- display


def describe_option(option: dict[str, Any], decision: dict[str, Any] | None = None) -> list[str]:
    """An option in Vietnamese lines: the rate, tiers, cap, dated reductions, doubts."""
    currency = option["currency"]
    kind = option["kind"]
    lines: list[str] = []
    if kind == FREE:
        lines.append(gettext("Miễn phí"))
    elif kind == UNKNOWN:
        lines.append(gettext("Chưa có thông tin về phí, lệ phí"))
    elif kind == LOCAL:
        lines.append(gettext("Mức thu do Hội đồng nhân dân tỉnh quyết định"))
        if decision:
            lines.append(
                gettext("tỉnh đã quyết định: %(amount)s (%(number)s ngày %(date)s)")
                % {
                    "amount": dong(int(decision["amount"]), unit="đồng")
                    if decision["amount"]
                    else gettext("miễn phí"),
                    "number": decision["number"],
                    "date": f"{_day(decision['date']):%d/%m/%Y}",
                }
            )
        else:
            lines.append(gettext("chưa ghi nhận quyết định của tỉnh"))
    elif option["amount"] is not None and not option["doubtful"]:
        unit = "đồng" if currency == VND else currency
        per = f"/{option['per']}" if option["per"] else ""
        lines.append(f"{dong(option['amount'], unit=unit)}{per}")
        for tier in option["tiers"]:
            lines.append(
                gettext("từ trang thứ %(n)s: %(amount)s/trang")
                % {"n": tier["from_page"], "amount": dong(tier["amount"], unit="đồng")}
            )
        if option["cap"]:
            lines.append(
                gettext("tối đa %(amount)s/%(per)s")
                % {"amount": dong(option["cap"], unit="đồng"), "per": option["cap_per"] or "bản"}
            )
        if currency != VND:
            lines.append(gettext("thu bằng %(c)s, không quy đổi sang đồng") % {"c": currency})
    if option["doubtful"]:
        lines.append(gettext("Chưa xác định được: %(why)s") % {"why": option["doubtful"]})
    for reduction in option["reductions"]:
        lines.append(
            gettext("từ %(start)s đến hết %(end)s: %(amount)s/hồ sơ (%(doc)s)")
            % {
                "start": f"{_day(reduction['from']):%d/%m/%Y}",
                "end": f"{_day(reduction['to']):%d/%m/%Y}",
                "amount": dong(reduction["amount"], unit="đồng"),
                "doc": reduction["legal_document"],
            }
        )
    if option["place"]:
        lines[0] = f"{option['place']}: {lines[0]}" if lines else option["place"]
    return lines


def fee_display(procedure_or_spec: Any) -> list[dict[str, Any]]:
    """Rows for the pages: channels sharing the same options grouped, each with its lines."""
    spec = spec_of(procedure_or_spec)
    decision = spec.get("local_decision")
    rows: list[dict[str, Any]] = []
    for key, options in _channels(spec).items():
        label = str(CHANNEL_LABELS.get(key, key))
        key_options = [_without_wording(o) for o in options]
        written = [o["as_written"] for o in options if o["as_written"]]
        for row in rows:
            if row["key"] == key_options:
                row["channels"].append(label)
                seen = {_bare(w) for w in row["as_written"]}
                row["as_written"] += [w for w in written if _bare(w) not in seen]
                break
        else:
            rows.append(
                {"channels": [label], "key": key_options, "options": options, "as_written": written}
            )
    for row in rows:
        row["lines"] = [describe_option(o, decision) for o in row.pop("key")]
    if len(rows) == 1 and len(rows[0]["channels"]) == len(CHANNEL_ORDER):
        rows[0]["channels"] = []  # the same on every channel: no need to name them
    return rows


def _bare(text: str) -> str:
    """Wording compared without its brackets and spaces ('((…))' and '(…)' say the same)."""
    return re.sub(r"[()\s.]", "", text)


def _without_wording(option: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in option.items() if k != "as_written"}


def summary_text(procedure_or_spec: Any) -> str:
    """The fee in one phrase for lists: 'Miễn phí', '800.000 đồng/hồ sơ', or per channel."""
    rows = fee_display(procedure_or_spec)
    if not rows:
        return gettext("Chưa có thông tin về phí, lệ phí")
    phrases: list[str] = []
    for row in rows:
        phrase = "; ".join(lines[0] for lines in row["lines"] if lines)
        if phrase not in phrases:
            phrases.append(phrase)
    if len(phrases) == 1:
        return phrases[0]
    return " | ".join(
        f"{', '.join(str(c) for c in r['channels'])}: {p}"
        for r, p in zip(rows, phrases, strict=False)
    )
