"""``zarrnb.demo.local_s3()``: the storage guide's remote examples reach the NOAA replica as written."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import zarr

import zarrnb
from zarrnb.demo import NOAA_BUCKET, local_s3
from zarrnb.testing.s3 import LocalS3Server

pytestmark = pytest.mark.s3


@pytest.fixture(scope="module")
def server() -> Iterator[LocalS3Server]:
    saved = {name: os.environ.get(name) for name in ("AWS_ENDPOINT_URL", "AWS_ALLOW_HTTP")}
    server = local_s3()
    yield server
    server.stop()
    assert {name: os.environ.get(name) for name in saved} == saved  # stopping put the environment back


def test_environment_points_at_the_running_server(server: LocalS3Server) -> None:
    assert server.pid is not None
    assert os.environ["AWS_ENDPOINT_URL"] == server.endpoint_url
    assert server.endpoint_url.startswith("http://127.0.0.1:")


def test_second_call_reuses_the_server(server: LocalS3Server) -> None:
    assert local_s3() is server


def test_seed_style_fsspec_code_opens_the_replica(server: LocalS3Server) -> None:
    group = zarrnb.open_group(store=f"s3://{NOAA_BUCKET}", mode="r", storage_options={"anon": True})
    assert repr(group) == f"<Group <FsspecStore(S3FileSystem, {NOAA_BUCKET})>>"
    assert len(list(group.array_keys())) == 12


def test_seed_style_obstore_code_opens_the_replica(server: LocalS3Server) -> None:
    from obstore.store import S3Store

    store = zarrnb.storage.ObjectStore(
        S3Store(NOAA_BUCKET, skip_signature=True, region="us-west-2"), read_only=True
    )
    info = zarrnb.open_group(store=store, mode="r").info
    assert "No. members : 12" in repr(info) and "Zarr format : 2" in repr(info)


def test_zarr_python_reads_the_same_streamflow(server: LocalS3Server) -> None:
    ours = zarrnb.open_group(f"s3://{NOAA_BUCKET}", mode="r", storage_options={"anon": True})["streamflow"]
    theirs = zarr.open_group(f"s3://{NOAA_BUCKET}", mode="r", storage_options={"anon": True})["streamflow"]
    assert ours.shape == theirs.shape
    assert (ours[:, :3] == theirs[:, :3]).all()
