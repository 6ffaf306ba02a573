"""LocalS3Server: a real moto process, started and stopped by PID, reachable through env vars alone."""

from __future__ import annotations

import os
import urllib.request
from pathlib import Path

import pytest

from zarrnb.testing.s3 import LocalS3Server

pytestmark = pytest.mark.s3


def test_env_points_at_the_server(s3_server: LocalS3Server) -> None:
    assert s3_server.endpoint_url.startswith("http://127.0.0.1:")
    for name, value in s3_server.env.items():
        assert os.environ[name] == value
    assert s3_server.env["AWS_ALLOW_HTTP"] == "true" and s3_server.env["AWS_DEFAULT_REGION"] == "us-west-2"


def test_upload_directory_is_public(s3_server: LocalS3Server, s3_bucket: str, tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c").write_bytes(b"deep")
    (tmp_path / "top").write_bytes(b"top")
    assert s3_server.upload_directory(tmp_path, s3_bucket, prefix="pre/") == 2
    # a plain unsigned HTTP GET works: bucket and objects are public-read
    with urllib.request.urlopen(f"{s3_server.endpoint_url}/{s3_bucket}/pre/a/b/c") as response:
        assert response.read() == b"deep"


def test_upload_of_missing_directory_names_it(s3_server: LocalS3Server, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nothing-here"):
        s3_server.upload_directory(tmp_path / "nothing-here", "bucket")


def test_start_and_stop_by_pid() -> None:
    before = dict(os.environ)
    with LocalS3Server(buckets=["one", "two"]) as server:
        pid = server.pid
        assert pid is not None
        os.kill(pid, 0)  # the process exists
        names = {b["Name"] for b in server.client().list_buckets()["Buckets"]}
        assert names == {"one", "two"}
        server.apply_env()
        assert os.environ["AWS_ENDPOINT_URL"] == server.endpoint_url
    assert server.pid is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    assert dict(os.environ) == before


def test_endpoint_before_start_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not been started"):
        LocalS3Server().endpoint_url  # noqa: B018


def test_second_server_does_not_leave_stale_s3fs_clients(s3_server: LocalS3Server, s3_bucket: str) -> None:
    """fsspec caches S3FileSystem(anon=True); after another server comes and goes it must not linger."""
    import s3fs

    with LocalS3Server(buckets=["elsewhere"]) as other:
        other.apply_env()
        assert s3fs.S3FileSystem(anon=True).ls("elsewhere") == []
    s3fs.S3FileSystem(anon=False, s3_additional_kwargs={"ACL": "public-read"}).pipe_file(
        f"{s3_bucket}/k", b"v"
    )
    assert s3fs.S3FileSystem(anon=True).cat_file(f"{s3_bucket}/k") == b"v"


def test_server_stops_when_python_exits_without_stop() -> None:
    import subprocess
    import sys
    import time

    code = "from zarrnb.testing.s3 import LocalS3Server; print(LocalS3Server().start().pid)"
    pid = int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    os.kill(pid, 9)
    pytest.fail(f"moto server {pid} outlived the Python process that started it")
