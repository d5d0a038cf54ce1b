"""Chinese and full-width numerals to integers, and dates as circulars print them."""

from __future__ import annotations

import datetime as dt
import re

_DIGITS = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUM = "〇○零Ｏ一二两三四五六七八九十百千"
#: A number as circulars print it: Arabic, full-width or Chinese.
NUMBER = rf"(?:[0-9０-９]+|[{CN_NUM}]+)"
#: A date as a signature prints it: a four-digit year, month and day (2026年3月9日, 二〇二六年三月九日).
PRINTED_DATE = (rf"(?:[0-9０-９]{{4}}|[{CN_NUM}]{{4}})\s*年\s*[0-9０-９{CN_NUM}]{{1,3}}\s*月"
                rf"\s*[0-9０-９{CN_NUM}]{{1,3}}\s*日")
_DATE = re.compile(rf"({NUMBER})\s*年\s*({NUMBER})\s*月\s*({NUMBER})\s*日")


def to_int(text: str) -> int | None:
    """'28', '２８', '二十八', '二〇一四' → int; None when it is not a number."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if all(ch in _DIGITS for ch in text) and len(text) > 1 and text[0] != "十":
        return int("".join(str(_DIGITS[ch]) for ch in text))  # 二〇一四: digit by digit
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
        else:
            return None
    return total + current


def parse_date(text: str) -> str | None:
    """The first 'YYYY年M月D日' in ``text`` (any numerals) as ISO, or None."""
    match = _DATE.search(text)
    if not match:
        return None
    year, month, day = (to_int(g) for g in match.groups())
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def month_end(year: int, month: int) -> str:
    if month == 12:
        return f"{year}-12-31"
    return (dt.date(year, month + 1, 1) - dt.timedelta(days=1)).isoformat()
