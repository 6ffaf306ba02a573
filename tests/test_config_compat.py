"""zarr-python's config behaviours zarrnb honours: removed keys refused, the buffer classes' older
``zarr.core`` paths, the default pipeline's name."""

from __future__ import annotations

import json

import pytest
import zarr.core.config as zp_config

import zarrnb
from zarrnb.config import DEPRECATIONS, config
from zarrnb.core.buffer import Buffer, NDBuffer
from zarrnb.registry import get_buffer_class, get_ndbuffer_class, get_pipeline_class


def test_removed_keys_are_zarr_pythons() -> None:
    assert DEPRECATIONS == zp_config.deprecations


@pytest.mark.parametrize("key", sorted(DEPRECATIONS))
def test_a_removed_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="removed"), config.set({key: "foo"}):
        pass
    with pytest.raises(ValueError, match="removed"):
        zarrnb.config.set({key: "foo"})
    with pytest.raises(KeyError, match="unknown zarrnb setting"):
        zarrnb.config.set({"array.no_such_key": 1})


def test_buffer_classes_under_their_older_paths() -> None:
    with config.set({"buffer": "zarr.core.buffer.cpu.Buffer", "ndbuffer": "zarr.core.buffer.cpu.NDBuffer"}):
        assert get_buffer_class() is Buffer
        assert get_ndbuffer_class() is NDBuffer


def test_the_default_pipeline_is_served_by_zarrnbs() -> None:
    from zarrnb.codecs.pipeline import BatchedCodecPipeline, CodecPipeline

    assert config.get("codec_pipeline.path") == "zarr.core.codec_pipeline.BatchedCodecPipeline"
    assert get_pipeline_class() is BatchedCodecPipeline is CodecPipeline


def test_unknown_codecs_are_key_errors_too() -> None:
    from zarrnb.errors import MetadataValidationError, UnknownCodecError
    from zarrnb.registry import get_codec_class

    with pytest.raises(KeyError) as caught:
        get_codec_class("no_such_codec_anywhere")
    assert isinstance(caught.value, UnknownCodecError | MetadataValidationError)
    assert str(caught.value).startswith("unknown codec 'no_such_codec_anywhere'")  # not KeyError's quotes


def test_a_member_with_an_unknown_codec_is_unreadable_not_absent() -> None:
    from zarrnb.errors import UnknownCodecError
    from zarrnb.storage import MemoryStore

    store = MemoryStore()
    group = zarrnb.create_group(store)
    group.create_array("a", shape=(2,), dtype="i1")
    stored = store._store_dict["a/zarr.json"]
    document = json.loads(stored.to_bytes())
    document["codecs"].append({"name": "no_such_codec_anywhere"})
    store._store_dict["a/zarr.json"] = stored.from_bytes(json.dumps(document).encode())
    with pytest.raises(UnknownCodecError, match="no_such_codec_anywhere") as caught:
        zarrnb.open_group(store, mode="r")["a"]
    assert not isinstance(caught.value, KeyError)  # so ``"a" in group`` does not say it is missing


def test_two_plugins_for_one_name_warn_until_one_is_chosen() -> None:
    from zarrnb.codecs.bytes import BytesCodec
    from zarrnb.errors import ZarrUserWarning
    from zarrnb.registry import fully_qualified_name, get_codec_class, register_codec

    class First(BytesCodec):
        pass

    class Second(BytesCodec):
        pass

    register_codec("zarrnb_test_two_plugins", First)
    assert get_codec_class("zarrnb_test_two_plugins") is First
    register_codec("zarrnb_test_two_plugins", Second)
    with pytest.warns(ZarrUserWarning, match="not configured in config"):
        get_codec_class("zarrnb_test_two_plugins")
    with config.set({"codecs.zarrnb_test_two_plugins": fully_qualified_name(First)}):
        assert get_codec_class("zarrnb_test_two_plugins") is First
