"""Class names in registries and settings: zarr-python's paths under the switch, and ``reload_config``."""

from __future__ import annotations

import pytest

import zarrnb.config
from tests.compat.test_switch import run_python
from zarrnb.codecs import BloscCodec, GzipCodec
from zarrnb.codecs.registry import fully_qualified_name, get_codec_class, register_codec
from zarrnb.registry import get_buffer_class


def test_zarrnb_names_without_the_switch() -> None:
    assert fully_qualified_name(BloscCodec) == "zarrnb.codecs.blosc.BloscCodec"


def test_switch_names_classes_by_the_zarr_path_serving_them() -> None:
    out = run_python("""
        import zarrnb.compat
        zarrnb.compat.install()
        import zarr
        from zarr.registry import fully_qualified_name, get_codec_class
        print(fully_qualified_name(get_codec_class("blosc")) == zarr.config.defaults[0]["codecs"]["blosc"])
        zarrnb.compat.uninstall()
        print(fully_qualified_name(get_codec_class("blosc")))
    """)
    assert out.split() == ["True", "zarrnb.codecs.blosc.BloscCodec"]


class OtherGzip(GzipCodec):
    """A second ``gzip`` implementation, chosen through an environment variable."""


def test_reload_config_rereads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    register_codec("gzip", OtherGzip)
    try:
        monkeypatch.setenv("ZARR_CODECS__GZIP", fully_qualified_name(OtherGzip))
        assert get_codec_class("gzip", reload_config=True) is OtherGzip
        monkeypatch.setenv("ZARR_BUFFER", "nowhere.Buffer")
        with pytest.raises(Exception, match=r"nowhere\.Buffer"):
            get_buffer_class(reload_config=True)
    finally:
        monkeypatch.delenv("ZARR_CODECS__GZIP")
        monkeypatch.delenv("ZARR_BUFFER")
        zarrnb.config.config.refresh()
    assert get_codec_class("gzip") is not OtherGzip
