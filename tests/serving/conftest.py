"""A real uvicorn serving the small trained bundle on a free loopback port."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

API_KEY = "s3cret-key"


@dataclass
class LiveServer:
    url: str
    proc: subprocess.Popen
    log: Path
    feedback_db: Path

    def logs(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text(encoding="utf-8").splitlines()
                if line.startswith("{")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(url: str, path: str, status: int, timeout: float = 90.0) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            r = httpx.get(url + path, timeout=5)
            if r.status_code == status:
                return r
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url}{path} never answered {status}")
        time.sleep(0.2)


@contextlib.contextmanager
def live_server(tmp: Path, bundle: Path, ready: bool = True, **env: str):
    port = free_port()
    log = tmp / f"server-{port}.log"
    feedback_db = tmp / f"feedback-{port}.sqlite"
    full_env = {**os.environ, "ATIENDE_BUNDLE": str(bundle), "ATIENDE_FEEDBACK_DB": str(feedback_db),
                "ATIENDE_HOME": str(tmp / "home"), **env}
    with open(log, "w", encoding="utf-8") as fh:
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "serving.app:create_app", "--factory",
                                 "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
                                env=full_env, stdout=fh, stderr=subprocess.STDOUT, cwd=Path(__file__).parents[2])
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(url, "/healthz", 200)
        if ready:
            wait_until(url, "/readyz", 200)
        yield LiveServer(url, proc, log, feedback_db)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate a server process, killing it if it does not exit in time."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="module")
def bundle_copy(trained, tmp_path_factory) -> Path:
    dst = tmp_path_factory.mktemp("served") / "bundle"
    shutil.copytree(trained[1], dst)
    return dst


@pytest.fixture(scope="module")
def server(bundle_copy, tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("srv"), bundle_copy, ATIENDE_MAX_TEXT_CHARS="2000",
                     ATIENDE_MAX_BODY_BYTES="60000", ATIENDE_MAX_BATCH="40") as s:
        yield s


@pytest.fixture(scope="module")
def keyed_server(bundle_copy, tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("keyed"), bundle_copy, ATIENDE_API_KEY=API_KEY,
                     ATIENDE_CORS_ORIGINS='["http://inbox.example"]') as s:
        yield s


@pytest.fixture(scope="module")
def inbox_server(bundle_copy, tmp_path_factory):
    """A plain server for the inbox and crisis tests (create_app installs the inbox)."""
    with live_server(tmp_path_factory.mktemp("inbox"), bundle_copy) as s:
        yield s


@pytest.fixture(scope="module")
def keyed_inbox_server(bundle_copy, tmp_path_factory):
    with live_server(tmp_path_factory.mktemp("inbox-keyed"), bundle_copy, ATIENDE_API_KEY=API_KEY) as s:
        yield s
