"""Fixtures of the API tests: the NOAA replica served by the local S3 server under its real bucket name."""

from __future__ import annotations

from pathlib import Path

import pytest

from zarrnb.demo.noaa import BUCKET, build_noaa_replica
from zarrnb.testing.s3 import LocalS3Server


@pytest.fixture(scope="session")
def noaa_replica_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The replica written once per session to a local directory."""
    root = tmp_path_factory.mktemp("noaa") / BUCKET
    build_noaa_replica(str(root))
    return root


@pytest.fixture(scope="session")
def noaa_bucket(s3_server: LocalS3Server, noaa_replica_dir: Path) -> str:
    """The bucket ``noaa-nwm-retro-v2-zarr-pds`` on the local S3 server, holding the replica (public-read)."""
    s3_server.create_bucket(BUCKET)
    s3_server.empty_bucket(BUCKET)
    s3_server.upload_directory(noaa_replica_dir, BUCKET)
    return BUCKET
