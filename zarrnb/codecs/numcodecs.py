"""numcodecs codecs inside Zarr v3 arrays, named as zarr-python writes them (``numcodecs.<id>``).

``zarrnb.codecs.numcodecs.Delta`` mirrors ``zarr.codecs.numcodecs.Delta``: each class wraps the numcodecs
codec of its id, its JSON ``configuration`` is the numcodecs configuration without the id, and its repr
is zarr-python's (``Delta(codec_name='numcodecs.delta', codec_config={...})``).
"""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any, ClassVar, Self

import numcodecs
import numcodecs.abc
import numcodecs.registry
import numpy as np
from numcodecs.errors import UnknownCodecError as NumcodecsUnknownCodecError

from zarrnb.codecs.base import ArrayArrayCodec, ArrayBytesCodec, BytesBytesCodec, BytesLike, Codec
from zarrnb.codecs.numcodecs_v2 import ensure_safe_codec
from zarrnb.codecs.registry import register_codec
from zarrnb.errors import MetadataValidationError, ZarrUserWarning

# the codec classes and their bases, as zarr-python's module lists them (NUMCODECS_V3 and
# numcodecs_v3_codec are zarrnb's helpers, imported by name)
__all__ = [
    "BZ2",
    "CRC32",
    "CRC32C",
    "LZ4",
    "LZMA",
    "ZFPY",
    "Adler32",
    "AsType",
    "BitRound",
    "Blosc",
    "Delta",
    "FixedScaleOffset",
    "Fletcher32",
    "GZip",
    "JenkinsLookup3",
    "PCodec",
    "PackBits",
    "Quantize",
    "Shuffle",
    "Zlib",
    "Zstd",
    "_NumcodecsArrayArrayCodec",
    "_NumcodecsArrayBytesCodec",
    "_NumcodecsBytesBytesCodec",
    "_NumcodecsCodec",
]


# zarr-python warns the same when one of these codecs is made (read from metadata included)
NOT_IN_SPEC_WARNING = (
    "Numcodecs codecs are not in the Zarr version 3 specification and may not be supported by other zarr "
    "implementations."
)


class MissingCodecPackageError(NumcodecsUnknownCodecError, ImportError):
    """numcodecs has no codec of this id because the package behind it is not installed."""


class _NumcodecsV3:
    """Shared body: the numcodecs codec built once from ``codec_config``."""

    codec_id: ClassVar[str]

    def __init__(self, **codec_config: Any) -> None:
        warnings.warn(NOT_IN_SPEC_WARNING, ZarrUserWarning, stacklevel=3)
        codec_config.pop("id", None)
        ensure_safe_codec(self.codec_id, field=f"numcodecs.{self.codec_id}")
        self.codec_config = codec_config

    @functools.cached_property
    def _numcodecs(self) -> numcodecs.abc.Codec:
        """The numcodecs codec, built on first use: as in zarr-python, settings such as ``dtype`` may
        still come from the array (``evolve``) after the codec is made."""
        try:
            return numcodecs.get_codec({"id": self.codec_id, **self.codec_config})
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"numcodecs.{self.codec_id}: invalid configuration {self.codec_config}: {exc}"
            ) from exc

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        """A codec read from metadata is checked at once, so a bad document fails when opened."""
        codec = super().from_dict(data)  # type: ignore[misc]
        try:
            codec._numcodecs  # noqa: B018
        except ValueError as exc:
            raise MetadataValidationError(str(exc)) from exc
        return codec  # type: ignore[no-any-return]

    @property
    def _codec(self) -> numcodecs.abc.Codec:
        """zarr-python's name for the wrapped numcodecs codec."""
        return self._numcodecs

    def _configuration(self) -> dict[str, Any]:
        return dict(self.codec_config)

    def to_dict(self) -> dict[str, Any]:
        """``{"name": "numcodecs.<id>", "configuration": {...}}``: the configuration always written, as
        zarr-python writes it (empty for a codec without settings)."""
        return {"name": self.codec_name, "configuration": self._configuration()}  # type: ignore[attr-defined]

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: Any) -> int:
        """Unknown before encoding for a numcodecs codec (checksums excepted), as in zarr-python."""
        raise NotImplementedError(
            f"{type(self).__name__} ({self.codec_name}) does not know its encoded size in advance"  # type: ignore[attr-defined]
        )

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.codec_config == self.codec_config  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash((self.codec_id, repr(sorted(self.codec_config.items()))))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(codec_name={self.codec_name!r}, codec_config={self.codec_config!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self).__name__, self.codec_config))


