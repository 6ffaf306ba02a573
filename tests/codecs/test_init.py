"""zarrnb.codecs exports zarr-python's codec names, so ``from zarr.codecs import X`` ports by renaming."""

from __future__ import annotations

import zarr.codecs

import zarrnb.codecs


def test_every_zarr_python_codec_name_is_exported() -> None:
    missing = [name for name in zarr.codecs.__all__ if not hasattr(zarrnb.codecs, name)]
    assert missing == []


def test_all_lists_only_real_names() -> None:
    assert all(hasattr(zarrnb.codecs, name) for name in zarrnb.codecs.__all__)
