"""Data types and fill values of Zarr formats 2 and 3 (layer 3, the bottom of the format layer)."""

from zarrnb.dtype.fill_value import (
    cast_fill_value,
    decode_fill_value,
    default_fill_value,
    encode_fill_value,
    is_fill,
)
from zarrnb.dtype.names import data_type_repr
from zarrnb.dtype.parse import is_variable_length, parse_dtype
from zarrnb.dtype.v2 import object_codec_id, parse_v2_dtype, v2_dtype_json
from zarrnb.dtype.v3 import STRING_DTYPE, parse_v3_data_type, v3_data_type_json

__all__ = [
    "STRING_DTYPE",
    "cast_fill_value",
    "data_type_repr",
    "decode_fill_value",
    "default_fill_value",
    "encode_fill_value",
    "is_fill",
    "is_variable_length",
    "object_codec_id",
    "parse_dtype",
    "parse_v2_dtype",
    "parse_v3_data_type",
    "v2_dtype_json",
    "v3_data_type_json",
]
