"""Exact money: integer fen in storage and arithmetic, 元 and 万元 for display."""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

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


def _rounds_up_to_whole_wan(fen: int, places: int) -> bool:
    """Whether rounding to `places` decimals of 万元 would reach a whole 万 figure (10万, 50万…) the amount is below."""
    exact = fen_to_wan(abs(fen))
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return rounded > exact and rounded == rounded.to_integral_value()


def wan_figure(fen: int, places: int = 2) -> Decimal:
    """fen as 万元 for tables: half-up, but cut (never rounded up) where rounding would reach a whole 万 figure.

    99,999.99 元 reads 9.99, not 10.00; 999,999.99 元 reads 99.99, not 100.00. A figure shown is therefore never
    at or above a threshold (10万, 50万, 100万, any whole 万) the amount is below.
    """
    rounding = ROUND_DOWN if _rounds_up_to_whole_wan(fen, places) else ROUND_HALF_UP
    return fen_to_wan(fen).quantize(Decimal(1).scaleb(-places), rounding=rounding)


def money_text(fen: int, places: int = 2) -> str:
    """An amount as text: '12.35 万元', or to the fen in 元 ('99,999.99 元') where the 万元 figure would be rounded
    up to a whole 万 (a threshold) the amount is below. The one rule every page and note uses for amounts in words."""
    if _rounds_up_to_whole_wan(fen, places):
        return f"{format_yuan(fen)} 元"
    return f"{wan_figure(fen, places):,} 万元"
