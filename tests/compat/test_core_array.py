"""``zarr.core.array``'s per-data-type defaults and chunk-encoding parsers, and ``zarr.types``, with
zarr-python as the oracle."""

from __future__ import annotations

import re
from typing import Any

import numcodecs
import numpy as np
import pytest
import zarr.core.array as theirs
import zarr.core.dtype as their_dtypes

import zarrnb.types
from zarrnb import dtype as our_dtypes
from zarrnb.api.array import Array
from zarrnb.compat import zarr_core_array as ours
from zarrnb.core.array import AsyncArray
from zarrnb.dtype.npy.sized import UTF8Base

DTYPES = ["uint8", ">i2", "<f8", "bool", "U4", "S3", "V2", "M8[s]", "O", str]


def _pair(dtype: Any) -> tuple[Any, Any]:
    """The data-type object for ``dtype`` in zarrnb and in zarr-python."""
    if dtype == "O":
        return our_dtypes.VariableLengthBytes(), their_dtypes.VariableLengthBytes()
    if dtype is str:
        return our_dtypes.VariableLengthUTF8(), their_dtypes.VariableLengthUTF8()
    return our_dtypes.parse_dtype(dtype, zarr_format=3), their_dtypes.parse_dtype(dtype, zarr_format=3)


@pytest.mark.filterwarnings("ignore::UserWarning")
@pytest.mark.parametrize("dtype", DTYPES)
def test_defaults_match_zarr_python(dtype: Any) -> None:
    our_dtype, their_dtype = _pair(dtype)
    assert (
        ours.default_serializer_v3(our_dtype).to_dict() == theirs.default_serializer_v3(their_dtype).to_dict()
    )
    our_filters, their_filters = ours.default_filters_v2(our_dtype), theirs.default_filters_v2(their_dtype)
    assert our_filters == their_filters
    assert ours.default_compressor_v2(our_dtype) == theirs.default_compressor_v2(their_dtype)
    assert ours.default_filters_v3(our_dtype) == theirs.default_filters_v3(their_dtype) == ()
    assert [c.to_dict() for c in ours.default_compressors_v3(our_dtype)] == [
        c.to_dict() for c in theirs.default_compressors_v3(their_dtype)
    ]


class _Unknown(UTF8Base[np.dtypes.ObjectDType]):
    object_codec_id = "unknown"  # type: ignore[assignment]

    def to_native_dtype(self) -> np.dtype:
        return np.dtype("O")


def test_an_unknown_object_codec_is_refused_by_name() -> None:
    message = re.escape("Data type _Unknown() requires an unknown object codec: 'unknown'.")
    with pytest.raises(ValueError, match=message):
        ours.default_serializer_v3(_Unknown())
    with pytest.raises(ValueError, match=message):
        ours.default_filters_v2(_Unknown())
    with pytest.raises(ValueError, match="an unknown object codec with id 'unknown'"):
        ours._parse_chunk_encoding_v2(filters=None, compressor=None, dtype=_Unknown())


@pytest.mark.parametrize("filters", ["auto", None, numcodecs.GZip(1), (numcodecs.GZip(1),)])
@pytest.mark.parametrize(
    "compressor", ["auto", None, (), numcodecs.Zstd(level=3), (numcodecs.Zstd(level=3),)]
)
@pytest.mark.parametrize("dtype", ["uint8", "U3", "M8[s]"])
def test_parse_chunk_encoding_v2_matches_zarr_python(filters: Any, compressor: Any, dtype: str) -> None:
    our_dtype = our_dtypes.parse_dtype(dtype, zarr_format=2)
    their_dtype = their_dtypes.parse_dtype(dtype, zarr_format=2)
    expected = theirs._parse_chunk_encoding_v2(filters=filters, compressor=compressor, dtype=their_dtype)
    assert ours._parse_chunk_encoding_v2(filters=filters, compressor=compressor, dtype=our_dtype) == expected


@pytest.mark.parametrize("dtype", [str, "O"])
def test_variable_length_types_need_their_object_codec_in_v2(dtype: Any) -> None:
    our_dtype, their_dtype = _pair(dtype)
    with pytest.raises(ValueError) as expected:
        theirs._parse_chunk_encoding_v2(filters=None, compressor=None, dtype=their_dtype)
    with pytest.raises(ValueError, match=re.escape(str(expected.value))):
        ours._parse_chunk_encoding_v2(filters=None, compressor=None, dtype=our_dtype)
    filters, _ = ours._parse_chunk_encoding_v2(filters="auto", compressor=None, dtype=our_dtype)
    assert filters == theirs._parse_chunk_encoding_v2(filters="auto", compressor=None, dtype=their_dtype)[0]


def test_utf8_base_is_the_base_of_variable_length_utf8() -> None:
    assert issubclass(our_dtypes.VariableLengthUTF8, UTF8Base)
    assert UTF8Base.object_codec_id == "vlen-utf8"
    assert _Unknown().to_native_dtype() == np.dtype("O")


def test_type_aliases_name_our_classes() -> None:
    assert zarrnb.types.AnyArray is zarrnb.types.ArrayV2 is zarrnb.types.ArrayV3 is Array
    assert zarrnb.types.AnyAsyncArray is zarrnb.types.AsyncArrayV2 is zarrnb.types.AsyncArrayV3 is AsyncArray
