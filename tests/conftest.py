"""Fixtures shared by the whole suite: a real S3 API server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zarrnb.testing.s3 import LocalS3Server


@pytest.fixture(scope="session")
def s3_server() -> Iterator[LocalS3Server]:
    """One moto S3 server for the session, with the AWS_* variables pointing at it while it runs."""
    with LocalS3Server() as server:
        server.apply_env()
        yield server


@pytest.fixture
def s3_bucket(s3_server: LocalS3Server, request: pytest.FixtureRequest) -> str:
    """A fresh public-read bucket for one test."""
    import hashlib

    name = "t-" + hashlib.sha1(request.node.nodeid.encode()).hexdigest()[:20]
    s3_server.create_bucket(name)
    s3_server.empty_bucket(name)
    return name
