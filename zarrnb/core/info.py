"""``.info`` summaries of arrays and groups: plain tables whose ``repr`` matches zarr-python's."""

from __future__ import annotations

import dataclasses
from typing import Any

from zarrnb.dtype import ZDType, data_type_repr, get_data_type_from_native_dtype

__all__ = ["ArrayInfo", "GroupInfo", "byte_info", "human_readable_size"]

_UNITS = ("K", "M", "G", "T", "P")


def human_readable_size(size: int) -> str:
    """``size`` in powers of 1024 with one decimal, e.g. ``78.1K``; plain below 1024."""
    if size < 1024:
        return str(size)
    for power, unit in enumerate(_UNITS, start=1):
        if size < 1024 ** (power + 1) or unit == _UNITS[-1]:
            return f"{size / 1024**power:.1f}{unit}"
    raise AssertionError("unreachable")


def byte_info(size: int) -> str:
    """``N`` below 1024, else ``N (x.yK)``."""
    return str(size) if size < 1024 else f"{size} ({human_readable_size(size)})"


def _table(rows: list[tuple[str, Any]], width: int) -> str:
    """Labels padded to a fixed ``width`` (the longest label the table can ever hold)."""
    return "\n".join(f"{label.ljust(width)} : {value}" for label, value in rows)


def _data_type_text(data_type: Any) -> str:
    """A data-type object as zarr-python prints it (zarrnb's own types in zarr-python's field order)."""
    if isinstance(data_type, ZDType):
        native = data_type.to_native_dtype()
        if type(get_data_type_from_native_dtype(native)) is type(data_type):
            return data_type_repr(native)
    return str(data_type)


@dataclasses.dataclass(kw_only=True)
class GroupInfo:
    """What a group is; member counts appear when known (``info_complete`` or consolidated metadata)."""

    _name: str
    _type: str = "Group"
    _zarr_format: int
    _read_only: bool
    _store_type: str
    _count_members: int | None = None
    _count_arrays: int | None = None
    _count_groups: int | None = None

    def __repr__(self) -> str:
        rows: list[tuple[str, Any]] = [
            ("Name", self._name),
            ("Type", self._type),
            ("Zarr format", self._zarr_format),
            ("Read-only", self._read_only),
            ("Store type", self._store_type),
        ]
        for label, count in (
            ("No. members", self._count_members),
            ("No. arrays", self._count_arrays),
            ("No. groups", self._count_groups),
        ):
            if count is not None:
                rows.append((label, count))
        return _table(rows, len("No. members"))


@dataclasses.dataclass(kw_only=True, frozen=True, eq=False)
class ArrayInfo:
    """What an array is; stored bytes and initialised chunks appear when known (``info_complete``).

    ``_data_type`` is the data-type object (``Float64()``), as in zarr-python; equal summaries
    compare equal whichever subclass (e.g. the notebook one with an HTML repr) holds them.
    """

    _type: str = "Array"
    _zarr_format: int
    _data_type: Any
    _fill_value: Any
    _shape: tuple[int, ...]
    _shard_shape: tuple[int, ...] | None = None
    _chunk_shape: tuple[int, ...] | None = None
    _order: str
    _read_only: bool
    _store_type: str
    _filters: tuple[Any, ...] = ()
    _serializer: Any | None = None
    _compressors: tuple[Any, ...] = ()
    _count_bytes: int | None = None
    _count_bytes_stored: int | None = None
    _count_chunks_initialized: int | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ArrayInfo):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in dataclasses.fields(ArrayInfo))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        rows: list[tuple[str, Any]] = [
            ("Type", self._type),
            ("Zarr format", self._zarr_format),
            ("Data type", _data_type_text(self._data_type)),
            ("Fill value", self._fill_value),
            ("Shape", self._shape),
        ]
        if self._shard_shape is not None:
            rows.append(("Shard shape", self._shard_shape))
        rows += [
            ("Chunk shape", "<variable>" if self._chunk_shape is None else self._chunk_shape),
            ("Order", self._order),
            ("Read-only", self._read_only),
            ("Store type", self._store_type),
            ("Filters", self._filters),
        ]
        if self._serializer is not None:
            rows.append(("Serializer", self._serializer))
        rows.append(("Compressors", self._compressors))
        if self._count_bytes is not None:
            rows.append(("No. bytes", byte_info(self._count_bytes)))
        if self._count_bytes_stored is not None:
            rows.append(("No. bytes stored", byte_info(self._count_bytes_stored)))
            if self._count_bytes is not None and self._count_bytes_stored > 0:
                rows.append(("Storage ratio", f"{self._count_bytes / self._count_bytes_stored:.1f}"))
        if self._count_chunks_initialized is not None:
            label = "Shards Initialized" if self._shard_shape is not None else "Chunks Initialized"
            rows.append((label, self._count_chunks_initialized))
        return _table(rows, len("Chunks Initialized"))
