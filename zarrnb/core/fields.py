"""Field selection on structured arrays: ``fields=`` and field names inside ``array[...]`` selections.

zarr-python 3.1.6 validates ``fields`` (its ``IndexError`` messages are kept here word for word) but
then fails to apply them; zarrnb applies them as zarr-python 2 and NumPy do: a read returns the named
field (or a packed structured array of the named fields, in the order given), a write changes only
the named field and leaves the others as stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import numpy as np

__all__ = [
    "check_fields",
    "check_no_multi_fields",
    "has_fields",
    "merge_field",
    "pop_fields",
    "select_fields",
]

Fields = str | list[str] | tuple[str, ...]


def check_fields(fields: Any, dtype: np.dtype[Any]) -> np.dtype[Any]:
    """The dtype a read with ``fields`` returns; ``IndexError`` naming the field when one is unknown."""
    if fields is None:
        return dtype
    if not isinstance(fields, str | list | tuple):
        raise IndexError(f"'fields' argument must be a string or list of strings; found {type(fields)!r}")
    if not fields:
        return dtype
    if dtype.names is None:
        raise IndexError("invalid 'fields' argument, array does not have any fields")
    try:
        if isinstance(fields, str):
            return dtype[fields]
        return np.dtype([(name, dtype[name]) for name in fields])
    except KeyError as error:
        raise IndexError(f"invalid 'fields' argument, field not found: {error!r}") from error


def check_no_multi_fields(fields: Any) -> Any:
    """The one field a write may name (a one-item list counts); ``IndexError`` for more than one."""
    if isinstance(fields, list | tuple):
        if len(fields) > 1:
            raise IndexError("multiple fields are not supported for this operation")
        return fields[0] if fields else None
    return fields


def has_fields(selection: Any) -> bool:
    """Whether a subscript names fields (a string, or strings inside a tuple); cheap for the usual case."""
    return isinstance(selection, str) or (
        isinstance(selection, tuple) and any(isinstance(item, str) for item in selection)
    )


def pop_fields(selection: Any) -> tuple[Any, Any]:
    """Split a subscript into (fields, the rest): ``"a"`` -> ``("a", ())``; ``(1, "a", "b")`` ->
    ``(["a", "b"], 1)``; no strings: ``fields`` is None (``[]`` for a tuple), which selects everything."""
    if isinstance(selection, str):
        return selection, ()
    if not isinstance(selection, tuple):
        return None, selection
    names = [item for item in selection if isinstance(item, str)]
    rest = tuple(item for item in selection if not isinstance(item, str))
    return (names[0] if len(names) == 1 else names), (rest[0] if len(rest) == 1 else rest)


def select_fields(values: Any, fields: Any, out: Any = None) -> Any:
    """``values``' named fields: one field as its own dtype, several as a packed structured array
    (NumPy's multi-field index is a padded view); written into ``out`` when given."""
    out_dtype = check_fields(fields, values.dtype)
    if not fields:
        picked = values
    elif isinstance(fields, str):
        picked = values[fields]
    else:
        picked = np.empty(values.shape, dtype=out_dtype)
        for name in out_dtype.names or ():
            picked[name] = values[name]
    if out is None:
        return np.array(picked) if picked is not values else picked
    np.copyto(np.asarray(out), np.asarray(picked).reshape(np.shape(out)), casting="unsafe")
    return out


async def merge_field(
    read: Callable[[Any], Awaitable[Any]], selection: Any, dtype: np.dtype[Any], value: Any, fields: Any
) -> Any:
    """The whole-record value that writes ``value`` into one field: ``selection`` as stored (``read``
    it) with that field replaced, so the other fields are written back unchanged."""
    check_fields(fields, dtype)
    field = check_no_multi_fields(fields)
    if field is None:
        return value
    current = np.array(await read(selection), dtype=dtype, copy=True)
    current[field] = value
    return current
