"""Typed serialisation of the data model, both ways, for the store and the review page.

`to_data` turns a dataclass (a `TaskRecord`, an `ExtractionResult`, a `Document` snapshot) into
plain JSON data; `from_data` rebuilds it from its type hints, so what was stored comes back as
the same typed object (``from_data(TaskRecord, to_data(task)) == task``). One definition of the
shape serves every reader; the schema lines of ``documents.jsonl`` and ``obligations.jsonl`` are
built from the typed objects by `pipeline.records`.

A `Document` is stored without its `spans` (the segmentation's working state, rebuilt on
demand): text, blocks, header, outline, parts and warnings are what a page needs to highlight.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from typing import Any, TypeVar

from pipeline import model

T = TypeVar("T")
#: fields that are working state, never stored
_TRANSIENT = {(model.Document, "spans")}


def to_data(value: Any) -> Any:
    """Plain JSON data (dicts, lists, strings, numbers, None) for a model value."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)
                if (kind, f.name) not in _TRANSIENT}
    if isinstance(value, list | tuple):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


def from_data(kind: type[T], data: Any) -> T:
    """The typed value of ``kind`` that `to_data` gave ``data`` for."""
    return typing.cast(T, _build(kind, data))


@functools.cache
def _hints(kind: type) -> dict[str, Any]:
    from pipeline.segment import Spans  # named by Document.spans, under TYPE_CHECKING only

    return typing.get_type_hints(kind, {**vars(model), "Spans": Spans})


def _build(hint: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _build(options[0], data) if len(options) == 1 else data
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = _hints(hint)
        known = {f.name for f in dataclasses.fields(hint) if f.init and (hint, f.name) not in _TRANSIENT}
        return hint(**{name: _build(hints[name], value) for name, value in data.items() if name in known})
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return [_build(item, v) for v in data]
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in data)
        return tuple(_build(a, v) for a, v in zip(args, data, strict=True)) if args else tuple(data)
    if origin is dict:
        _, value_hint = typing.get_args(hint) or (str, Any)
        return {k: _build(value_hint, v) for k, v in data.items()}
    return data
