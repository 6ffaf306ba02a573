"""``zarrnb.registry``: codecs, pipelines, buffers and chunk key encodings by call, entry point and config."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import zarrnb
import zarrnb.codecs.registry as codec_registry
import zarrnb.config
import zarrnb.registry as registry
from zarrnb.core.buffer import Buffer, NDBuffer
from zarrnb.errors import UnknownCodecError

PLUGIN = """
import dataclasses
from zarrnb.abc.codec import BytesBytesCodec


@dataclasses.dataclass(frozen=True)
class Reverse(BytesBytesCodec):
    is_fixed_size = True

    @classmethod
    def from_dict(cls, data):
        return cls()

    def to_dict(self):
        return {"name": "ep.reverse"}

    def _encode_sync(self, chunk, spec):
        return spec.prototype.buffer.from_bytes(chunk.to_bytes()[::-1])

    _decode_sync = _encode_sync


class Other(Reverse):
    pass
"""


@pytest.fixture
def plugin_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A distribution declaring ``zarr.codecs`` and ``zarr.codecs.<name>`` entry points, on sys.path."""
    (tmp_path / "zarrnb_ep_plugin.py").write_text(PLUGIN)
    info = tmp_path / "zarrnb_ep_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: zarrnb-ep-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        textwrap.dedent("""
        [zarr.codecs]
        ep.reverse = zarrnb_ep_plugin:Reverse
        [zarr.codecs.ep.reverse]
        other = zarrnb_ep_plugin:Other
        """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    codec_registry._collect_entry_points()
    yield tmp_path
    codec_registry._CODECS.pop("ep.reverse", None)
    sys.modules.pop("zarrnb_ep_plugin", None)


def test_entry_point_codec_is_found_and_used_in_arrays(plugin_on_path: Path) -> None:
    with zarrnb.config.set({"codecs.ep.reverse": "zarrnb_ep_plugin.Reverse"}):
        cls = registry.get_codec_class("ep.reverse")
        assert cls.__qualname__ == "Reverse"
        store = zarrnb.storage.MemoryStore()
        array = zarrnb.create_array(store, shape=(4,), dtype="u1", compressors=[cls()], fill_value=0)
        array[:] = np.arange(4, dtype="u1")
        assert store._store_dict["c/0"].to_bytes() == bytes([3, 2, 1, 0])  # type: ignore[attr-defined]
        np.testing.assert_array_equal(zarrnb.open_array(store)[:], np.arange(4))
    with zarrnb.config.set({"codecs.ep.reverse": "zarrnb_ep_plugin.Other"}):
        assert registry.get_codec_class("ep.reverse").__qualname__ == "Other"
    with (
        zarrnb.config.set({"codecs.ep.reverse": "nowhere.Missing"}),
        pytest.raises(UnknownCodecError, match="Missing"),
    ):
        registry.get_codec_class("ep.reverse")


def test_builtin_codecs_answer_zarr_python_default_config() -> None:
    # zarr-python's config names zarr.codecs.* classes; zarrnb's own classes serve those names
    assert zarrnb.config.get("codecs.bytes", None) in (None, "zarr.codecs.bytes.BytesCodec")
    assert registry.get_codec_class("bytes") is zarrnb.codecs.BytesCodec
    assert registry.get_codec_class("numcodecs.delta") is zarrnb.codecs.numcodecs.Delta


def test_pipeline_buffer_and_key_encoding_registries() -> None:
    class MyBuffer(Buffer):
        __slots__ = ()

    class MyNDBuffer(NDBuffer):
        __slots__ = ()

    registry.register_buffer(MyBuffer, qualname="tests.MyBuffer")
    registry.register_ndbuffer(MyNDBuffer, qualname="tests.MyNDBuffer")
    with zarrnb.config.set({"buffer": "tests.MyBuffer", "ndbuffer": "tests.MyNDBuffer"}):
        assert registry.get_buffer_class() is MyBuffer
        assert registry.get_ndbuffer_class() is MyNDBuffer
    assert registry.get_buffer_class() is Buffer
    assert registry.get_pipeline_class() is zarrnb.codecs.CodecPipeline
    with zarrnb.config.set({"buffer": "tests.Nothing"}), pytest.raises(ValueError, match=r"tests\.Nothing"):
        registry.get_buffer_class()
    assert registry.get_chunk_key_encoding_class("v2") is not None
    with pytest.raises(KeyError, match="'nope'"):
        registry.get_chunk_key_encoding_class("nope")
    assert registry.get_numcodec({"id": "zlib", "level": 1}).codec_id == "zlib"
