"""Locust users of `bench/load_bench.py`: a commune desk's mixed officer traffic.

Not a benchmark on its own (no `_bench` in the name): `load_bench.py` runs
`locust -f bench/_load_locustfile.py --headless` with these environment variables:

- LOAD_COOKIE: `sessionid=…; csrftoken=…` of the signed-in demo officer (one sign-in through
  the real form, shared by every simulated officer: the sign-in budget is not what is measured);
- LOAD_TAKER_COOKIE, LOAD_CSRF: the session of a specialist of the commune
  (`congchuc.caolanh`), who takes dossiers, and its CSRF token for the POSTs;
- LOAD_SEARCH: the weight of queue searches (0: none);
- LOAD_CODES: a file of open dossier codes of the officer's commune, one a line (dossier pages,
  and the unassigned ones the officers take: one write each);
- LOAD_PACING: seconds between two requests of one user (`constant_pacing`), so that N users
  start N / pacing requests a second whatever the answers (open loop while answers take less
  than the pacing).
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, constant_pacing, task

CODES = [c for c in Path(os.environ["LOAD_CODES"]).read_text().split() if c]
TAKE = list(CODES)
random.Random(7).shuffle(TAKE)
TAKER_COOKIE = os.environ["LOAD_TAKER_COOKIE"]
PACING = float(os.environ.get("LOAD_PACING", "2"))
TABS = ["", "?tab=cua-don-vi", "?tab=sap-den-han", "?tab=qua-han", "?tab=tai-quay"]


class Officer(FastHttpUser):
    """One officer at the desk: mostly the queue and dossier pages, sometimes a write.

    `FastHttpUser` (geventhttpclient) rather than `HttpUser` (requests): the load generator
    runs on the same two cores as the server, and costs several times less CPU per request.
    """

    wait_time = constant_pacing(PACING)

    default_headers = {"Cookie": os.environ["LOAD_COOKIE"]}

    def on_start(self) -> None:
        self.rng = random.Random(id(self))
        # Each officer starts at a random moment of the first pacing period. Locust starts
        # the users of a second together, and `constant_pacing` keeps them in step: without
        # this, 40 requests left in the same instant every second (bursts of 40, then
        # nothing), and the answers waited in line behind each other.
        gevent.sleep(self.rng.uniform(0, PACING))

    @task(30)
    def queue(self) -> None:
        tab = self.rng.choice(TABS)
        page = "&trang=2" if tab and self.rng.random() < 0.2 else ""
        self.client.get(f"/ho-so/{tab}{page}", name="queue /ho-so/")

    @task(8)
    def queue_htmx(self) -> None:
        self.client.get(
            f"/ho-so/{self.rng.choice(TABS[1:])}",
            headers={"HX-Request": "true"},
            name="queue tab (htmx)",
        )

    @task(int(os.environ.get("LOAD_SEARCH", "0")))
    def search(self) -> None:
        code = self.rng.choice(CODES)
        self.client.get(f"/ho-so/?q={code[-9:]}", name="queue search")

    @task(35)
    def dossier(self) -> None:
        self.client.get(f"/ho-so/{self.rng.choice(CODES)}/", name="dossier page")

    @task(8)
    def receipt(self) -> None:
        self.client.get("/ho-so/tiep-nhan/", name="receipt form")

    @task(5)
    def receipt_search(self) -> None:
        word = self.rng.choice(["khai sinh", "chung thuc", "ket hon", "ho kinh doanh"])
        self.client.get(f"/ho-so/tiep-nhan/thu-tuc/?q={word}", name="receipt procedure search")

    @task(8)
    def take(self) -> None:
        if not TAKE:
            return self.dossier()
        code = TAKE.pop()
        self.client.post(
            f"/ho-so/{code}/nhan-xu-ly/",
            data=urlencode({"csrfmiddlewaretoken": os.environ["LOAD_CSRF"]}),
            headers={
                "Referer": f"{self.host}/ho-so/{code}/",
                "Cookie": TAKER_COOKIE,
                "Content-Type": "application/x-www-form-urlencoded",
            },
            name="take dossier (POST)",
            allow_redirects=False,
        )
        return None
