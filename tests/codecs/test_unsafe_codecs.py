"""Codecs that can run code from stored bytes (numcodecs ``pickle``) are refused unless the user opts in."""

from __future__ import annotations

import json
import os
import pickle

import numcodecs
import pytest

import zarrnb
import zarrnb.config
from zarrnb.codecs.numcodecs import _BytesBytes, _make
from zarrnb.core.buffer import Buffer
from zarrnb.errors import ChunkDecodeError, MetadataValidationError
from zarrnb.metadata import build_array_metadata, parse_array_metadata
from zarrnb.storage import MemoryStore


class _Payload:
    """Unpickling this creates ``marker``: proof that code from the data ran."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (self.marker,))


def _zarray(dtype: str, **fields) -> bytes:
    document = {
        "zarr_format": 2, "shape": [4], "chunks": [4], "dtype": dtype, "fill_value": None,
        "order": "C", "filters": None, "compressor": None, **fields,
    }  # fmt: skip
    return json.dumps(document).encode()


@pytest.mark.parametrize("dtype", ["<i4", "<f8", "|u1", "|b1", "|O", "<M8[s]"])
@pytest.mark.parametrize("field", ["filters", "compressor"])
def test_pickle_in_a_zarray_is_refused_for_every_dtype(dtype: str, field: str) -> None:
    value = [{"id": "pickle", "protocol": 5}] if field == "filters" else {"id": "pickle", "protocol": 5}
    with pytest.raises(
        MetadataValidationError, match=rf"'pickle'.*{field}.*'a/b/.zarray'.*security.allow_unsafe_codecs"
    ):
        parse_array_metadata({".zarray": _zarray(dtype, **{field: value})}, path="a/b")


def test_a_pickle_payload_never_runs_when_reading(tmp_path) -> None:
    marker = tmp_path / "ran"
    store = MemoryStore()
    zarrnb.api.sync.sync(store.set(".zarray", Buffer.from_bytes(_zarray("<i4", filters=[{"id": "pickle"}]))))
    zarrnb.api.sync.sync(store.set("0", Buffer.from_bytes(pickle.dumps(_Payload(str(marker))))))
    with pytest.raises(MetadataValidationError, match="pickle"):
        zarrnb.open_array(store, mode="r")[:]
    assert not marker.exists()


def test_opting_in_lets_metadata_through_and_numcodecs_still_guards_decoding(tmp_path) -> None:
    marker = tmp_path / "ran"
    documents = {".zarray": _zarray("<i4", filters=[{"id": "pickle"}])}
    with zarrnb.config.set({"security.allow_unsafe_codecs": True}):
        metadata = parse_array_metadata(documents, path="")
        assert metadata.filters[0].codec_id == "pickle"
        if not getattr(numcodecs.pickles, "ALLOW_UNSAFE_PICKLE_DECODE", False):
            # numcodecs >= 0.15.2 / 0.16.6 / 0.17.1 refuses too, until its own switch is set
            with pytest.raises(ChunkDecodeError, match="'0'"):
                metadata.codec_pipeline.decode_chunk(pickle.dumps(_Payload(str(marker))), (4,), key="0")
            assert not marker.exists()


def test_numcodecs_instances_are_refused_when_building_metadata() -> None:
    with pytest.raises(MetadataValidationError, match=r"'pickle'.*filter"):
        build_array_metadata(shape=(4,), dtype="i4", zarr_format=2, filters=[numcodecs.Pickle()])


def test_a_v3_numcodecs_pickle_wrapper_is_refused() -> None:
    """``numcodecs.pickle`` is no registered v3 codec; a wrapper for it would still be refused."""
    pickle_v3 = _make("Pickle", "pickle", _BytesBytes)
    with pytest.raises(MetadataValidationError, match=r"'pickle'.*numcodecs\.pickle"):
        pickle_v3()
    with zarrnb.config.set({"security.allow_unsafe_codecs": True}):
        assert pickle_v3().codec_config == {}
    document = {
        "zarr_format": 3, "node_type": "array", "shape": [4], "data_type": "int32",
        "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4]}},
        "chunk_key_encoding": {"name": "default"}, "fill_value": 0,
        "codecs": [{"name": "bytes"}, {"name": "numcodecs.pickle"}],
    }  # fmt: skip
    with pytest.raises(MetadataValidationError, match=r"numcodecs\.pickle"):
        parse_array_metadata({"zarr.json": json.dumps(document).encode()}, path="x")


def test_the_switch_is_off_by_default() -> None:
    assert zarrnb.config.get("security.allow_unsafe_codecs") is False
