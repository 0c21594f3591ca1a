"""Exact money: integer fen in storage and arithmetic, 元 and 万元 for display."""

from decimal import ROUND_HALF_UP, Decimal

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000


def yuan_to_fen(yuan: Decimal | int | str) -> int:
    """Exact conversion of a 元 amount (at most two decimals) to fen."""
    value = Decimal(str(yuan))
    fen = value * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise ValueError(f"金额最多保留两位小数: {yuan}")
    return int(fen)


def fen_to_wan(fen: int) -> Decimal:
    """An amount in 万元 as an exact Decimal."""
    return Decimal(fen) / FEN_PER_WAN


def format_wan(fen: int, places: int = 2) -> str:
    """Render fen as 万元 with fixed decimals, e.g. 1234567 → '1.23'."""
    quantum = Decimal(1).scaleb(-places)
    return f"{fen_to_wan(fen).quantize(quantum, rounding=ROUND_HALF_UP):,}"


def format_yuan(fen: int) -> str:
    """Render fen as 元 with two decimals and thousands separators."""
    return f"{(Decimal(fen) / FEN_PER_YUAN).quantize(Decimal('0.01')):,}"


def wan_decimal(fen: int, places: int = 2) -> Decimal:
    """fen as 万元, rounded half-up to fixed decimals (for tables)."""
    return fen_to_wan(fen).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
