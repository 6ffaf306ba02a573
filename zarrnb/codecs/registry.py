"""v3 codec names and their classes; parses the ``codecs`` list of ``zarr.json``.

A name may have several implementations (zarrnb's own and a third party's, from the ``zarr.codecs``
entry-point group or ``register_codec``); the ``codecs.<name>`` setting of ``zarrnb.config`` picks one
by its qualified class name, as zarr-python's ``codecs`` config does. Without it, zarrnb's own codec
wins, so a plugin cannot silently replace a built-in codec.
"""

from __future__ import annotations

import warnings
from collections import defaultdict
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

import zarrnb.config
from zarrnb.abc.codec import BaseCodec
from zarrnb.codecs.base import Codec
from zarrnb.codecs.blosc import BloscCodec
from zarrnb.codecs.bytes import BytesCodec
from zarrnb.codecs.crc32c import Crc32cCodec
from zarrnb.codecs.gzip import GzipCodec
from zarrnb.codecs.transpose import TransposeCodec
from zarrnb.codecs.vlen import VLenBytesCodec, VLenUTF8Codec
from zarrnb.codecs.zstd import ZstdCodec
from zarrnb.errors import MetadataValidationError, UnknownCodecError, ZarrUserWarning

__all__ = [
    "Registry",
    "codec_from_json",
    "fully_qualified_name",
    "get_codec_class",
    "parse_codecs",
    "register_codec",
]

T = TypeVar("T")


# zarrnb module -> the ``zarr`` module path serving it; filled by ``zarrnb.compat.install`` while
# ``import zarr`` is served by zarrnb, so names match zarr-python's config defaults there
SERVED_AS: dict[str, str] = {}


def fully_qualified_name(cls: type) -> str:
    """``module.QualName`` of a class: the key registries and config settings use (under the
    ``zarr`` switch, zarrnb's classes are named by the ``zarr`` path that serves them)."""
    return f"{SERVED_AS.get(cls.__module__, cls.__module__)}.{cls.__qualname__}"


