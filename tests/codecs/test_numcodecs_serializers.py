"""numcodecs' array-to-bytes codecs (PCodec, ZFPY) as v3 serializers, against zarr-python."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
import zarr
import zarr.codecs.numcodecs as zarr_numcodecs

import zarrnb
from zarrnb.codecs.numcodecs import ZFPY, PCodec

DATA = np.cumsum(np.random.default_rng(3).normal(size=(40, 30)), axis=0)


def test_zarr_python_pcodec_arrays_read_in_zarrnb(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = zarr.create_array(
            str(tmp_path), shape=DATA.shape, chunks=(16, 16), dtype="f8",
            serializer=zarr_numcodecs.PCodec(level=5), compressors=None,
        )  # fmt: skip
        theirs[...] = DATA
    ours = zarrnb.open_array(str(tmp_path), mode="r")
    assert ours.serializer == PCodec(level=5)
    np.testing.assert_array_equal(ours[...], DATA)


def test_zarrnb_pcodec_arrays_read_in_zarr_python(tmp_path: Path) -> None:
    ours = zarrnb.create_array(
        str(tmp_path),
        shape=DATA.shape,
        chunks=(16, 16),
        dtype="f8",
        serializer=PCodec(level=5),
        compressors=None,
    )
    ours[...] = DATA
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = zarr.open_array(str(tmp_path), mode="r")
        np.testing.assert_array_equal(theirs[...], DATA)
        assert theirs.serializer.to_dict() == ours.serializer.to_dict()


def test_missing_codec_package_is_named() -> None:
    import numcodecs.registry

    if "zfpy" in numcodecs.registry.codec_registry:
        assert ZFPY().codec_name == "numcodecs.zfpy"
        return
    with pytest.raises(ImportError, match="pip install zfpy"):
        ZFPY()
