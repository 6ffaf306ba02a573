"""Zarr v2 compressors and filters: numcodecs codecs named by their ``id``."""

from __future__ import annotations

from typing import Any

import numcodecs
import numcodecs.abc
from numcodecs.errors import UnknownCodecError as NumcodecsUnknownCodecError

from zarrnb.errors import MetadataValidationError, UnknownCodecError

__all__ = ["DEFAULT_V2_COMPRESSORS", "v2_codec_from_json", "v2_codec_json", "v2_codecs_from_json"]

# zarr-python's v2 defaults: top-level create_array uses zstd, Group.create_array blosc
DEFAULT_V2_COMPRESSORS = {
    "zstd": lambda: numcodecs.Zstd(level=0),
    "blosc": lambda: numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE, blocksize=0),
}


def v2_codec_from_json(value: Any, *, path: str = "", field: str = "compressor") -> numcodecs.abc.Codec:
    """The numcodecs codec for a ``{"id": ..., ...}`` object (or a numcodecs instance, returned as is)."""
    if isinstance(value, numcodecs.abc.Codec):
        return value
    where = f" in {path!r}" if path else ""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise MetadataValidationError(
            f"malformed field {field!r}{where}: expected an object with an 'id', got {value!r}"
        )
    try:
        return numcodecs.get_codec(dict(value))
    except (KeyError, NumcodecsUnknownCodecError) as exc:
        raise UnknownCodecError(f"unknown codec {value['id']!r} in field {field!r}{where}") from exc
    except (TypeError, ValueError) as exc:
        raise MetadataValidationError(f"malformed field {field!r}{where}: codec {value!r}: {exc}") from exc


def v2_codecs_from_json(
    value: Any, *, path: str = "", field: str = "filters"
) -> tuple[numcodecs.abc.Codec, ...]:
    """The numcodecs codecs of a v2 ``filters`` list (``null`` is no filters)."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        where = f" in {path!r}" if path else ""
        raise MetadataValidationError(
            f"malformed field {field!r}{where}: expected a list or null, got {value!r}"
        )
    return tuple(v2_codec_from_json(item, path=path, field=field) for item in value)


def v2_codec_json(codec: numcodecs.abc.Codec) -> dict[str, Any]:
    """The ``.zarray`` form of a numcodecs codec, as zarr-python writes it."""
    config = codec.get_config()
    if config.get("id") == "zstd" and config.get("checksum") is False:
        del config["checksum"]
    return config
