"""A subclass of one of zarrnb's codecs that overrides zarr-python's codec methods is called through them."""

from __future__ import annotations

from typing import Any

import numpy as np

import zarrnb
from zarrnb.codecs import GzipCodec
from zarrnb.codecs.foreign import is_foreign
from zarrnb.storage import MemoryStore


class CountingGzip(GzipCodec):
    """Counts its encodes and decodes, then does gzip's work."""

    encoded = 0
    decoded = 0

    async def _encode_single(self, chunk_bytes: Any, chunk_spec: Any) -> Any:
        type(self).encoded += 1
        return await super()._encode_single(chunk_bytes, chunk_spec)

    def _decode_sync(self, chunk_bytes: Any, chunk_spec: Any) -> Any:
        type(self).decoded += 1
        return super()._decode_sync(chunk_bytes, chunk_spec)


class StoresNothing(GzipCodec):
    """Encodes every chunk to nothing: zarr-python then stores no chunk."""

    async def _encode_single(self, chunk_bytes: Any, chunk_spec: Any) -> Any:
        return None


def test_overridden_methods_are_called_and_data_round_trips() -> None:
    CountingGzip.encoded = CountingGzip.decoded = 0
    array = zarrnb.create_array(
        MemoryStore(), shape=(40,), chunks=(10,), dtype="i4", compressors=[CountingGzip()]
    )
    array[:] = np.arange(40)
    assert CountingGzip.encoded >= 4
    np.testing.assert_array_equal(array[:], np.arange(40))
    assert CountingGzip.decoded >= 4


def test_encoding_to_none_stores_no_chunk() -> None:
    store = MemoryStore()
    array = zarrnb.create_array(store, shape=(20,), chunks=(10,), dtype="i4", compressors=[StoresNothing()])
    array[:] = np.arange(1, 21)
    assert sorted(store._store_dict) == ["zarr.json"]
    np.testing.assert_array_equal(array[:], np.zeros(20))


def test_zarrnb_codecs_keep_their_fast_path() -> None:
    assert not is_foreign(GzipCodec())
    assert is_foreign(CountingGzip())
