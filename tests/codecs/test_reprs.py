"""Codec reprs and JSON match zarr-python's (BloscCodec: see ``test_blosc.py``)."""

from __future__ import annotations

import json

import numpy as np
import pytest
import zarr.codecs as zc

import zarrnb.codecs as nc

PAIRS = [
    (nc.BytesCodec(), zc.BytesCodec()),
    (nc.BytesCodec(endian="big"), zc.BytesCodec(endian="big")),
    (nc.ZstdCodec(), zc.ZstdCodec()),
    (nc.ZstdCodec(level=-3, checksum=True), zc.ZstdCodec(level=-3, checksum=True)),
    (nc.GzipCodec(), zc.GzipCodec()),
    (nc.GzipCodec(level=9), zc.GzipCodec(level=9)),
    (nc.Crc32cCodec(), zc.Crc32cCodec()),
    (nc.TransposeCodec(order=(2, 0, 1)), zc.TransposeCodec(order=(2, 0, 1))),
    (nc.VLenUTF8Codec(), zc.VLenUTF8Codec()),
    (nc.VLenBytesCodec(), zc.VLenBytesCodec()),
    (nc.ShardingCodec(chunk_shape=(2, 2)), zc.ShardingCodec(chunk_shape=(2, 2))),
    (
        nc.ShardingCodec(chunk_shape=(4,), codecs=[nc.BytesCodec(), nc.GzipCodec()], index_location="start"),
        zc.ShardingCodec(chunk_shape=(4,), codecs=[zc.BytesCodec(), zc.GzipCodec()], index_location="start"),
    ),
]


@pytest.mark.parametrize(("ours", "theirs"), PAIRS, ids=lambda c: type(c).__name__)
def test_repr_and_json_match_zarr_python(ours: nc.Codec, theirs: object) -> None:
    as_json = json.loads(json.dumps(theirs.to_dict()))
    assert repr(ours) == repr(theirs)
    assert ours.to_dict() == as_json
    assert type(ours).from_dict(as_json) == ours


def test_bytes_codec_has_no_endian_for_single_byte_types() -> None:
    none = nc.BytesCodec(endian=None)
    assert (repr(none), none.to_dict()) == (
        repr(zc.BytesCodec(endian=None)),
        zc.BytesCodec(endian=None).to_dict(),
    )
    for dtype in ["bool", "int8", "uint8", "S4", "V3"]:
        assert nc.BytesCodec().evolve(np.dtype(dtype)).to_dict() == {"name": "bytes"}
    assert nc.BytesCodec().evolve(np.dtype("U2")).to_dict() == {
        "name": "bytes",
        "configuration": {"endian": "little"},
    }


@pytest.mark.parametrize(
    ("cls", "config", "field"),
    [
        (nc.ZstdCodec, {"level": "high"}, "level"),
        (nc.ZstdCodec, {"checksum": 1}, "checksum"),
        (nc.GzipCodec, {"level": 10}, "level"),
        (nc.BloscCodec, {"cname": "nope"}, "nope"),
        (nc.BloscCodec, {"clevel": 11}, "clevel"),
        (nc.BloscCodec, {"shuffle": "sideways"}, "sideways"),
        (nc.BytesCodec, {"endian": "middle"}, "middle"),
        (nc.TransposeCodec, {"order": [0, 0]}, "permutation"),
        (nc.ShardingCodec, {"chunk_shape": [0]}, "chunk_shape"),
        (nc.ZstdCodec, {"level": 1, "extra": 2}, "extra"),
    ],
)
def test_invalid_configuration_names_codec_and_field(cls: type, config: dict, field: str) -> None:
    with pytest.raises(ValueError, match=field) as info:
        cls.from_dict({"name": cls.codec_name, "configuration": config})
    assert cls.codec_name in str(info.value)
