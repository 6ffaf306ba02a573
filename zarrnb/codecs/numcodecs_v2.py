"""Zarr v2 compressors and filters: numcodecs codecs named by their ``id``."""

from __future__ import annotations

from typing import Any

import numcodecs
import numcodecs.abc
from numcodecs.errors import UnknownCodecError as NumcodecsUnknownCodecError

import zarrnb.config
from zarrnb.errors import MetadataValidationError, UnknownCodecError

__all__ = [
    "DEFAULT_V2_COMPRESSORS",
    "UNSAFE_CODEC_IDS",
    "ensure_safe_codec",
    "v2_codec_from_json",
    "v2_codec_json",
    "v2_codecs_from_json",
]

# numcodecs codecs whose decode can run code from the data: ``pickle`` unpickles (its
# ``__reduce__`` calls anything). msgpack2, json2 and the vlen codecs build only plain values.
UNSAFE_CODEC_IDS = frozenset({"pickle"})
_ALLOW_UNSAFE_KEY = "security.allow_unsafe_codecs"

# zarr-python's v2 defaults: top-level create_array uses zstd, Group.create_array blosc
DEFAULT_V2_COMPRESSORS = {
    "zstd": lambda: numcodecs.Zstd(level=0),
    "blosc": lambda: numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE, blocksize=0),
}


def ensure_safe_codec(codec_id: str, *, path: str = "", field: str = "") -> None:
    """Refuse a codec that can run code from stored bytes unless ``security.allow_unsafe_codecs`` opts in.

    Metadata comes from the store, so whoever can write a ``.zarray`` could otherwise make every
    reader unpickle a payload of their choosing.
    """
    if codec_id not in UNSAFE_CODEC_IDS or zarrnb.config.get(_ALLOW_UNSAFE_KEY, False):
        return
    where = f" in field {field!r}" if field else ""
    where += f" of {path!r}" if path else ""
    raise MetadataValidationError(
        f"refusing codec {codec_id!r}{where}: decoding it can run arbitrary code stored in the data; "
        f"if you trust this store, opt in with zarrnb.config.set({{{_ALLOW_UNSAFE_KEY!r}: True}}) "
        "(numcodecs also needs NUMCODECS_ALLOW_UNSAFE_PICKLE_DECODE=1 to unpickle)"
    )


def v2_codec_from_json(value: Any, *, path: str = "", field: str = "compressor") -> numcodecs.abc.Codec:
    """The numcodecs codec for a ``{"id": ..., ...}`` object (or a numcodecs instance, returned as is)."""
    if isinstance(value, numcodecs.abc.Codec):
        ensure_safe_codec(value.codec_id, path=path, field=field)
        return value
    where = f" in {path!r}" if path else ""
    if not isinstance(value, dict) or not isinstance(value.get("id"), str):
        raise MetadataValidationError(
            f"malformed field {field!r}{where}: expected an object with an 'id', got {value!r}"
        )
    ensure_safe_codec(value["id"], path=path, field=field)
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
