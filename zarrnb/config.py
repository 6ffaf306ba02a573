"""Settings: a donfig ``Config`` with zarr-python's keys (``zarr.config``) plus zarrnb's own.

``config`` is the object zarr-python users know: ``config.get("async.concurrency")``,
``with config.set({"array.order": "F"}): ...`` (``set`` returns donfig's ``ConfigSet``),
``config.pprint()``, ``config.reset()``; ``ZARR_*`` environment variables
(``ZARR_DEFAULT_ZARR_FORMAT=2``, ``ZARR_ASYNC__CONCURRENCY=32``) are read as in zarr-python, and
zarrnb's older ``ZARRNB_*`` variables still are, winning over ``ZARR_*``.

The module-level :func:`get`, :func:`set` and :func:`reset` are zarrnb's stricter front door to
the same object: an unknown key raises ``KeyError`` naming the known ones, where donfig would
accept any key silently. Any other attribute (``pprint``, ``to_dict``, ...) is the object's.
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Mapping
from typing import Any

from donfig import Config as _DonfigConfig
from donfig.config_obj import ConfigSet

__all__ = ["DEFAULTS", "BadConfigError", "Config", "config", "get", "parse_indexing_order", "reset", "set"]

_CODECS = {
    "blosc": "zarr.codecs.blosc.BloscCodec",
    "gzip": "zarr.codecs.gzip.GzipCodec",
    "zstd": "zarr.codecs.zstd.ZstdCodec",
    "bytes": "zarr.codecs.bytes.BytesCodec",
    "endian": "zarr.codecs.bytes.BytesCodec",
    "crc32c": "zarr.codecs.crc32c_.Crc32cCodec",
    "sharding_indexed": "zarr.codecs.sharding.ShardingCodec",
    "transpose": "zarr.codecs.transpose.TransposeCodec",
    "vlen-utf8": "zarr.codecs.vlen_utf8.VLenUTF8Codec",
    "vlen-bytes": "zarr.codecs.vlen_utf8.VLenBytesCodec",
    **{
        f"numcodecs.{name.lower()}": f"zarr.codecs.numcodecs.{name}"
        for name in (
            "BZ2", "CRC32", "CRC32C", "LZ4", "LZMA", "ZFPY", "Adler32", "AsType", "BitRound", "Blosc",
            "Delta", "FixedScaleOffset", "Fletcher32", "GZip", "JenkinsLookup3", "PCodec", "PackBits",
            "Shuffle", "Quantize", "Zlib", "Zstd",
        )
    },
}
_CODECS["numcodecs.jenkins_lookup3"] = _CODECS.pop("numcodecs.jenkinslookup3")

# zarr-python 3.1.6's keys and defaults, then zarrnb's own (nested, as donfig keeps them)
_ZARR_DEFAULTS: dict[str, Any] = {
    "default_zarr_format": 3,
    "array": {"order": "C", "write_empty_chunks": False, "target_shard_size_bytes": None},
    # zarrnb keeps more store requests in flight than zarr-python's 10 (docs/compatibility.md)
    "async": {"concurrency": 64, "timeout": None},
    # worker threads for chunk codecs; None means os.cpu_count()
    "threading": {"max_workers": None},
    "json_indent": 2,
    "codec_pipeline": {"path": "zarr.core.codec_pipeline.BatchedCodecPipeline", "batch_size": 1},
    "codecs": _CODECS,
    "buffer": "zarr.buffer.cpu.Buffer",
    "ndbuffer": "zarr.buffer.cpu.NDBuffer",
}
_ZARRNB_DEFAULTS: dict[str, Any] = {
    # HTML repr bounds (members per level, levels deep)
    "display": {"max_members": 50, "max_depth": 3},
    # remote stores (FsspecStore, ObjectStore): retries of a transient failure (5xx, reset, cut body),
    # and seconds one request may take before failing with StoreTimeoutError (None: no bound)
    "storage": {"retries": 1, "timeout": 60.0},
    # codecs that can run code from stored data (numcodecs "pickle") are refused unless True
    "security": {"allow_unsafe_codecs": False},
}


def _flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        if isinstance(value, Mapping) and key != "codecs":
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


# every known key, dotted (``codecs`` is one key holding a mapping)
DEFAULTS: dict[str, Any] = {**_flatten(_ZARR_DEFAULTS), **_flatten(_ZARRNB_DEFAULTS)}

_LEGACY_PREFIX = "ZARRNB_"


class BadConfigError(ValueError):
    """A setting holds a value zarrnb cannot use."""


def _parse_env_value(raw: str) -> Any:
    """JSON (as zarrnb always read these), else a Python literal (as donfig reads), else the text."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        pass
    try:
        return ast.literal_eval(raw)
    except (SyntaxError, ValueError):
        return raw


