"""Punctuation that a broken font put in a PDF's text layer as letters, read back (F06).

Some fonts map full-width punctuation to the code points of letters, so the letters stand
alone in Chinese text:

* Founder-style fonts give the GB2312 code of the mark as if it were a Unicode code point:
  ，(GB A3AC) reads as ꎬ U+A3AC, ；(A3BB) as ꎻ U+A3BB, 。 as ꎮ U+A3AE or ꆣ U+A1A3, 、 as
  ꆢ U+A1A2: wide Yi syllables. Such a letter decodes back to its mark exactly.
* other fonts give a Latin or Cyrillic letter (， as "b", 。 as "Ё"), whose mark is found
  from where it stands (the end of a paragraph, or inside one).
* «» (or ‹›) stand for 《》 (〈〉) around titles of documents.

A *suspect* is a letter that is not Han (narrow or wide) occurring alone, 90 % of the time,
after Chinese text and before Chinese text or the end of a paragraph. Every repair is named
in a warning with its count; a suspect that cannot be read is reported, not changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict

from pipeline.loaders.pdf_lines import HAN

#: Share of a letter's occurrences that must stand alone for it to be a suspect.
_ALONE_SHARE = 0.9
#: Occurrences a letter needs to be read from where it stands (its mark is a guess).
_MIN_GUESSED = 5
#: A letter read as its GB2312 mark needs only this many: the decoding is exact.
_MIN_DECODED = 1
#: Latin quotation marks that a font puts for the Chinese title marks.
_TITLE_MARKS = {"«": "《", "»": "》", "‹": "〈", "›": "〉"}
_CLOSES = {"«": "»", "‹": "›"}
#: Yi syllables at the code points of GB2312's rows 1–3 (symbols, markers, full-width forms).
_GB_SYMBOL_ROWS = re.compile("[\ua1a1-\ua3fe]")
_TITLED = re.compile(r"([«‹])([^«»‹›\n]{1,80}?)([»›])")
#: A letter (of any script, narrow or wide) that is not Han.
_LETTER = re.compile(r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_OPENING = "（《“‘「"
_CLOSING = "）》”’」"


def repair_punctuation(texts: list[str]) -> tuple[list[str], list[str]]:
    """The texts with the punctuation a broken font turned into letters read back, and
    human-readable warnings (one per repair or doubt).

    A suspect that decodes as a GB2312 punctuation mark (a Yi syllable U+A1A1–U+A3FE) is
    that mark, wherever it occurs; it shows that the font gives GB2312 codes as code points,
    so every other Yi syllable of that range in the text is read as its GB2312 character
    too (full-width digits and letters, ① ⑴ ㈠ markers). Another suspect found at paragraph ends (≥ 10 % of its
    places) stands for 。, one never found there for ，; it is replaced where it stands
    alone, and only if the text (almost) lacks that mark otherwise, i.e. the font loses it
    consistently, and no other suspect claims the same mark. A suspect that fits neither
    rule while the text lacks punctuation is reported, not changed. «» around Chinese text
    are 《》.
    """
    alone, at_end, total = _suspect_counts(texts)
    marks = Counter(ch for text in texts for ch in text if ch in "，。")
    decoded: dict[str, str] = {}
    claims: dict[str, list[str]] = defaultdict(list)
    doubts: list[str] = []
    for ch, n in alone.items():
        if n < _ALONE_SHARE * total[ch]:
            continue
        mark = gb2312_mark(ch)
        if mark is not None and n >= _MIN_DECODED:
            decoded[ch] = mark
            continue
        if n < _MIN_GUESSED:
            continue
        guess = "。" if at_end[ch] >= 0.1 * n else "，" if at_end[ch] == 0 else None
        if guess is not None and marks[guess] < 0.2 * n:
            claims[guess].append(ch)
        elif guess is None and marks["，"] + marks["。"] < 0.2 * n:
            doubts.append(ch)
    guessed: dict[str, str] = {}
    warnings = [f"text layer repaired: {ch!r} (U+{ord(ch):04X}) read as {mark!r} {_times(total[ch])} (the PDF's "
                f"font gives the GB2312 code of the mark as a letter)" for ch, mark in sorted(decoded.items())]
    if decoded:
        family = _same_font_family(texts, decoded)
        if family:
            count = sum(text.count(ch) for text in texts for ch in family)
            shown = ", ".join(f"{ch}→{mark}" for ch, mark in sorted(family.items())[:8])
            warnings.append(f"text layer repaired: {len(family)} more Yi syllables of the same font read as their "
                            f"GB2312 characters ({shown}{', …' if len(family) > 8 else ''}; {_times(count)})")
            decoded.update(family)
    for mark, letters in claims.items():
        if len(letters) == 1:
            guessed[letters[0]] = mark
            warnings.append(f"text layer repaired: {letters[0]!r} standing alone in Chinese text read as {mark!r} "
                            f"({_times(alone[letters[0]])}; the PDF's font maps the punctuation to a letter)")
        else:
            doubts.extend(letters)
    for ch in sorted(doubts):
        warnings.append(f"text layer suspect: {ch!r} stands alone in Chinese text {_times(alone[ch])} where "
                        f"punctuation is missing; not repaired, check the PDF's font")
    repaired = [_replace(text, decoded, guessed) for text in texts] if decoded or guessed else list(texts)
    repaired, pairs = _title_marks(repaired)
    if pairs:
        warnings.append(f"text layer repaired: «» around Chinese text read as 《》 ({_times(pairs)}; the PDF's font "
                        f"maps the title marks to Latin quotation marks)")
    return repaired, warnings


def _times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


def _suspect_counts(texts: list[str]) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """For each letter that is not Han: where it stands alone, where that is a paragraph's
    end, and everywhere."""
    alone: Counter[str] = Counter()
    at_end: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for text in texts:
        for match in _LETTER.finditer(text):
            ch, i = match.group(), match.start()
            if not ch.isalpha():  # 〇 and other letter-like numerals
                continue
            total[ch] += 1
            if _stands_alone(text, i):
                alone[ch] += 1
                at_end[ch] += i + 1 == len(text)
    return alone, at_end, total


def _same_font_family(texts: list[str], decoded: dict[str, str]) -> dict[str, str]:
    """The other Yi syllables of the text that are GB2312 codes (rows 1–3: symbols, numbered
    markers, full-width digits and letters) with the characters they stand for."""
    found = {ch for text in texts for ch in _GB_SYMBOL_ROWS.findall(text)} - decoded.keys()
    family = {ch: gb2312_character(ch) for ch in found}
    return {ch: char for ch, char in family.items() if char is not None}


def gb2312_character(ch: str) -> str | None:
    """The character whose GB2312 code is the code point of ``ch`` (U+A1A1–U+A3FE), or None."""
    code = ord(ch)
    if not (0xA1A1 <= code <= 0xA3FE and 0xA1 <= code & 0xFF <= 0xFE):
        return None
    try:
        return bytes([code >> 8, code & 0xFF]).decode("gb2312")
    except UnicodeDecodeError:
        return None


def gb2312_mark(ch: str) -> str | None:
    """The punctuation mark whose GB2312 code is the code point of the Yi syllable ``ch``
    (ꎬ U+A3AC → ，), or None. The full-width full stop (A3AE) between Chinese text is the
    Chinese full stop 。."""
    mark = gb2312_character(ch)
    if mark is None or not unicodedata.category(mark).startswith("P"):
        return None
    return "。" if mark == "．" else mark


def _replace(text: str, decoded: dict[str, str], guessed: dict[str, str]) -> str:
    chars = list(text)
    for i, ch in enumerate(text):
        if ch in decoded:
            chars[i] = decoded[ch]
        elif ch in guessed and _stands_alone(text, i):
            chars[i] = guessed[ch]
    return "".join(chars)


def _title_marks(texts: list[str]) -> tuple[list[str], int]:
    """«…» (‹…›) that enclose Chinese text as 《…》 (〈…〉), and how many pairs."""
    pairs = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal pairs
        opening, inner, closing = match.groups()
        if _CLOSES[opening] != closing or not HAN.search(inner):
            return match.group()
        pairs += 1
        return _TITLE_MARKS[opening] + inner + _TITLE_MARKS[closing]

    return [_TITLED.sub(swap, text) if "«" in text or "‹" in text else text for text in texts], pairs


def _stands_alone(text: str, i: int) -> bool:
    """Is ``text[i]`` between Chinese text on its left and Chinese text or the end on its right?"""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return bool(before and (HAN.match(before) or before in _CLOSING)
                and (not after or HAN.match(after) or after in _OPENING))
