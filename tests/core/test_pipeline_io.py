"""Array reads and writes honour the ``codec_pipeline.path`` setting (zarr-python's
``get_pipeline_class``): a registered pipeline class it names is built per array and its
``read``/``write`` get zarr-python's ``batch_info``; zarrnb's own pipeline is the default."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numcodecs
import numpy as np
import pytest

import zarrnb
import zarrnb.registry as registry
from zarrnb.abc import codec as abc_codec
from zarrnb.codecs import CodecPipeline
from zarrnb.codecs.v2_codec import V2Codec
from zarrnb.config import BadConfigError
from zarrnb.core import pipeline_io
from zarrnb.storage import MemoryStore, StorePath

CALLS: list[tuple[str, int]] = []


class CountingPipeline(CodecPipeline):
    """zarrnb's pipeline, counting the batches it is given."""

    async def read(self, batch_info: Any, out: Any, drop_axes: tuple[int, ...] = ()) -> None:
        batch = list(batch_info)
        CALLS.append(("read", len(batch)))
        await super().read(batch, out, drop_axes)

    async def write(self, batch_info: Any, value: Any, drop_axes: tuple[int, ...] = ()) -> None:
        batch = list(batch_info)
        CALLS.append(("write", len(batch)))
        await super().write(batch, value, drop_axes)


class DiscardingPipeline(CodecPipeline):
    """Writes nothing (as the mock in zarr-python's own config test)."""

    async def write(self, batch_info: Any, value: Any, drop_axes: tuple[int, ...] = ()) -> None:
        CALLS.append(("discard", len(list(batch_info))))


class ForeignPipeline(abc_codec.CodecPipeline):
    """A pipeline written against zarr-python's interface only: built by ``from_codecs``."""

    codecs_seen: list[Any] = []

    @classmethod
    def from_codecs(cls, codecs: Any) -> ForeignPipeline:
        cls.codecs_seen = list(codecs)
        return cls()

    async def read(self, batch_info: Any, out: Any, drop_axes: tuple[int, ...] = ()) -> None:
        for location, spec, _, out_selection, _ in batch_info:
            assert isinstance(location, StorePath) and spec.shape == (10, 7)
            out.as_numpy_array()[out_selection] = 7


for _cls in (CountingPipeline, DiscardingPipeline, ForeignPipeline):
    registry.register_pipeline(_cls)


@pytest.fixture(autouse=True)
def _clear_calls() -> Iterator[None]:
    CALLS.clear()
    yield
    CALLS.clear()


def _configured(cls: type) -> Any:
    return zarrnb.config.set({"codec_pipeline.path": registry.fully_qualified_name(cls)})


KINDS = {
    "v3": {"zarr_format": 3},
    "v3-sharded": {"zarr_format": 3, "shards": (20, 7)},
    "v3-zstd": {"zarr_format": 3, "compressors": [zarrnb.codecs.ZstdCodec(level=1)]},
    "v2": {"zarr_format": 2},
    "v2-F-filters": {
        "zarr_format": 2,
        "order": "F",
        "filters": [numcodecs.Delta(dtype="i4")],
        "compressors": numcodecs.Zlib(level=1),
    },
}


def _write_and_read(store: MemoryStore, kind: dict[str, Any], **extra: Any) -> np.ndarray:
    data = np.arange(700, dtype="i4").reshape(100, 7)
    array = zarrnb.create_array(
        store, shape=(100, 7), chunks=(10, 7), dtype="i4", fill_value=0, **kind, **extra
    )
    array[:] = data
    array[5:33, 2] = -1
    array[40:60] = 0  # whole chunks of the fill value: deleted
    expected = data.copy()
    expected[5:33, 2] = -1
    expected[40:60] = 0
    assert (array.oindex[[1, 50, 99], [0, 6]] == expected[np.ix_([1, 50, 99], [0, 6])]).all()
    assert array[3, 4] == expected[3, 4]
    return array[:]  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind", KINDS.values(), ids=list(KINDS))
def test_a_configured_pipeline_stores_what_the_engine_stores(kind: dict[str, Any]) -> None:
    own, configured = MemoryStore(), MemoryStore()
    expected = _write_and_read(own, kind)
    assert CALLS == []
    with _configured(CountingPipeline):
        got = _write_and_read(configured, kind)
    assert (got == expected).all()
    assert {kind for kind, _ in CALLS} == {"read", "write"}
    stored = {key: value.to_bytes() for key, value in configured._store_dict.items()}
    assert stored == {key: value.to_bytes() for key, value in own._store_dict.items()}
    rows = kind.get("shards", (10,))[0]
    emptied = [f"c/{i}/0" if kind["zarr_format"] == 3 else f"{i}.0" for i in range(40 // rows, 60 // rows)]
    assert emptied and not set(emptied) & set(stored)  # chunks of only the fill value are deleted


def test_write_empty_chunks_keeps_chunks_of_the_fill_value() -> None:
    store = MemoryStore()
    with _configured(CountingPipeline):
        config = {"write_empty_chunks": True}
        array = zarrnb.create_array(store, shape=(20,), chunks=(10,), dtype="f8", config=config)
        array[:] = 0.0
    assert sorted(store._store_dict) == ["c/0", "c/1", "zarr.json"]


def test_the_configured_class_decides_what_is_written() -> None:
    store = MemoryStore()
    array = zarrnb.create_array(store, shape=(100,), chunks=(10,), dtype="i4")
    with _configured(DiscardingPipeline):
        array[:] = np.arange(100)
    assert CALLS == [("discard", 10)] and list(store._store_dict) == ["zarr.json"]
    assert (array[:] == 0).all()  # the setting is read at each access: back to zarrnb's own


@pytest.mark.parametrize("zarr_format", [2, 3])
def test_another_pipeline_class_is_built_from_the_codecs_as_zarr_python_does(zarr_format: int) -> None:
    store = MemoryStore()
    array = zarrnb.create_array(store, shape=(20, 7), chunks=(10, 7), dtype="i4", zarr_format=zarr_format)
    with _configured(ForeignPipeline):
        assert (array[:] == 7).all()
    seen = ForeignPipeline.codecs_seen
    if zarr_format == 3:
        assert tuple(seen) == array.metadata.codecs
    else:
        assert len(seen) == 1 and isinstance(seen[0], V2Codec)


def test_an_unregistered_name_is_a_bad_config_error_naming_it() -> None:
    array = zarrnb.create_array(MemoryStore(), shape=(4,), dtype="i4")
    with zarrnb.config.set({"codec_pipeline.path": "nowhere.Pipeline"}):
        with pytest.raises(BadConfigError, match=r"nowhere\.Pipeline"):
            registry.get_pipeline_class()
        with pytest.raises(BadConfigError, match=r"nowhere\.Pipeline"):
            array[:]
        # before the registry is loaded, only zarrnb's own pipeline can be named
        with pytest.raises(BadConfigError, match=r"zarrnb\.registry"):
            pipeline_io._before_registry()
    assert pipeline_io._before_registry() is None and not pipeline_io.pipeline_configured()