# zarr-python's name for the shared base (its tests select the wrapper classes by it)
_NumcodecsCodec = _NumcodecsV3


class _BytesBytes(_NumcodecsV3, BytesBytesCodec):
    def encode_raw(self, data: BytesLike) -> BytesLike:
        return self._numcodecs.encode(data)

    def decode_raw(self, data: BytesLike) -> BytesLike:
        return self._numcodecs.decode(data)


class _Checksum(_BytesBytes):
    """A numcodecs checksum: the data and four checksum bytes."""

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: Any) -> int:
        return input_byte_length + 4


class _ArrayArray(_NumcodecsV3, ArrayArrayCodec):
    def encoded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return shape

    def encoded_dtype(self, dtype: np.dtype) -> np.dtype:
        target = self.codec_config.get("astype") or self.codec_config.get("encode_dtype")
        return np.dtype(target) if target else dtype

    def encode_raw(self, chunk: np.ndarray) -> np.ndarray:
        encoded = np.asarray(self._numcodecs.encode(np.ascontiguousarray(chunk)))
        return encoded.view(self.encoded_dtype(chunk.dtype)).reshape(self.encoded_shape(chunk.shape))

    def decode_raw(self, chunk: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return np.asarray(self._numcodecs.decode(np.ascontiguousarray(chunk))).reshape(shape)


class _ArrayBytes(_NumcodecsV3, ArrayBytesCodec):
    """A numcodecs codec that serializes whole arrays (pcodec, zfpy); needs its own package installed."""

    package: ClassVar[str]
    is_fixed_size: ClassVar[bool] = False

    def __init__(self, **codec_config: Any) -> None:
        if self.codec_id not in numcodecs.registry.codec_registry:
            warnings.warn(NOT_IN_SPEC_WARNING, ZarrUserWarning, stacklevel=2)
            raise MissingCodecPackageError(
                f"{type(self).__name__} ({self.codec_name}) needs numcodecs' {self.codec_id!r} codec, which "
                f"needs the {self.package!r} package: pip install {self.package}"
            )
        super().__init__(**codec_config)

    def encode_raw(self, chunk: np.ndarray) -> BytesLike:
        return self._numcodecs.encode(np.ascontiguousarray(chunk))

    def decode_raw(self, data: BytesLike, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
        return np.asarray(self._numcodecs.decode(data)).reshape(shape).astype(dtype, copy=False)


class _FillsDtype(_ArrayArray):
    """A filter whose numcodecs codec needs the array's dtype (``dtype_field``); filled from the array."""

    dtype_field: ClassVar[str] = "dtype"

    def evolve(self, dtype: np.dtype) -> Self:
        if self.codec_config.get(self.dtype_field) is not None:
            return self
        return type(self)(**{**self.codec_config, self.dtype_field: str(dtype)})


class _Shuffle(_BytesBytes):
    """Byte shuffle; ``elementsize`` defaults to the dtype's item size, as zarr-python writes it."""

    def evolve(self, dtype: np.dtype) -> Self:
        if "elementsize" in self.codec_config:
            return self
        return type(self)(**self.codec_config, elementsize=dtype.itemsize)


class _PackBits(_ArrayArray):
    """Booleans packed eight to a byte, after a byte counting the padding bits."""

    def encoded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return (1 + math.ceil(math.prod(shape) / 8),)

    def encoded_dtype(self, dtype: np.dtype) -> np.dtype:
        return np.dtype("u1")

    def evolve(self, dtype: np.dtype) -> Self:
        if dtype != np.dtype(bool):
            raise ValueError(f"numcodecs.packbits filter requires bool dtype, got {dtype}")
        return self

    def validate(self, *, dtype: Any, **_kwargs: Any) -> None:
        """Refuse a data type other than bool (a NumPy dtype or a data-type object), as zarr-python's."""
        native = dtype.to_native_dtype() if hasattr(dtype, "to_native_dtype") else np.dtype(dtype)
        if native != np.dtype(bool):
            raise ValueError(f"Packbits filter requires bool dtype. Got {dtype}.")


def _make(name: str, codec_id: str, base: type) -> Any:
    attributes = {"codec_id": codec_id, "codec_name": f"numcodecs.{codec_id}", "__module__": __name__}
    doc = f"numcodecs' {codec_id} codec in a v3 array. See [numcodecs.{name}][] for its parameters."
    return type(name, (base,), {**attributes, "__doc__": doc})


BZ2 = _make("BZ2", "bz2", _BytesBytes)
CRC32 = _make("CRC32", "crc32", _Checksum)
CRC32C = _make("CRC32C", "crc32c", _Checksum)
LZ4 = _make("LZ4", "lz4", _BytesBytes)
LZMA = _make("LZMA", "lzma", _BytesBytes)
Adler32 = _make("Adler32", "adler32", _Checksum)
Fletcher32 = _make("Fletcher32", "fletcher32", _Checksum)
JenkinsLookup3 = _make("JenkinsLookup3", "jenkins_lookup3", _Checksum)
Blosc = _make("Blosc", "blosc", _BytesBytes)
GZip = _make("GZip", "gzip", _BytesBytes)
Zlib = _make("Zlib", "zlib", _BytesBytes)
Zstd = _make("Zstd", "zstd", _BytesBytes)
Shuffle = _make("Shuffle", "shuffle", _Shuffle)
Delta = _make("Delta", "delta", _ArrayArray)
FixedScaleOffset = _make("FixedScaleOffset", "fixedscaleoffset", _FillsDtype)
Quantize = _make("Quantize", "quantize", _FillsDtype)
BitRound = _make("BitRound", "bitround", _ArrayArray)
AsType = _make("AsType", "astype", _FillsDtype)
AsType.dtype_field = "decode_dtype"
PackBits = _make("PackBits", "packbits", _PackBits)
PCodec = _make("PCodec", "pcodec", _ArrayBytes)
PCodec.package = "pcodec"
ZFPY = _make("ZFPY", "zfpy", _ArrayBytes)
ZFPY.package = "zfpy"

NUMCODECS_V3: dict[str, type[Codec]] = {
    cls.__name__: cls
    for cls in (BZ2, CRC32, CRC32C, LZ4, LZMA, Adler32, Fletcher32, JenkinsLookup3, Blosc, GZip, Zlib, Zstd,
                Shuffle, Delta, FixedScaleOffset, Quantize, BitRound, AsType, PackBits, PCodec, ZFPY)
}  # fmt: skip
_BY_ID = {cls.codec_id: cls for cls in NUMCODECS_V3.values()}  # type: ignore[attr-defined]


# zarr-python's names for the bases of the codec classes (its tests pick the classes by them)
_NumcodecsBytesBytesCodec = _BytesBytes
_NumcodecsArrayArrayCodec = _ArrayArray
_NumcodecsArrayBytesCodec = _ArrayBytes


def _rebuild(name: str, codec_config: dict[str, Any]) -> Codec:
    return NUMCODECS_V3[name](**codec_config)


def numcodecs_v3_codec(codec: numcodecs.abc.Codec) -> Codec | None:
    """The v3 wrapper of a numcodecs instance, or None when zarrnb has none for its id."""
    cls = _BY_ID.get(codec.codec_id)
    return None if cls is None else cls(**codec.get_config())


for _cls in NUMCODECS_V3.values():
    register_codec(_cls.codec_name, _cls)
