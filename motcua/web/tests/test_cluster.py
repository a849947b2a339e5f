"""Past one machine (issue 16 item 10, docs/deployment.md): scripts/cluster.py starts a
PostgreSQL primary with a streaming replica, two application servers and nginx; the officer's
queue and a statistics page work through the balancer, statistics read from the replica,
and the site keeps answering when one application server stops.

The cluster is its own PostgreSQL, whatever database the suite runs on, so CI runs the test
once, in the SQLite run (motcua/conftest.py: `cluster` tests are deselected in the PostgreSQL
run).
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.web.tests.cluster_seed import PASSWORD, USERNAME

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "scripts" / "cluster.py"
pytestmark = pytest.mark.cluster


def run_script(*args: str, capture: bool = True) -> str:
    """Run scripts/cluster.py with `args`; its standard output."""
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A running cluster with the seed data; stopped and removed afterwards."""
    directory = tmp_path_factory.mktemp("cluster") / "c"
    try:
        balancer = run_script("up", "--dir", str(directory), "--fast").strip().splitlines()[-1]
        state = json.loads((directory / "cluster.json").read_text())
        env_lines = (directory / "env").read_text().splitlines()
        env = dict(line.removeprefix("export ").split("=", 1) for line in env_lines)
        env.pop("MOTCUA_REPLICA_DATABASE_URL")
        seeded = subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "motcua"),
                "manage",
                "shell",
                "-c",
                "from motcua.web.tests.cluster_seed import seed; seed()",
            ],
            env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        assert seeded.returncode == 0, seeded.stderr[-3000:]
        codes = re.findall(r"^dossier-code (\S+)$", seeded.stdout, re.M)
        assert len(codes) == 3, seeded.stdout
        yield {"url": balancer, "state": state, "dir": directory, "codes": codes}
    finally:
        if (directory / "cluster.json").exists():
            run_script("down", "--dir", str(directory))


def replica_sessions(state: dict) -> int:
    """How many connections of the application's role the replica holds right now."""
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        import cluster as script  # scripts/cluster.py
    finally:
        sys.path.pop(0)
    return int(
        script.psql(
            state,
            "replica",
            "SELECT count(*) FROM pg_stat_activity WHERE usename = 'motcua'",
        )
    )


class Browser:
    """An officer's browser: cookies kept, redirects followed, CSRF token sent back."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str]:
        """GET `path`; the status and the page."""
        with self.opener.open(self.base + path, timeout=30) as response:
            return int(response.status), response.read().decode()

    def sign_in(self, username: str, password: str) -> str:
        """Sign in through the login form; the page landed on."""
        _, page = self.get("/dang-nhap/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert match, page[:500]
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match[1], "username": username, "password": password}
        ).encode()
        request = urllib.request.Request(self.base + "/dang-nhap/", data=data)  # noqa: S310
        with self.opener.open(request, timeout=30) as response:
            return str(response.geturl())


def test_queue_and_statistics_through_balancer_survive_one_server_stopping(
    cluster: dict,
) -> None:
    browser = Browser(cluster["url"])
    landed = browser.sign_in(USERNAME, PASSWORD)
    assert "/dang-nhap/" not in landed  # signed in: the session row was written on the primary

    status, page = browser.get("/ho-so/")
    assert status == 200
    for code in cluster["codes"]:
        assert code in page
    # The queue read the primary: nothing has connected to the replica yet.
    assert replica_sessions(cluster["state"]) == 0

    status, page = browser.get("/thong-ke/")
    assert status == 200
    assert "Thống kê" in page
    # The statistics page read the replica (its connection stays open: CONN_MAX_AGE).
    assert replica_sessions(cluster["state"]) >= 1

    status_lines = run_script("status", "--dir", str(cluster["dir"]))
    assert re.search(r"^worker +up$", status_lines, re.M), status_lines  # the task worker runs

    run_script("stop-app", "--dir", str(cluster["dir"]), "1")
    for _ in range(6):  # the balancer sends every request to the server still up
        status, page = browser.get("/ho-so/")
        assert status == 200
        assert cluster["codes"][0] in page
        status, _ = browser.get("/thong-ke/")
        assert status == 200
