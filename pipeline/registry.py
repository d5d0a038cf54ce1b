"""The department registry: canonical names, abbreviations, aliases and successors.

Entries are JSON Lines (see ``resources/departments.jsonl``)::

    {"name": "中国银行保险监督管理委员会", "abbreviations": ["银保监会"], "aliases": [],
     "successor": "国家金融监督管理总局", "level": "state_council"}

A user registry file has the same format; its entries are added after the bundled ones
and win where both claim the same string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from pipeline.errors import ResourceError
from pipeline.model import Department


@dataclass(frozen=True)
class RegistryEntry:
    name: str
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    successor: str | None = None
    level: str = "other"


@dataclass
class DepartmentRegistry:
    """Looks up printed department names; `resolve` never fails, it marks unknown bodies."""

    entries: dict[str, RegistryEntry] = field(default_factory=dict)
    fuzzy_threshold: float = 92.0
    _by_surface: dict[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _near_misses: dict[str, str | None] = field(default_factory=dict, repr=False)

    @classmethod
    def from_files(cls, paths: Iterable[Path], fuzzy_threshold: float = 92.0) -> DepartmentRegistry:
        registry = cls(fuzzy_threshold=fuzzy_threshold)
        for path in paths:
            registry.add_entries(_read_entries(path))
        registry._check_successors()
        return registry

    def add_entries(self, entries: Iterable[RegistryEntry]) -> None:
        for entry in entries:
            self.entries[entry.name] = entry
            for surface in (entry.name, *entry.abbreviations, *entry.aliases):
                self._by_surface[surface] = entry.name
        self._pattern = None
        self._near_misses.clear()

    def surfaces(self) -> list[str]:
        """Every printed form the registry knows, longest first (for matching in text)."""
        return sorted(self._by_surface, key=len, reverse=True)

    def pattern(self) -> re.Pattern[str] | None:
        """Every printed form in one pattern that finds the longest at each position (compiled
        once): a trie of the forms, so that `re` skips to the characters a name can begin with
        instead of trying hundreds of alternatives at every position."""
        if self._pattern is None and self._by_surface:
            self._pattern = re.compile(trie_pattern(self._by_surface))
        return self._pattern

    def entry_for(self, surface: str) -> RegistryEntry | None:
        name = self._by_surface.get(surface)
        if name is None and surface.startswith("中国") and len(surface) > 4:
            name = self._by_surface.get(surface[2:])  # 中国银保监会 / 银保监会
        return self.entries[name] if name else None

    def current_name(self, name: str) -> str:
        """Follow successors to the body that holds the functions today."""
        seen = {name}
        while (entry := self.entries.get(name)) and entry.successor and entry.successor not in seen:
            name = entry.successor
            seen.add(name)
        return name

    def resolve(self, surface: str) -> Department:
        """A `Department` for a printed name: known, a near-miss of a known one, or unknown."""
        entry = self.entry_for(surface)
        if entry is None and len(surface) >= 4 and self._by_surface:
            if surface not in self._near_misses:  # one fuzzy search per name, not per mention
                match = process.extractOne(surface, self._by_surface.keys(), scorer=fuzz.ratio,
                                           score_cutoff=self.fuzzy_threshold)
                self._near_misses[surface] = self._by_surface[match[0]] if match is not None else None
            near = self._near_misses[surface]
            entry = self.entries[near] if near is not None else None
        if entry is None:
            return Department(surface=surface, name=surface, known=False)
        current = self.current_name(entry.name)
        return Department(surface=surface, name=entry.name, known=True,
                          current_name=current if current != entry.name else None)

    def _check_successors(self) -> None:
        for entry in self.entries.values():
            if entry.successor and entry.successor not in self.entries:
                raise ResourceError(f"registry entry {entry.name!r}: successor {entry.successor!r} is not in the registry")


_Trie = dict[str, "_Trie"]  # a character to the words' continuations; "" marks a word's end


def trie_pattern(words: Iterable[str]) -> str:
    """A regular expression matching any of ``words``, the longest where several start at one
    position (the same as their alternation longest first), written as a trie so that every
    branch opens with a literal."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branches(node: _Trie) -> str:
        ends = "" in node
        options = [re.escape(char) + branches(child) for char, child in node.items() if char]
        if not options:
            return ""
        inner = options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"
        # greedy: the longer word is tried first, the shorter one it continues is the fallback
        return (f"(?:{inner})?" if len(options) == 1 else inner + "?") if ends else inner

    return branches(root)


_LIST_FIELDS = ("abbreviations", "aliases")


def _read_entries(path: Path) -> list[RegistryEntry]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ResourceError(f"{path}: cannot read department registry: {exc}") from exc
    entries = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ResourceError(f"{path} line {number}: not JSON: {exc}") from exc
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
            raise ResourceError(f"{path} line {number}: an entry needs a non-empty \"name\"")
        for key in _LIST_FIELDS:
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ResourceError(f"{path} line {number}: \"{key}\" must be a list of names")
        if re.search(r"\s", raw["name"]):
            raise ResourceError(f"{path} line {number}: name {raw['name']!r} contains whitespace")
        entries.append(RegistryEntry(
            name=raw["name"],
            abbreviations=tuple(raw.get("abbreviations", [])),
            aliases=tuple(raw.get("aliases", [])),
            successor=raw.get("successor") or None,
            level=str(raw.get("level") or "other"),
        ))
    return entries
