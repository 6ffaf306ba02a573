"""v3 codec names and their classes; parses the ``codecs`` list of ``zarr.json``."""

from __future__ import annotations

from typing import Any

from zarrnb.codecs.base import Codec
from zarrnb.codecs.blosc import BloscCodec
from zarrnb.codecs.bytes import BytesCodec
from zarrnb.codecs.crc32c import Crc32cCodec
from zarrnb.codecs.gzip import GzipCodec
from zarrnb.codecs.transpose import TransposeCodec
from zarrnb.codecs.vlen import VLenBytesCodec, VLenUTF8Codec
from zarrnb.codecs.zstd import ZstdCodec
from zarrnb.errors import MetadataValidationError, UnknownCodecError

__all__ = ["codec_from_json", "get_codec_class", "parse_codecs", "register_codec"]

_BUILTIN = (
    BloscCodec,
    BytesCodec,
    Crc32cCodec,
    GzipCodec,
    TransposeCodec,
    VLenBytesCodec,
    VLenUTF8Codec,
    ZstdCodec,
)
_CODECS: dict[str, type[Codec]] = {cls.codec_name: cls for cls in _BUILTIN}
# an early draft of the v3 spec called the bytes codec "endian"
_CODECS["endian"] = BytesCodec


def register_codec(name: str, cls: type[Codec]) -> None:
    """Make ``name`` in ``zarr.json`` resolve to ``cls``."""
    _CODECS[name] = cls


def get_codec_class(name: str, *, path: str = "") -> type[Codec]:
    """The class registered for ``name``; an unknown name raises ``UnknownCodecError`` naming it."""
    try:
        return _CODECS[name]
    except KeyError:
        where = f" in {path!r}" if path else ""
        raise UnknownCodecError(f"unknown codec {name!r}{where}; known codecs: {sorted(_CODECS)}") from None


def codec_from_json(data: Any, *, path: str = "") -> Codec:
    """Build a codec from ``{"name": ..., "configuration": ...}`` (or a bare name)."""
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        where = f" in {path!r}" if path else ""
        raise MetadataValidationError(f"malformed codec {data!r}{where}: expected an object with a 'name'")
    cls = get_codec_class(data["name"], path=path)
    try:
        return cls.from_dict(data)
    except MetadataValidationError as exc:
        raise MetadataValidationError(f"{exc} (in {path!r})" if path else str(exc)) from exc


def parse_codecs(value: Any, *, path: str = "", field: str = "codecs") -> tuple[Codec, ...]:
    """Parse a JSON list of codecs; a malformed list names ``field``."""
    if not isinstance(value, list | tuple):
        where = f" in {path!r}" if path else ""
        raise MetadataValidationError(f"malformed field {field!r}{where}: expected a list, got {value!r}")
    return tuple(item if isinstance(item, Codec) else codec_from_json(item, path=path) for item in value)
