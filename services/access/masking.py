"""Masking of personal data before it leaves the server: phones, bank accounts, ID numbers, names."""

import re

from vocabulary import IdentifierKind

MASK = "*"


def mask_phone(value: str | None) -> str | None:
    """13812345678 → 138****5678; landlines keep area code and last 4 digits."""
    if not value:
        return value
    digits = re.sub(r"\D", "", value)
    if len(digits) < 7:
        return MASK * len(digits)
    return f"{digits[:3]}{MASK * (len(digits) - 7)}{digits[-4:]}"


def mask_bank_account(value: str | None) -> str | None:
    """6222021234567890123 → 6222 **** **** 0123."""
    if not value:
        return value
    digits = re.sub(r"\s", "", value)
    if len(digits) < 8:
        return MASK * len(digits)
    return f"{digits[:4]} **** **** {digits[-4:]}"


def mask_id_number(value: str | None) -> str | None:
    """350602199001011234 → 350602********1234 (region kept, birth date hidden)."""
    if not value:
        return value
    if len(value) < 10:
        return MASK * len(value)
    return f"{value[:6]}{MASK * (len(value) - 10)}{value[-4:]}"


def mask_name(value: str | None) -> str | None:
    """张三 → 张*; 欧阳小明 → 欧***."""
    if not value:
        return value
    return value[0] + MASK * (len(value) - 1)


def mask_handle(value: str | None) -> str | None:
    """QQ/WeChat ids and similar: first 2 and last 2 characters."""
    if not value:
        return value
    if len(value) <= 4:
        return value[0] + MASK * (len(value) - 1)
    return f"{value[:2]}{MASK * (len(value) - 4)}{value[-2:]}"


_BY_KIND = {
    IdentifierKind.PHONE: mask_phone,
    IdentifierKind.BANK_ACCOUNT: mask_bank_account,
    IdentifierKind.ID_CARD: mask_id_number,
    IdentifierKind.QQ: mask_handle,
    IdentifierKind.WECHAT: mask_handle,
}


def mask_identifier(kind: str, value: str | None) -> str | None:
    """Mask an identifier by its kind; URLs and app names are not personal data and stay visible."""
    masker = _BY_KIND.get(IdentifierKind(kind))
    return masker(value) if masker else value


def mask_free_text(text: str | None, names: tuple[str | None, ...] = ()) -> str | None:
    """Free text with every identifier the desk's extraction finds masked as in fields, and the given names masked."""
    from services.desk.extract import extract  # the desk's extraction; imported here so access does not load it eagerly

    if not text:
        return text
    pieces, cursor = [], 0
    for found in extract(text).spans:
        if found.start < cursor:
            continue
        masked = mask_identifier(found.kind, found.value_norm)
        pieces += [text[cursor:found.start], found.raw if masked == found.value_norm else masked]
        cursor = found.end
    pieces.append(text[cursor:])
    shown = "".join(pieces)
    for name in names:
        if name and len(name) >= 2:
            shown = shown.replace(name, mask_name(name))
    return shown


def free_text_for(may_unmask: bool, text: str | None) -> str | None:
    """Typed free text as a reader sees it: whole for a role that may unmask, identifiers masked for the others."""
    return text if may_unmask else mask_free_text(text)
