"""zarr-python's older ``create``/``open`` arguments: warned about, mapped, or refused as there."""

from __future__ import annotations

import numpy as np
import pytest

import zarrnb
from zarrnb.abc.codec import _check_codecjson_v2
from zarrnb.errors import ZarrRuntimeWarning, ZarrUserWarning


@pytest.mark.parametrize("name", ["synchronizer", "chunk_store", "cache_attrs", "meta_array", "object_codec"])
def test_unimplemented_arguments_warn_and_are_ignored(name: str) -> None:
    with pytest.warns(ZarrRuntimeWarning, match=f"{name} is not yet implemented"):
        made = zarrnb.create(shape=(3,), dtype="i2", **{name: 1})
    assert made.shape == (3,) and made.dtype == np.dtype("i2")


@pytest.mark.parametrize("write_empty_chunks", [True, False])
def test_write_empty_chunks_warns_and_becomes_the_runtime_config(write_empty_chunks: bool) -> None:
    with pytest.warns(ZarrRuntimeWarning, match="`write_empty_chunks` keyword argument is deprecated"):
        made = zarrnb.create(shape=(4,), chunks=(2,), fill_value=0, write_empty_chunks=write_empty_chunks)
    made[:] = 0
    assert made.nchunks_initialized == (2 if write_empty_chunks else 0)
    with pytest.warns(ZarrRuntimeWarning), pytest.warns(ZarrUserWarning, match="Both write_empty_chunks"):
        zarrnb.array(np.zeros(4), write_empty_chunks=True, config={"order": "C"})


def test_chunk_shape_is_chunks() -> None:
    assert zarrnb.create(shape=(10,), chunk_shape=(5,)).chunks == (5,)


def test_like_functions_keep_a_synchronous_arrays_fill_value_and_format() -> None:
    source = zarrnb.create_array({}, shape=(4,), dtype="u1", fill_value=9, zarr_format=2)
    for like in (zarrnb.empty_like(source), zarrnb.full_like(source)):
        assert like.metadata.zarr_format == 2 and like.fill_value == 9 and (like[:] == 9).all()


def test_open_creates_with_creates_defaults_and_refuses_array_arguments_for_a_group() -> None:
    store: dict[str, object] = {}
    made = zarrnb.open(store=store, mode="w", shape=(3, 3))
    assert isinstance(made, zarrnb.Array) and made.dtype == np.dtype("float64")
    zarrnb.group(store=store, overwrite=True)
    with pytest.raises(TypeError, match=r"open_group\(\) got an unexpected keyword argument 'shape'"):
        zarrnb.open(store=store, shape=(1,))


def test_check_codecjson_v2() -> None:
    assert _check_codecjson_v2({"id": "gzip"})
    assert not _check_codecjson_v2({"id": 10}) and not _check_codecjson_v2([10, 11])


def test_zarr_format_is_checked_before_anything_opens() -> None:
    from zarrnb.errors import MetadataValidationError

    with pytest.raises(MetadataValidationError, match=r"Expected 2, 3, or None\. Got '3\.0'"):
        zarrnb.open_group(zarr_format="3.0")  # type: ignore[arg-type]
    with pytest.raises(MetadataValidationError, match="Got 'True'"):
        zarrnb.open_array(shape=(1,), zarr_format=True)  # type: ignore[arg-type]


def test_save_takes_arrays_only() -> None:
    with pytest.raises(ValueError, match="at least one array"):
        zarrnb.save({})
    with pytest.raises(TypeError, match="'mode' is a str"):
        zarrnb.save({}, np.arange(3), mode="w")


def test_a_v3_codecs_list_is_taken_apart() -> None:
    from zarrnb.codecs import BloscCodec, BytesCodec, TransposeCodec

    made = zarrnb.create(
        shape=(4, 4), dtype="u2", codecs=[TransposeCodec(order=(1, 0)), BytesCodec(), BloscCodec()]
    )
    assert [c.codec_name for c in made.metadata.codec_pipeline.codecs] == ["transpose", "bytes", "blosc"]
    made[:] = np.arange(16).reshape(4, 4)
    assert (made[:] == np.arange(16).reshape(4, 4)).all()
    with pytest.raises(ValueError, match="not both"):
        zarrnb.create(shape=(4,), codecs=[BytesCodec()], compressors=[BloscCodec()])


# each call is refused by zarr-python's ``create`` with the same ValueError and wording
OTHER_FORMAT_ARGUMENTS = [
    (3, {"chunk_shape": (1,), "chunks": (2,)}),
    (3, {"dimension_separator": "/"}),
    (3, {"filters": []}),
    (3, {"compressor": None}),
    (3, {"compressor": "blosc"}),
    (2, {"dimension_names": ["x"]}),
    (2, {"chunk_key_encoding": {"name": "v2", "separator": "/"}}),
    (2, {"codecs": "bytes"}),
]


@pytest.mark.parametrize(("zarr_format", "kwargs"), OTHER_FORMAT_ARGUMENTS, ids=str)
def test_create_refuses_the_other_formats_arguments_as_zarr_python(zarr_format: int, kwargs: dict) -> None:
    import zarr

    with pytest.raises(ValueError) as theirs:
        zarr.create(store={}, shape=(10,), dtype="uint8", zarr_format=zarr_format, **kwargs)
    with pytest.raises(ValueError) as ours:
        zarrnb.create(store={}, shape=(10,), dtype="uint8", zarr_format=zarr_format, **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_create_keeps_the_runtime_orders_in_a_v2_array_as_zarr_python() -> None:
    import zarr

    for library in (zarr, zarrnb):
        assert library.ones((2, 2), zarr_format=2, config={"order": "F"}).metadata.order == "F"
        assert library.ones((2, 2), zarr_format=2, order="C", config={"order": "F"}).metadata.order == "C"
        # create_array keeps the given order (or the global one) in the metadata, not the runtime one
        made = library.create_array({}, shape=(2,), dtype="i4", zarr_format=2, config={"order": "F"})
        assert made.metadata.order == "C"
