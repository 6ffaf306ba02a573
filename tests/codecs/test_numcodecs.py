"""numcodecs codecs in v3 arrays: zarr-python's names, reprs and JSON; dtype- and shape-changing filters."""

from __future__ import annotations

import pickle

import numcodecs as upstream
import numpy as np
import pytest
import zarr.codecs.numcodecs as zn

import zarrnb.codecs.numcodecs as nn
from zarrnb.codecs import CodecPipeline, codec_from_json
from zarrnb.errors import MetadataValidationError


def test_names_mirror_zarr_python() -> None:
    theirs = {name for name in dir(zn) if isinstance(getattr(zn, name), type) and name[0].isupper()}
    missing = sorted(theirs - set(nn.NUMCODECS_V3) - {"PCodec", "ZFPY"})  # need packages zarrnb does not ship
    assert missing == []


@pytest.mark.filterwarnings("ignore:Numcodecs codecs")
@pytest.mark.parametrize("name", ["Delta", "LZ4", "Shuffle", "FixedScaleOffset"])
def test_repr_json_equality_and_pickle(name: str) -> None:
    config = {"Delta": {"dtype": "<i4"}, "FixedScaleOffset": {"offset": 1, "scale": 2, "dtype": "<f8"}}.get(
        name, {}
    )
    ours, theirs = getattr(nn, name)(**config), getattr(zn, name)(**config)
    assert repr(ours) == repr(theirs) and ours.to_dict() == theirs.to_dict()
    assert codec_from_json(ours.to_dict()) == ours and pickle.loads(pickle.dumps(ours)) == ours
    assert ours != nn.Zlib() and hash(ours) == hash(getattr(nn, name)(**config))


def test_filters_may_change_dtype_and_shape() -> None:
    scale = nn.FixedScaleOffset(offset=0, scale=100, dtype="<f8", astype="<u2")
    astype = CodecPipeline(
        [scale, codec_from_json("bytes")], dtype=np.dtype("f8"), fill_value=0, chunk_shape=(3, 4)
    )
    chunk = np.arange(12).reshape(3, 4) / 100
    encoded = astype.encode_chunk(chunk)
    assert len(encoded) == 12 * 2  # stored as uint16
    np.testing.assert_allclose(astype.decode_chunk(encoded, (3, 4), key="c/0/0"), chunk)
    packed = CodecPipeline(
        [nn.PackBits(), codec_from_json("bytes")], dtype=np.dtype(bool), fill_value=False, chunk_shape=(3, 5)
    )
    bits = np.arange(15).reshape(3, 5) % 3 == 0
    encoded = packed.encode_chunk(bits)
    assert len(encoded) == 1 + 2
    np.testing.assert_array_equal(packed.decode_chunk(encoded, (3, 5), key="c/0/0"), bits)


def test_shuffle_takes_its_element_size_from_the_dtype() -> None:
    assert nn.Shuffle().evolve(np.dtype("<f8")).to_dict() == {
        "name": "numcodecs.shuffle",
        "configuration": {"elementsize": 8},
    }
    assert nn.Shuffle(elementsize=2).evolve(np.dtype("<f8")).codec_config == {"elementsize": 2}


def test_numcodecs_instances_are_wrapped() -> None:
    assert nn.numcodecs_v3_codec(upstream.LZ4(acceleration=2)) == nn.LZ4(acceleration=2)
    assert nn.numcodecs_v3_codec(upstream.JSON()) is None


def test_invalid_configuration_is_named() -> None:
    with pytest.raises(MetadataValidationError, match=r"numcodecs\.delta"):
        codec_from_json({"name": "numcodecs.delta", "configuration": {"dtype": "<i4", "bogus": 1}})


@pytest.mark.parametrize("dtype", ["bool", "int8", "float32"])
def test_packbits_validate_as_zarr_python(dtype: str) -> None:
    """``PackBits.validate(dtype=..., **_kwargs)`` refuses a non-bool data type with zarr-python's error."""
    import warnings

    import zarr

    zdtype = zarr.dtype.parse_dtype(dtype, zarr_format=3)

    def outcome(codec_class: type) -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            codec = codec_class()
        try:
            return codec.validate(dtype=zdtype, shape=(8,), chunk_grid=None)
        except ValueError as error:
            return str(error)

    assert outcome(nn.PackBits) == outcome(zn.PackBits)
    assert (outcome(nn.PackBits) is None) == (dtype == "bool")
    if dtype != "bool":  # zarrnb's own data types too
        with pytest.raises(ValueError, match="Packbits filter requires bool dtype"):
            nn.PackBits().validate(dtype=np.dtype(dtype))


_BASES = ("_NumcodecsBytesBytesCodec", "_NumcodecsArrayArrayCodec", "_NumcodecsArrayBytesCodec")


@pytest.mark.parametrize("name", [n for n in zn.__all__ if not n.startswith("_")])
def test_bases_to_dict_and_encoded_size_as_zarr_python(name: str) -> None:
    """Each codec class sits under the same zarr-python base, writes the same ``to_dict`` and knows its
    encoded size in advance exactly where zarr-python's does (checksums: 4 bytes more)."""
    import warnings

    ours_class, theirs_class = getattr(nn, name), getattr(zn, name)
    assert issubclass(ours_class, nn._NumcodecsCodec)
    assert [issubclass(ours_class, getattr(nn, b)) for b in _BASES] == [
        issubclass(theirs_class, getattr(zn, b)) for b in _BASES
    ]
    config = {"dtype": "<i4"} if name in ("Delta", "FixedScaleOffset", "Quantize", "AsType") else {}
    if name == "AsType":
        config = {"encode_dtype": "<i2", "decode_dtype": "<i4"}
    elif name in ("FixedScaleOffset", "Quantize"):
        config = (
            {**config, "scale": 1, "offset": 0} if name == "FixedScaleOffset" else {**config, "digits": 2}
        )
    elif name == "BitRound":
        config = {"keepbits": 3}

    def made(codec_class: type) -> object:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return codec_class(**config)

    def size(codec: object) -> object:
        try:
            return codec.compute_encoded_size(100, None)  # type: ignore[attr-defined]
        except NotImplementedError:
            return NotImplementedError

    try:
        ours = made(ours_class)
    except nn.MissingCodecPackageError:  # zfpy/pcodec not installed: zarrnb refuses at once, naming it
        pytest.skip(f"numcodecs has no {name} codec here")
    theirs = made(theirs_class)
    assert ours.to_dict() == theirs.to_dict()  # type: ignore[attr-defined]
    assert size(ours) == size(theirs)
