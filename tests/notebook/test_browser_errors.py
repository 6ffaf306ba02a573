"""Clear errors at the notebook entry points: preview of a group, browse of an array, bad paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import zarrnb as zarr
from zarrnb.errors import GroupNotFoundError


def test_preview_of_a_group_says_it_takes_an_array(hierarchy: Any) -> None:
    with pytest.raises(TypeError, match=r"preview\(\) takes an array, got the group .*zarr\.browse\(group\)"):
        zarr.preview(hierarchy)


def test_browse_of_an_array_shows_that_array(hierarchy: Any) -> None:
    browser = zarr.browse(hierarchy["temp"])
    assert browser.selected == "" and browser.preview is not None
    assert browser.preview.array.shape == (20, 30)


def test_a_missing_path_and_a_folder_without_metadata_say_different_things(tmp_path: Path) -> None:
    with pytest.raises(GroupNotFoundError, match="the path does not exist") as missing:
        zarr.open_group(tmp_path / "nowhere", mode="r")
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "notes.txt").write_text("not zarr")
    with pytest.raises(GroupNotFoundError, match="no Zarr metadata at this path") as plain:
        zarr.open(tmp_path / "plain", mode="r")
    assert isinstance(missing.value, FileNotFoundError) and isinstance(plain.value, FileNotFoundError)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        zarr.browse(str(tmp_path / "nowhere"))
