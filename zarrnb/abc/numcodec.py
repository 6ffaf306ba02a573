"""``Numcodec``: the interface of a numcodecs codec, which v2 arrays take as filters and compressors."""

from __future__ import annotations

from typing import Any, Protocol, Self, TypeGuard

__all__ = ["Numcodec"]

_NUMCODEC_METHODS = ("encode", "decode", "get_config", "from_config")


class Numcodec(Protocol):
    """What zarr needs of a numcodecs-style codec: an id, encode/decode and a JSON config."""

    codec_id: str

    def encode(self, buf: Any) -> Any:
        """Encode ``buf``."""
        ...

    def decode(self, buf: Any, out: Any | None = None) -> Any:
        """Decode ``buf``, into ``out`` when given."""
        ...

    def get_config(self) -> Any:
        """The JSON configuration, ``id`` included."""
        ...

    @classmethod
    def from_config(cls, config: Any) -> Self:
        """The codec of a configuration ``get_config`` wrote."""
        ...


def _is_numcodec_cls(obj: object) -> TypeGuard[type[Numcodec]]:
    """True for a class with a string ``codec_id`` and the four numcodecs methods (checked by hand:
    a Protocol with attributes cannot be used with ``issubclass``)."""
    return (
        isinstance(obj, type)
        and isinstance(getattr(obj, "codec_id", None), str)
        and all(callable(getattr(obj, name, None)) for name in _NUMCODEC_METHODS)
    )


def _is_numcodec(obj: object) -> TypeGuard[Numcodec]:
    """True for an instance of a numcodecs-style codec class."""
    return _is_numcodec_cls(type(obj))
