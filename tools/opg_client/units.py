"""Unit helpers: OPG amounts are ints in wei (18 decimals); formatting never goes through floats."""

from __future__ import annotations

from decimal import Decimal

OPG_DECIMALS = 18
OPG = 10**OPG_DECIMALS  # 1 OPG in wei
BPS = 10_000  # 100% in basis points


def format_opg(wei: int) -> str:
    """``10**18`` -> ``"1 OPG"``, ``15 * 10**17`` -> ``"1.5 OPG"`` (exact, integer arithmetic)."""
    sign = "-" if wei < 0 else ""
    whole, frac = divmod(abs(wei), OPG)
    if frac == 0:
        return f"{sign}{whole:,} OPG"
    frac_digits = f"{frac:0{OPG_DECIMALS}d}".rstrip("0")
    return f"{sign}{whole:,}.{frac_digits} OPG"


def parse_opg(text: str | int) -> int:
    """``"1.5"`` / ``"1.5 OPG"`` -> wei. Rejects more than 18 decimals (no silent rounding)."""
    if isinstance(text, int):
        return text * OPG
    cleaned = text.strip().removesuffix("OPG").strip().replace(",", "").replace("_", "")
    value = Decimal(cleaned) * OPG
    if value != value.to_integral_value():
        raise ValueError(f"{text!r} has more than {OPG_DECIMALS} decimals")
    return int(value)


def short_address(address: str) -> str:
    """``0xAbCd…1234`` for messages; full addresses stay on exception attributes."""
    if isinstance(address, str) and address.startswith("0x") and len(address) == 42:
        return f"{address[:6]}…{address[-4:]}"
    return str(address)
