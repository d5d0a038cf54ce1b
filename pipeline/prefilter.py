"""A first-character gate for the cue alternations searched in every clause.

Python's `re` scans an alternation of forty cue patterns by trying every alternative at
every position, unless each alternative opens with a literal; cue patterns often open with a
lookbehind (``(?<![特别])是``) or a class, so it cannot skip. Half of a document's clauses
hold none of the characters any alternative can open with, and the others hold few.
`GatedPattern` finds those characters with a character-class scan in C and tries the pattern
only where one stands, leftmost first; alternatives anchored at the start (``^…``) are tried
at position 0 first. The result is the same match the plain pattern finds: the gate only
skips positions where no alternative can begin. A pattern whose openings cannot be listed (a wildcard, a negated class,
an optional first element) is searched as it is.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

try:  # the parser behind `re`; without it every pattern is searched as it is
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python < 3.11 is not supported
    sre_constants = sre_parser = None

#: a class wider than this (a range over the whole CJK block) is no useful gate
_MAX_GATE_CHARS = 200


class Matcher(Protocol):
    """What the stages ask of a cue pattern: `re.Pattern` and `GatedPattern` both answer."""

    @property
    def pattern(self) -> str: ...

    def search(self, string: str, pos: int = ...) -> re.Match[str] | None: ...

    def match(self, string: str, pos: int = ...) -> re.Match[str] | None: ...


class GatedPattern:
    """A compiled pattern tried only at the characters where one of its alternatives can
    begin (see the module's docstring)."""

    __slots__ = ("_anchored", "_compiled", "_gate")

    def __init__(self, compiled: re.Pattern[str], gate: re.Pattern[str], anchored: bool) -> None:
        self._compiled = compiled
        self._gate = gate
        self._anchored = anchored

    @property
    def pattern(self) -> str:
        return self._compiled.pattern

    def search(self, string: str, pos: int = 0) -> re.Match[str] | None:
        if pos == 0 and self._anchored:
            found = self._compiled.match(string)
            if found is not None:
                return found
            pos = 1
        match = self._compiled.match
        for opening in self._gate.finditer(string, pos):
            found = match(string, opening.start())
            if found is not None:
                return found
        return None

    def match(self, string: str, pos: int = 0) -> re.Match[str] | None:
        return self._compiled.match(string, pos)


def gated(pattern: str) -> Matcher:
    """``pattern`` compiled, behind a first-character gate where its openings can be listed."""
    compiled = re.compile(pattern)
    if sre_parser is None or compiled.flags & re.IGNORECASE:
        return compiled
    openings = _openings(list(sre_parser.parse(pattern)))
    if openings is None:
        return compiled
    chars, anchored = openings
    if not chars or len(chars) > _MAX_GATE_CHARS:
        return compiled
    gate = re.compile("[" + "".join(re.escape(c) for c in sorted(chars)) + "]")
    return GatedPattern(compiled, gate, anchored)


def _openings(items: list[Any]) -> tuple[set[str], bool] | None:
    """The characters a match of the parsed sequence ``items`` can start with, and whether
    some path is anchored at the start of the string; None when that cannot be listed."""
    c = sre_constants
    for op, value in items:
        if op in (c.ASSERT, c.ASSERT_NOT):
            continue  # looks around without consuming
        if op is c.AT:
            return (set(), True) if value in (c.AT_BEGINNING, c.AT_BEGINNING_STRING) else None
        if op is c.LITERAL:
            return {chr(value)}, False
        if op is c.IN:
            return _class_chars(value)
        if op is c.SUBPATTERN:
            return _openings(list(value[-1]))
        if op is c.BRANCH:
            chars: set[str] = set()
            anchored = False
            for branch in value[1]:
                found = _openings(list(branch))
                if found is None:
                    return None
                chars |= found[0]
                anchored = anchored or found[1]
            return chars, anchored
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and value[0] >= 1:
            return _openings(list(value[2]))
        return None  # a wildcard, an optional element, a group reference…
    return None  # the empty pattern matches anywhere


def _class_chars(items: list[Any]) -> tuple[set[str], bool] | None:
    c = sre_constants
    chars: set[str] = set()
    for op, value in items:
        if op is c.LITERAL:
            chars.add(chr(value))
        elif op is c.RANGE and value[1] - value[0] < _MAX_GATE_CHARS:
            chars.update(chr(code) for code in range(value[0], value[1] + 1))
        else:
            return None  # a negated class or a category (\d, \s)
    return chars, False
