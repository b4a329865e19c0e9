"""Frozen dataclasses to plain JSON data and back, exactly, for results kept in the database.

A stored ranking must read back into the very objects the computation returns, Decimal
exponents included (``Decimal("88.50")`` stays two places). Values are encoded by their type
hints: a dataclass as the list of its fields in order, a Decimal as its ``str`` (which
round-trips exactly), an enum as its value, a tuple as a list. :func:`shape` is a digest of
every field name and type reachable from a class: stored data carries it, so any code change
that alters the shape makes the stored copy unreadable (and recomputed), never misread.

Pure: no ORM, no request.
"""

import dataclasses
import enum
import hashlib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

Encoder = Callable[[Any], Any]
Decoder = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _members(tp: Any) -> tuple[Any, ...]:
    return typing.get_args(tp) if _is_union(tp) else ()


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


@cache
def _hints(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


@cache
def encoder(tp: Any) -> Encoder:
    """The function that turns a value of type ``tp`` into JSON-ready data."""
    if tp is Decimal:
        return str
    if tp in (str, int, bool, type(None)):
        return _identity
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return lambda value: value.value
    if dataclasses.is_dataclass(tp):
        fields = [(name, encoder(hint)) for name, hint in _hints(tp)]
        return lambda value: [encode(getattr(value, name)) for name, encode in fields]
    if _is_union(tp):
        members = [m for m in _members(tp) if m is not type(None)]
        if len(members) == 1:
            inner = encoder(members[0])
            return lambda value: None if value is None else inner(value)
        if all(m in (str, int) for m in members) or all(_is_enum(m) for m in members):
            # JSON keeps str and int apart; enums of one union have disjoint values here
            # (the decoder checks).
            return lambda value: value.value if isinstance(value, enum.Enum) else value
        raise TypeError(f"cannot store a value of {tp!r}")
    origin = typing.get_origin(tp)
    if origin in (tuple, Sequence, list):
        inner = encoder(typing.get_args(tp)[0])
        return lambda value: [inner(item) for item in value]
    if origin in (dict, Mapping):
        key_type, value_type = typing.get_args(tp)
        if key_type is not str:
            raise TypeError(f"cannot store a value of {tp!r}")
        inner = encoder(value_type)
        return lambda value: {k: inner(v) for k, v in value.items()}
    raise TypeError(f"cannot store a value of {tp!r}")


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


class _Decimals(dict):
    """Text -> Decimal, each built once: a ranking repeats the same few hundred marks tens
    of thousands of times, and a Decimal is immutable, so one instance serves them all."""

    LIMIT = 500_000  # distinct texts kept (a quarter has ~30,000); then it starts again

    def __missing__(self, text: str) -> Decimal:
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[text] = Decimal(text)
        return value


_decimals = _Decimals()


@cache
def decoder(tp: Any) -> Decoder:
    """The function that turns data made by :func:`encoder` back into a value of ``tp``."""
    if tp is Decimal:
        return _decimals.__getitem__
    if tp in (str, int, bool, type(None)):
        return _identity
    if _is_enum(tp):
        by_value = {member.value: member for member in tp}
        return by_value.__getitem__
    if dataclasses.is_dataclass(tp):
        return _dataclass_decoder(tp)
    if _is_union(tp):
        members = [m for m in _members(tp) if m is not type(None)]
        if len(members) == 1:
            inner = decoder(members[0])
            return lambda data: None if data is None else inner(data)
        if all(m in (str, int) for m in members):
            return _identity
        if all(_is_enum(m) for m in members):
            by_value: dict[Any, Any] = {}
            for member_type in members:
                for member in member_type:
                    if member.value in by_value:
                        raise TypeError(f"{tp!r}: {member.value!r} is ambiguous")
                    by_value[member.value] = member
            return lambda data: None if data is None else by_value[data]
        raise TypeError(f"cannot read a value of {tp!r}")
    origin = typing.get_origin(tp)
    if origin in (tuple, Sequence):
        inner = decoder(typing.get_args(tp)[0])
        if inner is _identity:
            return tuple
        return lambda data: tuple(map(inner, data))
    if origin is list:
        inner = decoder(typing.get_args(tp)[0])
        return lambda data: list(map(inner, data))
    if origin in (dict, Mapping):
        inner = decoder(typing.get_args(tp)[1])
        return lambda data: {k: inner(v) for k, v in data.items()}
    raise TypeError(f"cannot read a value of {tp!r}")


def _dataclass_decoder(cls: type) -> Decoder:
    """The fields' decoders written out once, as one function: a stored ranking holds some
    100,000 values, and a generic loop over the fields cost more than the JSON parse.

    The instance is filled without calling ``__init__``: what was stored had passed its
    ``__post_init__`` checks already, and a frozen dataclass's ``__init__`` sets each field
    through ``object.__setattr__``, a tenth of the read's time."""
    hints = _hints(cls)
    names: dict[str, Any] = {"cls": cls, "new": object.__new__, "set": object.__setattr__}
    values = []
    for index, (name, hint) in enumerate(hints):
        decode = decoder(hint)
        value = f"d[{index}]" if decode is _identity else f"f{index}(d[{index}])"
        if decode is not _identity:
            names[f"f{index}"] = decode
        values.append(f"{name!r}: {value}")
    if hasattr(cls, "__slots__") or any(not f.init for f in dataclasses.fields(cls)):
        build = f"cls(**{{{', '.join(values)}}})"
        body = f"    return {build}\n"
    else:
        body = f"    o = new(cls)\n    set(o, '__dict__', {{{', '.join(values)}}})\n    return o\n"
    check = f"    if len(d) != {len(hints)}: raise ValueError('another layout')\n"
    source = f"def decode(d):\n{check}{body}"
    exec(source, names)  # noqa: S102  (our own field list, no outside text)
    return names["decode"]


def _describe(tp: Any, seen: set) -> str:
    if dataclasses.is_dataclass(tp):
        name = f"{tp.__module__}.{tp.__qualname__}"
        if tp in seen:
            return name
        seen.add(tp)
        fields = ",".join(f"{n}:{_describe(h, seen)}" for n, h in _hints(tp))
        return f"{name}({fields})"
    if _is_enum(tp):
        return f"{tp.__qualname__}[{','.join(str(m.value) for m in tp)}]"
    args = typing.get_args(tp)
    if args:
        return f"{typing.get_origin(tp)!r}[{','.join(_describe(a, seen) for a in args)}]"
    return repr(tp)


@cache
def shape(*types_: Any) -> str:
    """A short digest of every field name and type reachable from ``types_``."""
    text = ";".join(_describe(tp, set()) for tp in types_)
    return hashlib.sha256(text.encode()).hexdigest()[:16]
