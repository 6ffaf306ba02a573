"""The crc32c codec appends the checksum zarr-python appends, and refuses data that does not match it."""

from __future__ import annotations

import numpy as np
import pytest
import zarr

from zarrnb.codecs import Crc32cCodec
from zarrnb.errors import ChunkDecodeError


def test_checksum_bytes_equal_those_zarr_python_writes() -> None:
    store: dict = {}
    array = zarr.create_array(store, shape=(10,), dtype="uint16", compressors=[zarr.codecs.Crc32cCodec()])
    array[:] = np.arange(10, dtype="uint16") * 7
    stored = store["c/0"].to_bytes()
    assert bytes(Crc32cCodec().encode_raw((np.arange(10, dtype="<u2") * 7).view("u1"))) == stored
    assert bytes(Crc32cCodec().decode_raw(stored)) == stored[:-4]


def test_mismatch_and_short_data_raise() -> None:
    encoded = bytearray(Crc32cCodec().encode_raw(b"zarr chunk"))
    encoded[0] ^= 1
    with pytest.raises(ValueError, match="checksum mismatch"):
        Crc32cCodec().decode_raw(bytes(encoded))
    with pytest.raises(ValueError, match="too few"):
        Crc32cCodec().decode_raw(b"abc")
    assert issubclass(ChunkDecodeError, ValueError)
