"""``ZarrnbDataStore``: a zarrnb group seen as an xarray data store (variables, attributes, dims).

It only maps metadata: dimension names from ``dimension_names`` (v3) or the
``_ARRAY_DIMENSIONS`` attribute (v2), attributes, the encoding xarray keeps (chunks,
codecs) and the fill value the way xarray's zarr backend presents it. CF decoding
is xarray's own (``StoreBackendEntrypoint``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xarray.backends.common import AbstractDataStore
from xarray.backends.zarr import FillValueCoder
from xarray.core import indexing
from xarray.core.utils import FrozenDict
from xarray.core.variable import Variable

from zarrnb.api.array import Array
from zarrnb.api.group import Group
from zarrnb.codecs.base import Codec
from zarrnb.xarray.array import ZarrnbBackendArray

__all__ = ["DIMENSION_KEY", "ZarrnbDataStore", "array_dimensions"]

DIMENSION_KEY = "_ARRAY_DIMENSIONS"


def array_dimensions(array: Array) -> tuple[str, ...]:
    """The array's dimension names; a KeyError names the array when it has none."""
    metadata = array.metadata
    if metadata.zarr_format == 3:
        names = tuple(metadata.dimension_names or ())
        where = "the `dimension_names` metadata"
    else:
        names = tuple(metadata.attributes.get(DIMENSION_KEY, ()))
        where = f"the attribute `{DIMENSION_KEY}`"
    if len(names) != array.ndim or any(name is None for name in names):
        raise KeyError(
            f"zarrnb array {array.path!r} in {array.store_path.store} is missing {where}, "
            f"which xarray needs to name its {array.ndim} dimensions (found {list(names)})"
        )
    return names  # type: ignore[return-value]


def _portable(codec: Any) -> Any:
    """A codec as its JSON form (numcodecs objects as they are), so a Dataset opened here writes back
    through any Zarr library, zarr-python included, with the same codecs."""
    if isinstance(codec, Codec):
        return codec.to_dict()
    return codec


class ZarrnbDataStore(AbstractDataStore):
    """The arrays of one zarrnb group as xarray variables; reading stays lazy until indexed."""

    def __init__(self, group: Group, *, use_zarr_fill_value_as_mask: bool | None = None) -> None:
        self.zarr_group = group
        self.zarr_format = group.metadata.zarr_format
        if use_zarr_fill_value_as_mask is None:
            # xarray's rule: a v2 fill value is a missing-value mask, a v3 one is not
            use_zarr_fill_value_as_mask = self.zarr_format == 2
        self._fill_value_as_mask = use_zarr_fill_value_as_mask
        self._arrays = dict(group.arrays())

    def arrays(self) -> Iterator[tuple[str, Array]]:
        return iter(self._arrays.items())

    def open_store_variable(self, name: str, array: Array) -> Variable:
        """One variable: dims, lazy data, attributes and the encoding a round trip needs."""
        dimensions = array_dimensions(array)
        attributes = dict(array.attrs)
        if self.zarr_format == 2:
            attributes.pop(DIMENSION_KEY, None)
        data = indexing.LazilyIndexedArray(ZarrnbBackendArray(array.async_array))
        chunks = tuple(array.chunks)
        encoding: dict[str, Any] = {
            "chunks": chunks,
            "preferred_chunks": dict(zip(dimensions, chunks, strict=True)),
            "compressors": tuple(_portable(codec) for codec in array.compressors),
            "filters": tuple(_portable(codec) for codec in array.filters),
            "shards": array.shards,
        }
        if self.zarr_format == 3:
            encoding["serializer"] = _portable(array.serializer)
        if self._fill_value_as_mask:
            if array.fill_value is not None:
                attributes["_FillValue"] = array.fill_value
        else:
            if self.zarr_format == 3:
                encoding["fill_value"] = array.fill_value
            if "_FillValue" in attributes:
                # xarray stores a v3 mask value as an attribute in its own encoding
                attributes["_FillValue"] = FillValueCoder.decode(attributes["_FillValue"], array.dtype)
        return Variable(dimensions, data, attributes, encoding)

    def get_variables(self) -> FrozenDict:
        return FrozenDict((name, self.open_store_variable(name, array)) for name, array in self.arrays())

    def get_attrs(self) -> dict[str, Any]:
        return {k: v for k, v in self.zarr_group.attrs.items() if not k.lower().startswith("_nc")}

    def get_dimensions(self) -> dict[str, int]:
        dimensions: dict[str, int] = {}
        for name, array in self.arrays():
            for dim, size in zip(array_dimensions(array), array.shape, strict=True):
                if dimensions.setdefault(dim, size) != size:
                    raise ValueError(
                        f"found conflicting lengths for dimension {dim} ({size} in {name!r} "
                        f"!= {dimensions[dim]})"
                    )
        return dimensions

    def close(self) -> None:
        """Nothing to release: zarrnb stores hold no open handles between reads."""
