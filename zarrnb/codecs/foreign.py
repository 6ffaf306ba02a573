"""Third-party codecs in zarrnb's pipeline, called through zarr-python's codec interface.

A codec that subclasses ``zarrnb.abc.codec`` (``zarr.abc.codec`` under the switch) but not zarrnb's
own codec classes knows nothing of ``encode_raw``/``decode_raw``. :func:`adapt_codecs` wraps each
such codec with the ``ArraySpec`` of its position in the chain (evolved with
``evolve_from_array_spec``, passed on with ``resolve_metadata``, as zarr-python does) and calls it
through ``_encode_sync``/``_decode_sync`` when it has them, else ``_encode_single``/``_decode_single``.
zarrnb's own codecs pass through untouched, so the engine's fast paths stay as they are.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, ClassVar

import numpy as np

from zarrnb.abc import codec as abc_codec
from zarrnb.codecs.array_spec import ArraySpec
from zarrnb.codecs.base import (
    ArrayArrayCodec,
    ArrayBytesCodec,
    BytesBytesCodec,
    BytesLike,
    Codec,
    as_bytes_like,
)
from zarrnb.core.buffer import Buffer, NDBuffer

__all__ = ["adapt_codecs", "is_foreign", "unwrap"]

_local = threading.local()
_helper: ThreadPoolExecutor | None = None


_INTERFACE = ("_encode_sync", "_encode_single", "_decode_sync", "_decode_single")


def _interface_owner(codec: object, names: Sequence[str]) -> type | None:
    """The most derived class of ``codec`` that defines one of ``names``."""
    return next((klass for klass in type(codec).__mro__ if any(n in vars(klass) for n in names)), None)


def _overrides_interface(codec: object) -> bool:
    """True when a class outside zarrnb (a subclass of one of zarrnb's codecs, say) defines one of
    zarr-python's codec methods: the engine must then call those, not zarrnb's own fast paths."""
    owner = _interface_owner(codec, _INTERFACE)
    return owner is not None and not owner.__module__.startswith("zarrnb.")


def is_foreign(codec: object) -> bool:
    """True for a zarr-python-style codec that is not one of zarrnb's own, or overrides their methods."""
    if not isinstance(codec, abc_codec.BaseCodec):
        return False
    return not isinstance(codec, Codec) or _overrides_interface(codec)


def unwrap(codec: Any) -> Any:
    """The user's codec behind an adapter (adapters never show in metadata or reprs)."""
    return getattr(codec, "foreign", codec)


def _run(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a codec coroutine to completion from synchronous code (a codec worker thread, usually)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        loop = getattr(_local, "loop", None)
        if loop is None or loop.is_closed():
            loop = _local.loop = asyncio.new_event_loop()
        return loop.run_until_complete(coroutine)
    # called on a thread whose loop is running: finish it on a helper thread instead of blocking the loop's
    global _helper
    if _helper is None:
        _helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="zarrnb-foreign-codec")
    return _helper.submit(_run, coroutine).result()


def _call(codec: Any, direction: str, data: Any, spec: ArraySpec) -> Any:
    """Call ``codec``'s most derived ``_<direction>_sync`` or ``_<direction>_single``.

    A class defining both is called through the sync one."""
    sync, single = f"_{direction}_sync", f"_{direction}_single"
    owner = _interface_owner(codec, (sync, single))
    if owner is not None and sync in vars(owner):
        return getattr(codec, sync)(data, spec)
    return _run(getattr(codec, single)(data, spec))


def _as_ndarray(result: Any) -> np.ndarray:
    return np.asarray(result.as_numpy_array() if hasattr(result, "as_numpy_array") else result)


class _Adapter:
    """Shared part: the wrapped codec, its input spec, and what it tells the next codec."""

    foreign: Any
    spec: ArraySpec
    codec_name: ClassVar[str] = "foreign"

    def _setup(self, foreign: Any, spec: ArraySpec) -> None:
        object.__setattr__(self, "foreign", foreign.evolve_from_array_spec(spec))
        object.__setattr__(self, "spec", spec)
        object.__setattr__(self, "out_spec", self.foreign.resolve_metadata(spec))

    def to_dict(self) -> dict[str, Any]:
        return self.foreign.to_dict()  # type: ignore[no-any-return]

    def evolve(self, dtype: np.dtype) -> Any:
        return self

    def __repr__(self) -> str:
        return repr(self.foreign)


class _ForeignArrayArray(_Adapter, ArrayArrayCodec):
    def __init__(self, foreign: Any, spec: ArraySpec) -> None:
        self._setup(foreign, spec)

    def encoded_shape(self, shape: tuple[int, ...]) -> tuple[int, ...]:
        return self.out_spec.shape  # type: ignore[attr-defined,no-any-return]

    def encoded_dtype(self, dtype: np.dtype) -> np.dtype:
        return self.out_spec.dtype.to_native_dtype()  # type: ignore[attr-defined,no-any-return]

    def encode_raw(self, chunk: np.ndarray) -> np.ndarray:
        return _as_ndarray(_call(self.foreign, "encode", NDBuffer(chunk), self.spec))

    def decode_raw(self, chunk: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        return _as_ndarray(_call(self.foreign, "decode", NDBuffer(chunk), self.spec)).reshape(shape)


class _ForeignArrayBytes(_Adapter, ArrayBytesCodec):
    def __init__(self, foreign: Any, spec: ArraySpec) -> None:
        self._setup(foreign, spec)

    def encode_raw(self, chunk: np.ndarray) -> BytesLike | None:
        encoded = _call(self.foreign, "encode", NDBuffer(chunk), self.spec)
        return None if encoded is None else as_bytes_like(encoded)  # None: store no chunk

    def decode_raw(self, data: BytesLike, dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
        array = _as_ndarray(_call(self.foreign, "decode", Buffer(data), self.spec))
        return array.reshape(shape).astype(dtype, copy=False)


class _ForeignBytesBytes(_Adapter, BytesBytesCodec):
    def __init__(self, foreign: Any, spec: ArraySpec) -> None:
        self._setup(foreign, spec)

    def encode_raw(self, data: BytesLike) -> BytesLike | None:
        encoded = _call(self.foreign, "encode", Buffer(data), self.spec)
        return None if encoded is None else as_bytes_like(encoded)  # None: store no chunk

    def decode_raw(self, data: BytesLike) -> BytesLike:
        return as_bytes_like(_call(self.foreign, "decode", Buffer(data), self.spec))


_ADAPTERS = (
    (abc_codec.ArrayArrayCodec, _ForeignArrayArray),
    (abc_codec.ArrayBytesCodec, _ForeignArrayBytes),
    (abc_codec.BytesBytesCodec, _ForeignBytesBytes),
)


def adapt_codecs(
    codecs: Sequence[Any],
    *,
    dtype: np.dtype,
    fill_value: Any,
    chunk_shape: tuple[int, ...],
    order: str | None = None,
) -> list[Any]:
    """``codecs`` with every third-party codec wrapped for the engine; unchanged when there are none.
    ``order``: the memory order the codecs' ``ArraySpec`` states (a v2 chunk's stored order)."""
    if not any(is_foreign(c) for c in codecs):
        return list(codecs)
    config = None if order is None else {"order": order}
    spec = ArraySpec(shape=chunk_shape, dtype=dtype, fill_value=fill_value, config=config)
    adapted = []
    for codec in codecs:
        if is_foreign(codec):
            adapter = next(a for kind, a in _ADAPTERS if isinstance(codec, kind))(codec, spec)
            adapted.append(adapter)
            spec = adapter.out_spec
        else:
            adapted.append(codec)
            spec = codec.resolve_metadata(spec) if isinstance(codec, ArrayArrayCodec) else spec
    return adapted
