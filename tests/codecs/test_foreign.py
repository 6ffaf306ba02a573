"""Third-party codecs, written against zarr-python's codec interface, inside zarrnb arrays."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any, Self

import numpy as np
import pytest

import zarrnb
import zarrnb.api.asynchronous as zasync
from zarrnb.abc.codec import ArrayArrayCodec, ArrayBytesCodec, BytesBytesCodec
from zarrnb.buffer import Buffer, NDBuffer
from zarrnb.codecs.array_spec import ArraySpec
from zarrnb.dtype import Int32
from zarrnb.errors import UnknownCodecError
from zarrnb.registry import get_codec_class, register_codec
from zarrnb.storage import MemoryStore


@dataclasses.dataclass(frozen=True)
class XorCodec(BytesBytesCodec):
    """Bytes XOR a key, then the length as 4 bytes: async-only, as many zarr-python codecs are."""

    key: int = 7
    is_fixed_size = True
    calls: list[str] = dataclasses.field(default_factory=list, compare=False, repr=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**data.get("configuration", {}))

    def to_dict(self) -> dict[str, Any]:
        return {"name": "test.xor", "configuration": {"key": self.key}}

    async def _encode_single(self, chunk_data: Buffer, chunk_spec: ArraySpec) -> Buffer:
        self.calls.append("encode")
        raw = chunk_data.as_numpy_array() ^ np.uint8(self.key)
        return chunk_spec.prototype.buffer.from_bytes(raw.tobytes() + len(raw).to_bytes(4, "little"))

    async def _decode_single(self, chunk_data: Buffer, chunk_spec: ArraySpec) -> Buffer:
        self.calls.append("decode")
        raw = chunk_data.as_numpy_array()
        assert int.from_bytes(raw[-4:].tobytes(), "little") == len(raw) - 4
        return chunk_spec.prototype.buffer.from_bytes((raw[:-4] ^ np.uint8(self.key)).tobytes())

    def compute_encoded_size(self, input_byte_length: int, chunk_spec: ArraySpec) -> int:
        return input_byte_length + 4


@dataclasses.dataclass(frozen=True)
class WidenCodec(ArrayArrayCodec):
    """int16 values stored as int32 plus an offset: a filter that changes the dtype (sync interface)."""

    offset: int = 1000
    is_fixed_size = True

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**data.get("configuration", {}))

    def to_dict(self) -> dict[str, Any]:
        return {"name": "test.widen", "configuration": {"offset": self.offset}}

    def resolve_metadata(self, chunk_spec: ArraySpec) -> ArraySpec:
        return dataclasses.replace(chunk_spec, dtype=Int32())

    def _encode_sync(self, chunk_data: NDBuffer, chunk_spec: ArraySpec) -> NDBuffer:
        assert chunk_spec.dtype.to_native_dtype() == np.dtype("i2")
        return NDBuffer(chunk_data.as_numpy_array().astype("i4") + self.offset)

    def _decode_sync(self, chunk_data: NDBuffer, chunk_spec: ArraySpec) -> NDBuffer:
        return NDBuffer(
            (chunk_data.as_numpy_array() - self.offset).astype(chunk_spec.dtype.to_native_dtype())
        )


@dataclasses.dataclass(frozen=True)
class TextSerializer(ArrayBytesCodec):
    """Numbers as comma-separated text: a serializer zarrnb's engine knows nothing about."""

    is_fixed_size = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls()

    def to_dict(self) -> dict[str, Any]:
        return {"name": "test.text"}

    async def _encode_single(self, chunk_data: NDBuffer, chunk_spec: ArraySpec) -> Buffer:
        text = ",".join(str(v) for v in chunk_data.as_numpy_array().ravel(order="C").tolist())
        return Buffer.from_bytes(text.encode())

    async def _decode_single(self, chunk_data: Buffer, chunk_spec: ArraySpec) -> NDBuffer:
        values = [float(v) for v in chunk_data.to_bytes().decode().split(",")]
        dtype = chunk_spec.dtype.to_native_dtype()
        return NDBuffer(np.array(values, dtype=dtype).reshape(chunk_spec.shape))


