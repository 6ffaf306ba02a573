"""``from_array``'s ``'keep'`` settings and ``create_array``'s arguments, with zarr-python as the oracle."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any

import numcodecs
import numpy as np
import pytest
import zarr

import zarrnb
from zarrnb.api.asynchronous import create_array
from zarrnb.core.group import AsyncGroup
from zarrnb.errors import ZarrUserWarning

pytestmark = pytest.mark.filterwarnings("ignore:Numcodecs codecs:UserWarning")

SOURCES: dict[str, dict[str, Any]] = {
    "v2-slash-gzip": dict(zarr_format=2, chunks=(3, 4), compressors=numcodecs.GZip(level=2),
                          chunk_key_encoding={"name": "v2", "separator": "/"}, order="F"),
    "v2-delta": dict(zarr_format=2, chunks=(5, 2), filters=[numcodecs.Delta(dtype="<i8")], compressors=None),
    "v3-dot-names": dict(zarr_format=3, chunks=(4, 4), dimension_names=["y", "x"], compressors=None,
                         chunk_key_encoding={"name": "default", "separator": "."}),
    "v3-sharded": dict(zarr_format=3, chunks=(2, 2), shards=(4, 4), serializer={"name": "bytes",
                       "configuration": {"endian": "big"}}),
}  # fmt: skip


def _stored(library: Any, root: Path, source_kwargs: dict[str, Any], copy_format: int | None) -> Any:
    """The metadata document of a ``from_array`` copy, written by ``library`` (zarr or zarrnb)."""
    data = np.arange(48, dtype="<i8").reshape(8, 6)
    source = library.create_array(library.storage.MemoryStore(), data=data, **source_kwargs)
    copy = library.from_array(library.storage.LocalStore(root), data=source, zarr_format=copy_format)
    np.testing.assert_array_equal(copy[:], data)
    key = "zarr.json" if copy.metadata.zarr_format == 3 else ".zarray"
    return json.loads((root / key).read_text())


@pytest.mark.parametrize("name", SOURCES)
@pytest.mark.parametrize("copy_format", [None, 2, 3])
def test_from_array_keeps_what_zarr_python_keeps(name: str, copy_format: int | None, tmp_path: Path) -> None:
    source_kwargs = SOURCES[name]
    try:
        theirs = _stored(zarr, tmp_path / "theirs", source_kwargs, copy_format)
    except ValueError:  # a v3 source's shards or dimension names kept for format 2: refused on both sides
        with pytest.raises(ValueError):
            _stored(zarrnb, tmp_path / "ours", source_kwargs, copy_format)
        return
    with pytest.warns() if source_kwargs.get("order") == "F" and copy_format == 3 else _no_warning():
        ours = _stored(zarrnb, tmp_path / "ours", source_kwargs, copy_format)
    assert ours == theirs


class _no_warning:
    """A stand-in context manager where no warning is checked."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_from_array_warns_that_a_v2_f_order_is_dropped_for_v3() -> None:
    source = zarrnb.create_array({}, data=np.arange(6).reshape(2, 3), order="F", zarr_format=2)
    with pytest.warns(ZarrUserWarning, match="existing order='F' of the source Zarr format 2 array"):
        copy = zarrnb.from_array({}, data=source, zarr_format=3)
    np.testing.assert_array_equal(copy[:], source[:])


def test_from_array_keeps_fill_value_and_attributes_unless_given() -> None:
    source = zarrnb.create_array({}, data=np.arange(4.0), fill_value=-1.0, attributes={"u": "m"})
    kept = zarrnb.from_array({}, data=source)
    assert kept.fill_value == -1.0 and kept.attrs.asdict() == {"u": "m"}
    given = zarrnb.from_array({}, data=source, fill_value=7.0, attributes={})
    assert given.fill_value == 7.0 and given.attrs.asdict() == {}


def test_from_array_write_data_false_writes_metadata_only() -> None:
    source = zarrnb.create_array({}, data=np.arange(10), chunks=(5,), fill_value=-1)
    copy = zarrnb.from_array({}, data=source, write_data=False)
    assert copy.nchunks_initialized == 0 and copy[:].tolist() == [-1] * 10


def test_create_array_refuses_data_with_shape_or_dtype() -> None:
    data = np.arange(10)
    with pytest.raises(ValueError, match="data parameter was used, but the shape parameter"):
        zarrnb.create_array({}, data=data, shape=data.shape)
    with pytest.raises(ValueError, match="data parameter was used, but the dtype parameter"):
        zarrnb.create_array({}, data=data, dtype=data.dtype)
    assert zarrnb.array(data, dtype="f4").dtype == np.dtype("f4")  # array() casts, as zarr-python's


def test_create_array_signature_matches_zarr_python() -> None:
    ours = inspect.signature(create_array).parameters
    theirs = inspect.signature(zarr.api.asynchronous.create_array).parameters
    for name, parameter in theirs.items():
        assert name in ours, name
        assert ours[name].kind == parameter.kind, name
        same_kind = type(ours[name].default).__name__.strip("_") == type(parameter.default).__name__
        assert same_kind or ours[name].default == parameter.default, name  # the fill default: its class
    group_side = inspect.signature(AsyncGroup.create_array).parameters
    for name, parameter in ours.items():
        if name not in ("store", "name", "zarr_format"):
            assert group_side[name] == parameter, name
