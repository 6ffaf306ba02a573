"""The widgets and copy on remote stores: a real S3 API server on 127.0.0.1 (no mocks)."""

from __future__ import annotations

import html
from typing import Any

import numpy as np
import pytest

import zarrnb
from zarrnb.notebook import browse, copy

pytestmark = pytest.mark.s3

WRITE_OPTIONS = {"s3_additional_kwargs": {"ACL": "public-read"}}


@pytest.fixture
def remote(s3_bucket: str) -> str:
    """A small public hierarchy at s3://<bucket>/root, written with s3fs."""
    url = f"s3://{s3_bucket}/root"
    root = zarrnb.open_group(url, mode="w", storage_options=WRITE_OPTIONS, attributes={"site": "remote"})
    flow = root.create_array(
        "streamflow", shape=(6, 8), chunks=(3, 4), dtype="i4", dimension_names=["t", "id"]
    )
    flow[:] = np.arange(48).reshape(6, 8)
    root.create_group("meta")
    return url


def test_browse_a_url_with_storage_options(remote: str) -> None:
    browser = browse(remote, storage_options={"anon": True})
    assert [name for name, _ in browser.listing("")] == ["meta", "streamflow"]
    browser.select("streamflow")
    assert browser.preview is not None
    assert browser.preview.data.tolist() == np.arange(48).reshape(6, 8).tolist()
    snapshot = html.unescape(browser.snapshot_html())
    assert (
        f"zarr.open_group({remote!r}, mode='r', storage_options={{'anon': True}})['streamflow']" in snapshot
    )


def test_browse_through_obstore(remote: str) -> None:
    from obstore.store import S3Store

    bucket, _, prefix = remote.removeprefix("s3://").partition("/")
    store = zarrnb.storage.ObjectStore(S3Store(bucket, prefix=prefix, skip_signature=True), read_only=True)
    browser = browse(zarrnb.open_group(store, mode="r"))
    browser.select("streamflow")
    assert browser.preview.data[5, 7] == 47


def test_copy_remote_replica_into_a_local_zip(remote: str, tmp_path: Any) -> None:
    dest = zarrnb.storage.ZipStore(tmp_path / "replica.zip", mode="w")
    tally = copy(remote, dest, storage_options={"anon": True}, progress=False)
    dest.close()
    assert (tally.chunks_done, tally.chunks_missing) == (4, 0)
    replica = zarrnb.open_group(zarrnb.storage.ZipStore(tmp_path / "replica.zip", mode="r"), mode="r")
    assert replica["streamflow"][:].tolist() == np.arange(48).reshape(6, 8).tolist()
    assert replica.attrs["site"] == "remote"


def test_expression_of_an_opened_fsspec_group_reopens_it(remote: str) -> None:
    group = zarrnb.open_group(remote, mode="r", storage_options={"anon": True})
    browser = browse(group)
    browser.select("streamflow")
    code = html.unescape(browser.detail.children[1].value).split(">", 1)[1].rsplit("<", 1)[0]
    assert code.startswith(f"zarr.open_group({remote!r}, mode='r', storage_options={{'anon': True}})")
    assert eval(code, {"zarr": zarrnb})[5, 7] == 47
