"""Chinese numerals as statutes write them (第一千二百六十条) and back."""

from __future__ import annotations

__all__ = ["cn_to_int", "int_to_cn", "parse_number"]

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}


def cn_to_int(text: str) -> int | None:
    """``一千二百六十`` -> 1260, ``十二`` -> 12, ``二〇二一`` -> 2021; None if not a numeral."""
    if not text or any(ch not in _DIGITS and ch not in _UNITS for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):  # digit by digit, as in years
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            continue
        unit = _UNITS[ch]
        if unit == 10000:
            total += (section + (digit or 0)) * unit
            section, digit = 0, None
            continue
        section += (1 if digit is None else digit) * unit
        digit = None
    return total + section + (digit or 0)


def parse_number(text: str) -> int | None:
    """Arabic digits (also full width) or a Chinese numeral."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text.strip())
    if text.isdigit():
        return int(text)
    return cn_to_int(text)


def int_to_cn(number: int) -> str:
    """1260 -> ``一千二百六十`` (as statutes number articles), for 1 <= number < 10000."""
    if not 0 < number < 10000:
        raise ValueError(f"{number} is out of range")
    digits = "零一二三四五六七八九"
    parts: list[str] = []
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = number // value % 10
        if d == 0:
            zero = bool(parts)
            continue
        if zero:
            parts.append("零")
            zero = False
        parts.append(("" if (unit == "十" and d == 1 and number < 20) else digits[d]) + unit)
    return "".join(parts)