def _legacy_environment() -> dict[str, Any]:
    """``ZARRNB_ASYNC__CONCURRENCY=32`` style variables for known keys (``__`` is a dot)."""
    found: dict[str, Any] = {}
    for name, raw in os.environ.items():
        if name.startswith(_LEGACY_PREFIX):
            key = name[len(_LEGACY_PREFIX) :].lower().replace("__", ".")
            if key in DEFAULTS:
                found[key] = _parse_env_value(raw)
    return found


class Config(_DonfigConfig):
    """zarr-python's ``Config``: donfig's, plus ``reset`` and ``enable_gpu``; reads ``ZARRNB_*`` too."""

    def refresh(self, **kwargs: Any) -> None:
        """Reload defaults, files and ``ZARR_*`` variables, then zarrnb's ``ZARRNB_*`` ones."""
        super().refresh(**kwargs)
        legacy = _legacy_environment()
        if legacy:
            self.set(legacy)

    def reset(self) -> None:
        """Back to the defaults and the environment's values."""
        self.clear()
        self.refresh()

    def enable_gpu(self) -> ConfigSet:
        """GPU buffers, as zarr-python's ``enable_gpu``; without CuPy an ImportError names it."""
        try:
            import cupy  # noqa: F401
        except ImportError as exc:
            raise ImportError("zarrnb's GPU buffers need the 'cupy' package, which is not installed") from exc
        return self.set({"buffer": "zarr.buffer.gpu.Buffer", "ndbuffer": "zarr.buffer.gpu.NDBuffer"})


# keys zarr-python 3 dropped (the default codecs per data type are chosen in code): donfig refuses them
# with a ValueError naming the key, as zarr-python's config does
DEPRECATIONS: dict[str, str | None] = {
    f"array.{key}": None
    for key in (
        "v2_default_compressor.numeric", "v2_default_compressor.string", "v2_default_compressor.bytes",
        "v2_default_filters.string", "v2_default_filters.bytes", "v3_default_filters.numeric",
        "v3_default_filters.raw", "v3_default_filters.bytes", "v3_default_serializer.numeric",
        "v3_default_serializer.string", "v3_default_serializer.bytes", "v3_default_compressors.string",
        "v3_default_compressors.bytes", "v3_default_compressors",
    )
}  # fmt: skip

config = Config("zarr", defaults=[_ZARR_DEFAULTS, _ZARRNB_DEFAULTS], deprecations=DEPRECATIONS)


def parse_indexing_order(data: Any) -> str:
    """``'C'`` or ``'F'``, the memory orders ``array.order`` may hold; anything else is a ValueError."""
    if data in ("C", "F"):
        return data
    raise ValueError(f"Expected one of ('C', 'F'), got {data} instead.")


def get(key: str, default: Any = ...) -> Any:
    """Return the setting ``key``; an unknown key raises ``KeyError`` naming it."""
    if default is not ...:
        return config.get(key, default)
    try:
        return config.get(key)
    except KeyError:
        raise KeyError(f"unknown zarrnb setting {key!r}; known settings: {sorted(DEFAULTS)}") from None


def set(values: Mapping[str, Any] | None = None, **kwargs: Any) -> ConfigSet:
    """Change settings (restored on exit when used as a context manager); unknown keys raise ``KeyError``."""
    updates = {**(values or {}), **{k.replace("__", "."): v for k, v in kwargs.items()}}
    # a removed key is refused by the config object itself (a ValueError saying it was removed)
    unknown = [
        k for k in updates if k not in DEFAULTS and k not in DEPRECATIONS and k.partition(".")[0] != "codecs"
    ]
    if unknown:
        raise KeyError(f"unknown zarrnb setting(s) {unknown}; known settings: {sorted(DEFAULTS)}")
    return config.set(updates)


def reset() -> None:
    """Restore the defaults and the environment's values."""
    config.reset()


def __getattr__(name: str) -> Any:
    """The rest of donfig's interface (``pprint``, ``to_dict``, ``update``, ...) on the module too."""
    return getattr(config, name)
