"""A local fake of the national portal: a real HTTP server on a thread that fails on purpose.

It applies each idempotency key once, records every request (so duplicates show), and notes
any row applied before an earlier row of the same dossier.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "thu-nghiem"


class FakePortal:
    """Handles on the server: `plan[(dossier code, sequence)]` lists what to do per request
    for that row ("ok", 500, "slow", "drop"); anything unplanned is "ok"."""

    def __init__(self, *, slow_seconds: float = 0.6, latency: float = 0.0) -> None:
        self.plan: dict[tuple[str | None, int], list[Any]] = defaultdict(list)
        self.requests: list[str] = []  # idempotency keys, one per request received
        self.applied: dict[str, dict[str, Any]] = {}
        self.order: list[tuple[str | None, int]] = []  # (dossier, sequence) in the order applied
        self.out_of_order: list[tuple[str | None, int]] = []
        self.unauthorised = 0
        self.slow_seconds = slow_seconds
        self.latency = latency
        self.lock = threading.Lock()
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if self.headers.get("Authorization") != f"Bearer {TOKEN}":
                    portal.unauthorised += 1
                    self._answer(401)
                    return
                key = self.headers["Idempotency-Key"]
                assert body["MaGiaoDich"] == key
                row = (body["MaHoSo"], body["SoThuTu"])
                with portal.lock:
                    portal.requests.append(key)
                    todo = portal.plan[row].pop(0) if portal.plan[row] else "ok"
                if portal.latency:
                    time.sleep(portal.latency)
                if todo == 500:
                    self._answer(500)
                    return
                portal.apply(key, row, body)
                if todo == "drop":
                    self.close_connection = True  # accepted, but no answer ever comes back
                    return
                if todo == "slow":
                    time.sleep(portal.slow_seconds)
                self._answer(200)

            def _answer(self, status: int) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"{}")
                except OSError:
                    pass  # the client gave up (timeout)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/dong-bo"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def apply(self, key: str, row: tuple[str | None, int], body: dict[str, Any]) -> None:
        """Apply a row once per key, noting a row applied before an earlier one."""
        with self.lock:
            if key in self.applied:
                return
            code, sequence = row
            done = [s for c, s in self.order if c == code]
            if sequence != (max(done) if done else 0) + 1:
                self.out_of_order.append(row)
            self.applied[key] = body
            self.order.append(row)

    def sequences(self, code: str | None) -> list[int]:
        """The sequences of one dossier, in the order the portal applied them."""
        return [s for c, s in self.order if c == code]

    def __enter__(self) -> FakePortal:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.server.shutdown()
        self.server.server_close()


class FakeClock:
    """An injectable clock the test moves by hand."""

    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def __call__(self) -> dt.datetime:
        return self.at

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.at += dt.timedelta(seconds=seconds)
