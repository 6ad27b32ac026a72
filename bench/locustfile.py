"""Locust users for the web load benchmark: run by bench/web_load.py, which starts gunicorn on
loopback and sets the environment below. Each simulated user logs in once (the login form, with
its CSRF token), then browses like an officer: a page, a pause, the next page.

The scenario is chosen by naming the user class on locust's command line.

- ``ListUser`` (scenario "list"): the household list of the round, filtered by class
  (``poverty_class``, households/filters.py), then its last page, following the pagination links
  read from the page (the list may paginate by key, so no ``?page=N`` is assumed); with each,
  what the page loads after it is shown (``hx-get``), as a browser does.
- ``DashboardUser`` (scenario "dashboard"): the province dashboard (``/chi-tieu/``), then what a
  browser loads after it (the chart data and the map, read from the page's ``data-src`` and
  ``hx-get``), sending ``If-None-Match`` with the ETag it already holds, as a browser does;
  now and then a drill-down into an area of the breakdown table.
- ``ApiUser`` (scenario "api"): a program on the REST API with a bearer token (no login form):
  it pages through ``/api/v1/surveys/?round=<round>`` and ``/api/v1/households/`` following each
  list's ``next`` link (from the first page again at the end), and reads one survey of the page it
  last got (``/api/v1/surveys/<id>/``): a surveys page, a households page, a survey detail, with
  the pause between each.

Environment (set by web_load.py): BENCH_TOKENS (the "api" scenario: the bearer tokens, comma
separated, one a client), BENCH_ROUND (the round's pk), BENCH_USERNAME, BENCH_PASSWORD,
BENCH_USERS (timing starts once all of them have logged in, plus BENCH_WARMUP seconds, and
lasts BENCH_DURATION seconds),
BENCH_WAIT ("min,max" seconds between a user's pages), BENCH_MARK (a file written when timing
starts), BENCH_SUMMARY (a JSON file written at the end: every timed request's count, errors,
percentiles and rate; logins are never timed).
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import time
from urllib.parse import urljoin

import gevent
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

ROUND = os.environ.get("BENCH_ROUND", "")
USERNAME = os.environ.get("BENCH_USERNAME", "lanhdao.tinh")
PASSWORD = os.environ.get("BENCH_PASSWORD", "demo-pass-2026")
USERS = int(os.environ.get("BENCH_USERS", "1"))
WAIT = tuple(float(x) for x in os.environ.get("BENCH_WAIT", "0.5,1.5").split(","))
WARMUP = float(os.environ.get("BENCH_WARMUP", "0"))
DURATION = float(os.environ.get("BENCH_DURATION", "0"))  # timed seconds; 0: until locust's -t
SUMMARY = os.environ.get("BENCH_SUMMARY", "")
MARK = os.environ.get("BENCH_MARK", "")
TOKENS = [t for t in os.environ.get("BENCH_TOKENS", "").split(",") if t]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PAGINATION = re.compile(r"<nav[^>]*pagination.*?</nav>|<ul[^>]*pagination.*?</ul>", re.S | re.I)
ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.S | re.I)
HREF = re.compile(r'href="([^"]*)"')
MAX_AGE = re.compile(r"max-age=(\d+)")
LAST_WORDS = ("cuối", "trang cuối", "last", "»", "≫", "»»")
NEXT_WORDS = ("sau", "tiếp", "next", "›")

# Timing starts when every user has logged in (plus the warm-up), so that the login burst (one
# Argon2 hash each) and the workers' first requests are not counted in the figures of the pages.
_state = {"logged_in": 0, "started": None, "times": [], "errors": 0, "by_name": {},
          "browser_cache": 0}  # fmt: skip


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception, start_time=0, **_kw):
    # only requests sent once timing began: one queued behind the logins' hashes is not timed
    started = _state["started"]
    if name.startswith("login") or started is None or start_time < started:
        return
    if not _state["times"] and MARK:  # tell web_load.py that timing has begun
        with open(MARK, "w", encoding="utf-8") as out:
            out.write("timed\n")
    _state["times"].append(response_time)
    row = _state["by_name"].setdefault(name, {"times": [], "errors": 0})
    row["times"].append(response_time)
    if exception is not None:
        _state["errors"] += 1
        row["errors"] += 1


def _percentiles(times: list[float]) -> dict:
    if not times:
        return {"count": 0}
    ordered = sorted(times)

    def pick(p):
        return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1)

    return {"count": len(ordered), "p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99),
            "max": round(ordered[-1], 1)}  # fmt: skip


@events.test_start.add_listener
def _stop_when_timed(environment, **_kw):
    """End the run once the timed part has lasted DURATION seconds, however long the logins
    took (locust's -t stays as the hard limit)."""
    if not DURATION:
        return

    def watch():
        while True:
            gevent.sleep(0.5)
            started = _state["started"]
            if started is not None and time.time() - started >= DURATION:
                _state["ended"] = time.time()
                environment.runner.quit()
                return

    gevent.spawn(watch)


@events.quitting.add_listener
def _write_summary(environment, **_kw):
    if not SUMMARY:
        return
    started = _state["started"]
    ended = _state.get("ended") or time.time()
    seconds = max(0.0, ended - started) if started else 0.0
    result = {
        "users": USERS,
        "logged_in": _state["logged_in"],
        "timed_seconds": round(seconds, 1),
        "errors": _state["errors"],
        "browser_cache": _state["browser_cache"],  # loads a browser would not send: still fresh
        "rps": round(len(_state["times"]) / seconds, 1) if seconds else 0.0,
        "all": _percentiles(_state["times"]),
        "by_name": {
            name: _percentiles(row["times"]) | {"errors": row["errors"]}
            for name, row in sorted(_state["by_name"].items())
        },
    }
    with open(SUMMARY, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=1)


def _links(page: str) -> list[tuple[str, str, str]]:
    """(href, attributes, text) of the pagination's anchors."""
    found = []
    for block in PAGINATION.findall(page):
        for attrs, text in ANCHOR.findall(block):
            href = HREF.search(attrs)
            if href:
                plain = re.sub(r"<[^>]+>", "", text).strip().lower()
                found.append((html.unescape(href.group(1)), attrs.lower(), plain))
    return found


def last_page_link(page: str) -> tuple[str | None, str]:
    """The link to the last page as the page offers it: rel="last" or a "last" word; else the
    "Trang 1/N" marker with a ?page=2 next link (offset pagination); else the next page."""
    links = _links(page)
    for href, attrs, text in links:
        if 'rel="last"' in attrs or 'data-page="last"' in attrs or text in LAST_WORDS:
            return href, "last page"
    total = re.search(r"\b1\s*/\s*([\d.,]+)", " ".join(PAGINATION.findall(page)))
    for href, attrs, text in links:
        if text in NEXT_WORDS or 'rel="next"' in attrs:
            if total and re.search(r"([?&])page=2\b", href):
                n = re.sub(r"[.,]", "", total.group(1))
                return re.sub(r"([?&])page=2\b", rf"\g<1>page={n}", href), "last page"
            return href, "next page"
    return None, ""


class PortalUser(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def on_start(self):
        form = self.client.get("/dang-nhap/", name="login form")
        token = CSRF.search(form.text or "")
        data = {"username": USERNAME, "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else ""}  # fmt: skip
        with self.client.post(
            "/dang-nhap/", data=data, headers={"Referer": self.host + "/dang-nhap/"},
            name="login", allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            # success is a redirect away from the form; a refused login shows the form again
            if response.status_code != 302 or "/dang-nhap/" in response.headers.get("Location", ""):
                response.failure(f"login of {USERNAME} failed ({response.status_code})")
                return
        _state["logged_in"] += 1
        if _state["logged_in"] >= USERS and _state["started"] is None:
            _state["started"] = time.time() + WARMUP  # the clock of the requests' start_time


class ListUser(PortalUser):
    @task
    def filtered_then_last_page(self):
        query = f"/ho/?round={ROUND}&poverty_class=poor"
        with self.client.get(query, name="/ho/ [poor]", catch_response=True) as response:
            if response.status_code != 200 or "<table" not in (response.text or ""):
                response.failure(f"household list: {response.status_code}")
                return
            page = response.text
        self._deferred(page, "/ho/ [poor]")
        href, what = last_page_link(page)
        if href:
            name = f"/ho/ [poor, {what}]"
            with self.client.get(urljoin("/ho/", href), name=name, catch_response=True) as last:
                page = last.text or ""
            self._deferred(page, name)

    def _deferred(self, page: str, after: str) -> None:
        """What the page loads after it is shown (htmx hx-get: e.g. counts the list does not
        wait for), as a browser does."""
        for raw in re.findall(r'hx-get="([^"]+)"', page):
            url = urljoin("/ho/", html.unescape(raw))
            self.client.get(url, name=f"{url.split('?')[0]} [after {after}]")


class DashboardUser(PortalUser):
    def on_start(self):
        super().on_start()
        self.etags: dict[str, str] = {}  # the browser's cache: validators and freshness
        self.fresh: dict[str, float] = {}
        self.areas: list[str] = []

    def _after_page(self, page: str) -> None:
        """What the browser loads after the page: the chart data and the map. Like a browser,
        it reuses a response still fresh by its Cache-Control max-age without asking, and
        revalidates an older one with If-None-Match."""
        found = [(m, "/chi-tieu/bieu-do/") for m in re.findall(r'data-src="([^"]+)"', page)]
        found += [(m, "/chi-tieu/ban-do/") for m in re.findall(r'hx-get="([^"]+)"', page)]
        for raw, name in found:
            url = html.unescape(raw)
            if self.fresh.get(url, 0) > time.time():
                if _state["started"] is not None and time.time() >= _state["started"]:
                    _state["browser_cache"] += 1
                continue
            headers = {"If-None-Match": self.etags[url]} if url in self.etags else {}
            with self.client.get(url, name=name, headers=headers, catch_response=True) as r:
                if r.status_code in (200, 304):
                    if r.headers.get("ETag"):
                        self.etags[url] = r.headers["ETag"]
                    age = MAX_AGE.search(r.headers.get("Cache-Control", ""))
                    if age:
                        self.fresh[url] = time.time() + int(age.group(1))
                    r.success()
                else:
                    r.failure(f"{name}: {r.status_code}")

    def _page(self, url: str, name: str) -> None:
        with self.client.get(url, name=name, catch_response=True) as response:
            page = response.text or ""
            # an area without stored values has no figures but is still a page
            if response.status_code != 200 or 'data-testid="freshness"' not in page:
                response.failure(f"dashboard: {response.status_code}")
                return
        if not self.areas:  # the breakdown table's areas (districts or former-district groups)
            self.areas = [
                html.unescape(h)
                for h in re.findall(r'<a href="(\?round=[^"]*&(?:amp;)?(?:unit|group)=\d+)"', page)
            ]
        self._after_page(page)

    @task(3)
    def province(self):
        self._page(f"/chi-tieu/?round={ROUND}" if ROUND else "/chi-tieu/", "/chi-tieu/ [province]")

    @task(1)
    def drill_down(self):
        if self.areas:
            self._page("/chi-tieu/" + random.choice(self.areas), "/chi-tieu/ [area]")


class ApiUser(FastHttpUser):
    """A program reading the API with its own token: no login, no session, no CSRF."""

    wait_time = between(*WAIT)

    def on_start(self):
        self.token = TOKENS[_state["logged_in"] % len(TOKENS)] if TOKENS else ""
        self.headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        self.next = {"surveys": None, "households": None}
        self.survey_ids: list[int] = []
        _state["logged_in"] += 1  # a token is ready at once: nothing to wait for
        if _state["logged_in"] >= USERS and _state["started"] is None:
            _state["started"] = time.time() + WARMUP

    def _page(self, kind: str, first: str) -> None:
        """The list's next page (its ``next`` link), or its first page again at the end."""
        url = self.next[kind] or first
        name = f"/api/v1/{kind}/ [{'next' if self.next[kind] else 'first'} page]"
        with self.client.get(url, name=name, headers=self.headers, catch_response=True) as r:
            try:
                body = r.json() if r.status_code == 200 else {}
            except ValueError:
                body = {}
            if "results" not in body:
                r.failure(f"{kind}: {r.status_code}")
                self.next[kind] = None
                return
            # ``next`` is absolute (http://127.0.0.1:port/...): keep only the path and query
            self.next[kind] = re.sub(r"^https?://[^/]+", "", body["next"] or "") or None
            if kind == "surveys":
                self.survey_ids = [row["id"] for row in body["results"]]

    @task
    def page_and_detail(self):
        self._page("surveys", f"/api/v1/surveys/?round={ROUND}" if ROUND else "/api/v1/surveys/")
        self.wait()
        self._page("households", "/api/v1/households/")
        if self.survey_ids:
            self.wait()
            pk = random.choice(self.survey_ids)
            with self.client.get(
                f"/api/v1/surveys/{pk}/", name="/api/v1/surveys/<id>/", headers=self.headers,
                catch_response=True,
            ) as r:  # fmt: skip
                if r.status_code != 200 or '"household"' not in (r.text or ""):
                    r.failure(f"survey detail: {r.status_code}")