register_codec("test.xor", XorCodec)
register_codec("test.widen", WidenCodec)
register_codec("test.text", TextSerializer)


def test_async_only_compressor_round_trips_and_reopens_from_metadata() -> None:
    store = MemoryStore()
    data = np.arange(30, dtype="f8").reshape(5, 6)
    codec = XorCodec(key=5)
    array = zarrnb.create_array(store, shape=data.shape, chunks=(2, 3), dtype="f8", compressors=[codec])
    array[...] = data
    assert "encode" in codec.calls
    document = json.loads(store._store_dict["zarr.json"].to_bytes())  # type: ignore[attr-defined]
    assert document["codecs"][-1] == {"name": "test.xor", "configuration": {"key": 5}}
    raw = store._store_dict["c/0/0"].to_bytes()  # type: ignore[attr-defined]
    assert len(raw) == 2 * 3 * 8 + 4 and raw[:8] != data[0, 0].tobytes()
    reopened = zarrnb.open_array(store, mode="r")
    np.testing.assert_array_equal(reopened[...], data)
    assert reopened.compressors == (XorCodec(key=5),)


def test_filter_that_changes_dtype_and_custom_serializer() -> None:
    store = MemoryStore()
    data = np.arange(-20, 20, dtype="i2").reshape(8, 5)
    array = zarrnb.create_array(
        store, shape=data.shape, chunks=(4, 5), dtype="i2", filters=[WidenCodec(offset=7)],
        serializer=TextSerializer(), compressors=None, fill_value=3,
    )  # fmt: skip
    array[:4] = data[:4]
    stored = store._store_dict["c/0/0"].to_bytes().decode()  # type: ignore[attr-defined]
    assert stored.split(",")[0] == str(-20 + 7)  # widened and offset before the text serializer ran
    np.testing.assert_array_equal(
        zarrnb.open_array(store)[...], np.concatenate([data[:4], np.full((4, 5), 3)])
    )


def test_foreign_codecs_work_from_the_async_api() -> None:
    async def main() -> np.ndarray:
        store = MemoryStore()
        array = await zasync.create_array(
            store, shape=(64,), chunks=(8,), dtype="f8", compressors=[XorCodec()]
        )
        await array.setitem(slice(None), data)
        return await array.getitem(slice(None))  # type: ignore[no-any-return]

    data = np.linspace(0, 1, 64)
    np.testing.assert_array_equal(asyncio.run(main()), data)


def test_codec_lookup_and_unknown_names() -> None:
    assert get_codec_class("test.xor") is XorCodec
    assert get_codec_class("bytes").__module__ == "zarrnb.codecs.bytes"
    with pytest.raises(UnknownCodecError, match=r"'no\.such\.codec'"):
        get_codec_class("no.such.codec")
    store = MemoryStore()
    zarrnb.create_array(store, shape=(2,), dtype="u1", compressors=[XorCodec()])
    document = json.loads(store._store_dict["zarr.json"].to_bytes())  # type: ignore[attr-defined]
    document["codecs"][-1]["name"] = "no.such.codec"
    store._store_dict["zarr.json"] = Buffer.from_bytes(json.dumps(document).encode())  # type: ignore[attr-defined]
    with pytest.raises(UnknownCodecError, match=r"no\.such\.codec"):
        zarrnb.open_array(store)


def test_builtin_codecs_speak_the_zarr_python_interface() -> None:
    spec = ArraySpec(shape=(10,), dtype=np.dtype("<u2"), fill_value=0)
    chunk = NDBuffer(np.arange(10, dtype="<u2"))
    serializer, compressor = zarrnb.codecs.BytesCodec(), zarrnb.codecs.ZstdCodec(level=1)
    stored = compressor._encode_sync(serializer._encode_sync(chunk, spec), spec)
    back = serializer._decode_sync(compressor._decode_sync(stored, spec), spec)
    np.testing.assert_array_equal(back.as_numpy_array(), np.arange(10))
    assert isinstance(compressor, BytesBytesCodec) and isinstance(serializer, ArrayBytesCodec)
