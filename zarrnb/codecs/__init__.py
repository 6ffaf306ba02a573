"""v3 codecs, the v2 numcodecs bridge and the codec pipelines (layer 3, between dtype and metadata).

Class names and reprs follow zarr-python's ``zarr.codecs`` so code ports by changing the import.
"""

from zarrnb.codecs import numcodecs
from zarrnb.codecs.base import ArrayArrayCodec, ArrayBytesCodec, BytesBytesCodec, Codec
from zarrnb.codecs.blosc import BloscCname, BloscCodec, BloscShuffle
from zarrnb.codecs.bytes import BytesCodec, Endian
from zarrnb.codecs.crc32c import Crc32cCodec
from zarrnb.codecs.gzip import GzipCodec
from zarrnb.codecs.pipeline import CodecPipeline, V2CodecPipeline
from zarrnb.codecs.registry import codec_from_json, get_codec_class, parse_codecs, register_codec
from zarrnb.codecs.sharding import ShardingCodec, ShardingCodecIndexLocation
from zarrnb.codecs.transpose import TransposeCodec
from zarrnb.codecs.vlen import VLenBytesCodec, VLenUTF8Codec
from zarrnb.codecs.zstd import ZstdCodec

__all__ = [
    "ArrayArrayCodec",
    "ArrayBytesCodec",
    "BloscCname",
    "BloscCodec",
    "BloscShuffle",
    "BytesBytesCodec",
    "BytesCodec",
    "Codec",
    "CodecPipeline",
    "Crc32cCodec",
    "Endian",
    "GzipCodec",
    "ShardingCodec",
    "ShardingCodecIndexLocation",
    "TransposeCodec",
    "V2CodecPipeline",
    "VLenBytesCodec",
    "VLenUTF8Codec",
    "ZstdCodec",
    "codec_from_json",
    "get_codec_class",
    "numcodecs",
    "parse_codecs",
    "register_codec",
]
