"""Numbers as Vietnamese documents print them: '184.027', '51,20%', '1.234,5'.

Thousands are grouped with a dot and decimals follow a comma (TCVN and every administrative
document). Rounding is half up, on the decimal value, so 0,125 prints as 0,13 and never as the
binary float's 0,12.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, bool):
        raise TypeError("a truth value is not a number to print")
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number_text(value: int | float | Decimal, digits: int = 0) -> str:
    """184027 → '184.027'; (1234.5, 2) → '1.234,50'; -7 → '-7'."""
    exact = _decimal(value)
    quantum = Decimal(1).scaleb(-digits)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,00"
    text = f"{rounded:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def percent_text(value: int | float | Decimal, digits: int = 2) -> str:
    """A percentage (51.2 means 51.2 %) → '51,20%'."""
    return f"{number_text(value, digits)}%"
