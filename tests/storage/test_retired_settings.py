"""Setting the retired ``zarr.storage.default_compressor`` warns (as zarr-python) and changes nothing."""

from __future__ import annotations

import pytest

import zarrnb.storage
from zarrnb.errors import ZarrDeprecationWarning


def test_setting_default_compressor_warns_and_is_ignored() -> None:
    with pytest.warns(ZarrDeprecationWarning, match="default_compressor is deprecated"):
        zarrnb.storage.default_compressor = "zarr.codecs.zstd.ZstdCodec()"  # type: ignore[attr-defined]
    assert not hasattr(zarrnb.storage, "default_compressor")


def test_other_attributes_set_normally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zarrnb.storage, "MemoryStore", zarrnb.storage.MemoryStore)
    zarrnb.storage.extra_setting = 1  # type: ignore[attr-defined]
    assert zarrnb.storage.extra_setting == 1  # type: ignore[attr-defined]
    del zarrnb.storage.extra_setting  # type: ignore[attr-defined]
