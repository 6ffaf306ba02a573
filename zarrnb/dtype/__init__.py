"""Data types and fill values of Zarr formats 2 and 3 (layer 3, the bottom of the format layer).

The engine works on numpy dtypes (``zarrnb.dtype.parse.parse_dtype`` turns user input into one); the
``ZDType`` objects (``Int16()``, ``parse_dtype`` here) are zarr-python's public data-type API around them.
"""

from zarrnb.dtype.fill_value import (
    cast_fill_value,
    decode_fill_value,
    default_fill_value,
    encode_fill_value,
    is_fill,
)
from zarrnb.dtype.names import data_type_repr
from zarrnb.dtype.npy.numeric import (
    Bool,
    Complex64,
    Complex128,
    Float16,
    Float32,
    Float64,
    Int8,
    Int16,
    Int32,
    Int64,
    UInt8,
    UInt16,
    UInt32,
    UInt64,
)
from zarrnb.dtype.npy.sized import (
    DateTime64,
    FixedLengthUTF32,
    NullTerminatedBytes,
    RawBytes,
    Structured,
    TimeDelta64,
    VariableLengthBytes,
    VariableLengthUTF8,
)
from zarrnb.dtype.parse import is_variable_length
from zarrnb.dtype.parse import parse_dtype as parse_native_dtype
from zarrnb.dtype.registry import (
    ANY_DTYPE,
    VLEN_UTF8_ALIAS,
    AnyDType,
    DataTypeRegistry,
    ZDTypeLike,
    data_type_registry,
    get_data_type_from_json,
    get_data_type_from_native_dtype,
    parse_data_type,
    parse_dtype,
)
from zarrnb.dtype.v2 import object_codec_id, parse_v2_dtype, v2_dtype_json
from zarrnb.dtype.v3 import STRING_DTYPE, parse_v3_data_type, v3_data_type_json
from zarrnb.dtype.wrapper import DataTypeValidationError, TBaseDType, TBaseScalar, ZDType

__all__ = [
    "ANY_DTYPE",
    "STRING_DTYPE",
    "VLEN_UTF8_ALIAS",
    "AnyDType",
    "Bool",
    "Complex64",
    "Complex128",
    "DataTypeRegistry",
    "DataTypeValidationError",
    "DateTime64",
    "FixedLengthUTF32",
    "Float16",
    "Float32",
    "Float64",
    "Int8",
    "Int16",
    "Int32",
    "Int64",
    "NullTerminatedBytes",
    "RawBytes",
    "Structured",
    "TBaseDType",
    "TBaseScalar",
    "TimeDelta64",
    "UInt8",
    "UInt16",
    "UInt32",
    "UInt64",
    "VariableLengthBytes",
    "VariableLengthUTF8",
    "ZDType",
    "ZDTypeLike",
    "cast_fill_value",
    "data_type_registry",
    "data_type_repr",
    "decode_fill_value",
    "default_fill_value",
    "encode_fill_value",
    "get_data_type_from_json",
    "get_data_type_from_native_dtype",
    "is_fill",
    "is_variable_length",
    "object_codec_id",
    "parse_data_type",
    "parse_dtype",
    "parse_native_dtype",
    "parse_v2_dtype",
    "parse_v3_data_type",
    "v2_dtype_json",
    "v3_data_type_json",
]