class Registry(dict[str, type[T]], Generic[T]):
    """Implementations by qualified name, plus entry points not loaded until first asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.lazy_load_list: list[EntryPoint] = []

    def lazy_load(self, use_entrypoint_name: bool = False) -> None:
        """Import the pending entry points and register what they name."""
        pending, self.lazy_load_list = self.lazy_load_list, []
        for entry_point in pending:
            self.register(entry_point.load(), qualname=entry_point.name if use_entrypoint_name else None)

    def register(self, cls: type[T], qualname: str | None = None) -> None:
        """Add ``cls`` under ``qualname`` (its qualified class name by default)."""
        self[qualname or fully_qualified_name(cls)] = cls


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
_CODECS: defaultdict[str, Registry[Any]] = defaultdict(Registry)
_OWN: dict[str, type] = {}


def register_codec(key: str, codec_cls: type[Any], *, qualname: str | None = None) -> None:
    """Make ``key`` in ``zarr.json`` resolve to ``codec_cls`` (one of possibly several implementations)."""
    _CODECS[key].register(codec_cls, qualname=qualname)
    if codec_cls.__module__.startswith("zarrnb.") and key not in _OWN:
        _OWN[key] = codec_cls


_scanned = False


def _collect_entry_points() -> None:
    """Queue the codecs that installed packages declare (scanned once, on the first lookup that needs it)."""
    global _scanned
    _scanned = True
    found = entry_points()
    for entry_point in found.select(group="zarr.codecs"):
        _CODECS[entry_point.name].lazy_load_list.append(entry_point)
    for group in found.groups:
        # zarr-python also reads one group per codec name: ``zarr.codecs.<name>``
        if group.startswith("zarr.codecs."):
            _CODECS[group.split(".", 2)[2]].lazy_load_list.extend(found.select(group=group))


class CodecLookupError(UnknownCodecError, KeyError):
    """``get_codec_class`` found no class: an ``UnknownCodecError`` that is also the ``KeyError``
    zarr-python's ``get_codec_class`` raises. (Reading metadata turns it into a plain
    ``UnknownCodecError``, so a member with an unknown codec is unreadable, not absent.)"""

    __str__ = Exception.__str__  # the message as given, not KeyError's quoted form


def get_codec_class(key: str, reload_config: bool = False, *, path: str = "") -> type[Any]:
    """The class for codec name ``key``; unknown names raise ``CodecLookupError`` naming them.

    ``reload_config``: reread the settings (``ZARR_CODECS__<KEY>`` variables included) first."""
    if reload_config:
        zarrnb.config.config.refresh()
    chosen = zarrnb.config.get(f"codecs.{key}", None)
    if not _scanned and (not _CODECS.get(key) or (chosen is not None and chosen not in _CODECS[key])):
        _collect_entry_points()
    if key in _CODECS:
        _CODECS[key].lazy_load()
    implementations = _CODECS.get(key)
    if not implementations:
        where = f" in {path!r}" if path else ""
        known = sorted(name for name, found in _CODECS.items() if found or found.lazy_load_list)
        raise CodecLookupError(f"unknown codec {key!r}{where}; known codecs: {known}")
    own = _OWN.get(key)
    if chosen is not None and chosen not in implementations and own is not None:
        # zarr-python's default names its own class (``zarr.codecs.bytes.BytesCodec``): zarrnb's twin serves
        if chosen.startswith("zarr.") and chosen.rpartition(".")[2] == own.__qualname__:
            return own
    if chosen is not None:
        if chosen not in implementations:
            raise CodecLookupError(
                f"config 'codecs.{key}' names {chosen!r}, which is not registered; "
                f"registered: {sorted(implementations)}"
            )
        return implementations[chosen]
    if len(implementations) == 1:
        return next(iter(implementations.values()))
    if own is None:
        warnings.warn(
            f"Codec '{key}' not configured in config. Selecting any implementation "
            f"(set 'codecs.{key}' to one of {sorted(implementations)} to choose).",
            ZarrUserWarning,
            stacklevel=2,
        )
    return own or list(implementations.values())[-1]


def codec_from_json(data: Any, *, path: str = "") -> Codec:
    """Build a codec from ``{"name": ..., "configuration": ...}`` (or a bare name)."""
    if isinstance(data, str):
        data = {"name": data}
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        where = f" in {path!r}" if path else ""
        raise MetadataValidationError(f"malformed codec {data!r}{where}: expected an object with a 'name'")
    try:
        cls = get_codec_class(data["name"], path=path)
    except CodecLookupError as exc:
        raise UnknownCodecError(str(exc)) from None
    try:
        return cls.from_dict(data)  # type: ignore[no-any-return]
    except MetadataValidationError as exc:
        raise MetadataValidationError(f"{exc} (in {path!r})" if path else str(exc)) from exc
    except (TypeError, ValueError, KeyError) as exc:
        # a third-party codec's own from_dict; name the codec and the document
        where = f" in {path!r}" if path else ""
        raise MetadataValidationError(
            f"codec {data['name']!r}{where}: invalid configuration {data}: {exc}"
        ) from exc


def parse_codecs(value: Any, *, path: str = "", field: str = "codecs") -> tuple[Codec, ...]:
    """Parse a JSON list of codecs (codec objects pass through); a malformed list names ``field``."""
    if not isinstance(value, list | tuple):
        where = f" in {path!r}" if path else ""
        raise MetadataValidationError(f"malformed field {field!r}{where}: expected a list, got {value!r}")
    return tuple(item if isinstance(item, BaseCodec) else codec_from_json(item, path=path) for item in value)  # type: ignore[misc]


for _cls in _BUILTIN:
    register_codec(_cls.codec_name, _cls)
# an early draft of the v3 spec called the bytes codec "endian"
register_codec("endian", BytesCodec)
