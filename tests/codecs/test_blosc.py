"""BloscCodec behaves, prints and writes as zarr-python's: tunable typesize/shuffle, same bytes on disk."""

from __future__ import annotations

import json
import pickle

import numpy as np
import pytest
import zarr
import zarr.codecs as zc
from zarr.core.buffer.cpu import Buffer

import zarrnb
import zarrnb.codecs as nc

SETTINGS = [
    {},
    {"typesize": 2},
    {"shuffle": "noshuffle"},
    {"typesize": 4, "cname": "lz4", "clevel": 1, "shuffle": "shuffle", "blocksize": 256},
]


@pytest.mark.parametrize("kwargs", SETTINGS, ids=str)
def test_fresh_codec_matches_zarr_python(kwargs: dict) -> None:
    ours, theirs = nc.BloscCodec(**kwargs), zc.BloscCodec(**kwargs)
    # a set's order varies from run to run, so the repr is compared with a one-element set at most
    if len(theirs._tunable_attrs) < 2:
        assert repr(ours) == repr(theirs)
    assert ours._tunable_attrs == theirs._tunable_attrs
    assert (ours.typesize, ours.shuffle.value) == (theirs.typesize, theirs.shuffle.value)
    assert ours.to_dict() == theirs.to_dict()


def test_defaults_are_typesize_1_and_bitshuffle_marked_tunable() -> None:
    codec = nc.BloscCodec()
    assert (codec.typesize, codec.shuffle) == (1, nc.BloscShuffle.bitshuffle)
    assert codec._tunable_attrs == {"typesize", "shuffle"}
    assert repr(nc.BloscCodec(shuffle="shuffle")) == (
        "BloscCodec(_tunable_attrs={'typesize'}, typesize=1, cname=<BloscCname.zstd: 'zstd'>, clevel=5, "
        "shuffle=<BloscShuffle.shuffle: 'shuffle'>, blocksize=0)"
    )
    # what was tunable takes part in ==, as in zarr-python
    assert codec != nc.BloscCodec(typesize=1, shuffle="bitshuffle")
    assert codec == nc.BloscCodec()
    assert hash(codec) == hash(nc.BloscCodec())


@pytest.mark.parametrize("kwargs", SETTINGS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "uint16", "float32", "complex128", "S3"])
def test_evolve_replaces_only_the_tunable_settings_like_zarr_python(kwargs: dict, dtype: str) -> None:
    ours = nc.BloscCodec(**kwargs)
    spec = zarr.core.array_spec.ArraySpec(
        shape=(1,),
        dtype=zarr.core.dtype.parse_dtype(np.dtype(dtype), zarr_format=3),
        fill_value=0,
        config=zarr.core.array_spec.ArrayConfig(order="C", write_empty_chunks=True),
        prototype=zarr.core.buffer.default_buffer_prototype(),
    )
    theirs = zc.BloscCodec(**kwargs).evolve_from_array_spec(spec)
    evolved = ours.evolve(np.dtype(dtype))
    assert repr(evolved) == repr(theirs)
    assert evolved._tunable_attrs == set()
    assert evolved.evolve(np.dtype("u8")) is evolved


def test_variable_length_strings_get_typesize_1() -> None:
    evolved = nc.BloscCodec().evolve(np.dtypes.StringDType())
    assert (evolved.typesize, evolved.shuffle) == (1, nc.BloscShuffle.bitshuffle)


def test_pickle_keeps_what_is_tunable() -> None:
    for codec in [nc.BloscCodec(), nc.BloscCodec(typesize=2), nc.BloscCodec().evolve(np.dtype("f8"))]:
        back = pickle.loads(pickle.dumps(codec))
        assert back == codec
        assert back._tunable_attrs == codec._tunable_attrs
        assert back.encode_raw(b"abcd" * 8) == codec.encode_raw(b"abcd" * 8)


@pytest.mark.parametrize(
    ("field", "value", "error"), [("typesize", 0, ValueError), ("typesize", "4", TypeError)]
)
def test_bad_typesize_names_the_field(field: str, value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=field):
        nc.BloscCodec(**{field: value})


def _store_bytes(store: object) -> dict[str, bytes]:
    return {key: bytes(value.to_bytes()) for key, value in store._store_dict.items()}  # type: ignore[attr-defined]


@pytest.mark.filterwarnings("ignore::zarr.errors.UnstableSpecificationWarning")
@pytest.mark.parametrize("kwargs", SETTINGS, ids=str)
@pytest.mark.parametrize("dtype", ["uint8", "int32", "float64", "U2"])
@pytest.mark.parametrize("shards", [None, (8,)])
def test_stored_bytes_and_reprs_identical_to_zarr_python(kwargs: dict, dtype: str, shards: object) -> None:
    data = np.arange(16).astype(dtype)
    common = {"shape": (16,), "chunks": (4,), "shards": shards, "dtype": dtype, "fill_value": data[0]}
    theirs = zarr.create_array(zarr.storage.MemoryStore(), compressors=zc.BloscCodec(**kwargs), **common)
    ours = zarrnb.create_array(zarrnb.storage.MemoryStore(), compressors=nc.BloscCodec(**kwargs), **common)
    theirs[:] = data
    ours[:] = data
    assert _store_bytes(ours.store) == _store_bytes(theirs.store)
    assert repr(ours.compressors) == repr(theirs.compressors)
    assert repr(zarrnb.open_array(ours.store).compressors) == repr(zarr.open_array(theirs.store).compressors)
    # zarr-python reads what zarrnb wrote, and the JSON holds only the five blosc settings
    copied = {key: Buffer.from_bytes(raw) for key, raw in _store_bytes(ours.store).items()}
    np.testing.assert_array_equal(zarr.open_array(zarr.storage.MemoryStore(copied))[:], data)
    meta = json.loads(copied["zarr.json"].to_bytes())
    blosc = meta["codecs"][-1] if shards is None else meta["codecs"][0]["configuration"]["codecs"][-1]
    assert sorted(blosc["configuration"]) == ["blocksize", "clevel", "cname", "shuffle", "typesize"]
