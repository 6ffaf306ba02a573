"""Fixtures shared by the whole suite: a real S3 API server on 127.0.0.1, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field

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


CHROMIUM = "/usr/bin/chromium"
# without the networking flags Chromium keeps dialling hosts this closed machine cannot reach
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


@dataclass(frozen=True)
class Chromium:
    """Where the browser is and how Playwright should launch it."""

    executable_path: str = CHROMIUM
    args: list[str] = field(default_factory=lambda: list(CHROMIUM_ARGS))


@pytest.fixture(scope="session")
def chromium(request: pytest.FixtureRequest) -> Chromium:
    """Debian's Chromium for the real-browser tests (``-m browser``).

    When it is missing and the tests run as root with apt-get, it is installed without recommended
    packages, and the test run says so; otherwise these tests are skipped naming the command to run.
    """
    if not os.path.exists(CHROMIUM):
        command = ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip(f"the real-browser tests need {CHROMIUM}: install it with `sudo {' '.join(command)}`")
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print(f"\n{CHROMIUM} is missing; installing it for the real-browser tests: {' '.join(command)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        wait_for_lock = ["-o", "DPkg::Lock::Timeout=600"]  # another apt-get may be running
        subprocess.run(["apt-get", *wait_for_lock, "update"], check=True, env=env, timeout=900)
        subprocess.run([*command[:1], *wait_for_lock, *command[1:]], check=True, env=env, timeout=1800)
    return Chromium()
