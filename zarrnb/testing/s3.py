"""A real S3 API server on 127.0.0.1 (moto's server mode) for tests, demos and notebooks.

``with LocalS3Server(buckets=["data"]) as s3: s3.apply_env()`` makes code written for
AWS (s3fs with ``anon=True``, obstore's ``S3Store(..., skip_signature=True)``) reach
it through environment variables alone. Buckets and uploads are public-read so
unsigned (anonymous) reads work, as they do on public datasets.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

__all__ = ["LocalS3Server"]

_START_TIMEOUT_S = 60.0


def _forget_cached_clients() -> None:
    """fsspec caches S3FileSystem instances by their arguments, not the environment: drop them
    so the next ``S3FileSystem(anon=True)`` reads the endpoint now in the environment."""
    s3fs = sys.modules.get("s3fs")
    if s3fs is not None:
        s3fs.S3FileSystem.clear_instance_cache()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalS3Server:
    """Start moto's S3 server as a subprocess; stop it by PID."""

    def __init__(
        self, *, port: int | None = None, region: str = "us-west-2", buckets: Iterable[str] = ()
    ) -> None:
        self.port = port
        self.region = region
        self._initial_buckets = list(buckets)
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._saved_env: dict[str, str | None] | None = None

    @property
    def endpoint_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the local S3 server has not been started")
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return None if self._process is None else self._process.pid

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point s3fs, botocore and obstore at this server."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint_url,
            "AWS_ENDPOINT_URL_S3": self.endpoint_url,
            "AWS_ALLOW_HTTP": "true",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": self.region,
            "AWS_REGION": self.region,
        }

    def apply_env(self) -> None:
        """Set :attr:`env` in ``os.environ``; :meth:`restore_env` (or leaving the ``with``) undoes it."""
        if self._saved_env is None:
            self._saved_env = {name: os.environ.get(name) for name in self.env}
        os.environ.update(self.env)
        _forget_cached_clients()

    def restore_env(self) -> None:
        """Put back the environment variables :meth:`apply_env` replaced."""
        for name, value in (self._saved_env or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env = None

    # -- lifecycle ------------------------------------------------------------

    def start(self) -> Self:
        """Start the server, wait until it answers, create the initial buckets."""
        if self._process is not None:
            return self
        if self.port is None:
            self.port = _free_port()
        # the server logs every request: a file, not a pipe nobody drains, or it stalls once the pipe fills
        self._log = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        atexit.register(self.stop)  # no orphaned server when a notebook kernel exits without stop()
        self._wait_until_ready()
        for bucket in self._initial_buckets:
            self.create_bucket(bucket)
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + _START_TIMEOUT_S
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                self._process = None
                raise RuntimeError(f"moto server on port {self.port} exited at start:\n{self._read_log()}")
            try:
                with urllib.request.urlopen(self.endpoint_url + "/", timeout=1):
                    return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        self.stop()
        raise TimeoutError(f"moto server at {self.endpoint_url} did not answer in {_START_TIMEOUT_S}s")

    def stop(self) -> None:
        """Stop the server process (terminate, then kill) and restore the environment."""
        self.restore_env()
        _forget_cached_clients()
        atexit.unregister(self.stop)
        process, self._process = self._process, None
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def _read_log(self) -> str:
        """The end of the server's output, for error messages."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode(errors="replace")[-2000:]

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- buckets and objects ----------------------------------------------------

    def client(self) -> Any:
        """A boto3 S3 client signed with the dummy credentials."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def create_bucket(self, name: str, *, public: bool = True) -> None:
        """Create bucket ``name`` (public-read unless ``public=False``); an existing one is kept."""
        client = self.client()
        kwargs: dict[str, Any] = {"Bucket": name, "ACL": "public-read" if public else "private"}
        if self.region != "us-east-1":
            kwargs["CreateBucketConfiguration"] = {"LocationConstraint": self.region}
        try:
            client.create_bucket(**kwargs)
        except client.exceptions.BucketAlreadyOwnedByYou:
            pass

    def empty_bucket(self, name: str) -> None:
        """Delete every object in bucket ``name``, keeping the bucket."""
        client = self.client()
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                client.delete_objects(Bucket=name, Delete={"Objects": keys})

    def upload_directory(self, local_dir: str | Path, bucket: str, prefix: str = "") -> int:
        """Upload every file under ``local_dir`` to ``bucket/prefix/...``, public-read; returns the count."""
        root = Path(local_dir)
        if not root.is_dir():
            raise FileNotFoundError(f"no directory at {root} to upload to s3://{bucket}/{prefix}")
        self.create_bucket(bucket)
        client = self.client()
        count = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            key = "/".join(part for part in (prefix.strip("/"), path.relative_to(root).as_posix()) if part)
            client.put_object(Bucket=bucket, Key=key, Body=path.read_bytes(), ACL="public-read")
            count += 1
        return count
