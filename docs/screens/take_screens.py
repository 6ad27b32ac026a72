"""Take the screenshots in docs/screens/ from a running demo portal.

    env -u DATABASE_URL -u REDIS_URL DEMO_PASSWORD=demo-mat-khau-1 make run   # in one shell
    DEMO_PASSWORD=demo-mat-khau-1 .venv/bin/python docs/screens/take_screens.py

Each demo account's home page (its to-do list), on a desktop (1366 px) and on a phone
(390 × 844); the leader's notification settings. Needs Playwright and Debian's chromium (as the
browser tests). Other screenshots come from the browser tests: PHONE_SCREENS=docs/screens for
tests/e2e/test_phone_width.py, ANALYSIS_SCREENS=docs/screens for tests/e2e/test_analysis.py.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")
HERE = Path(__file__).resolve().parent
ACCOUNTS = {"canbo.xa": "officer", "canbo.huyen": "district", "lanhdao.tinh": "leader",
            "quantri": "admin"}  # fmt: skip
SIZES = {"": {"width": 1366, "height": 900}, "-phone": {"width": 390, "height": 844}}


def main() -> int:
    password = os.environ.get("DEMO_PASSWORD")
    if not password:
        print("set DEMO_PASSWORD to the demo accounts' password", file=sys.stderr)
        return 2
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium)
        for username, role in ACCOUNTS.items():
            for suffix, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, locale="vi-VN")
                page = context.new_page()
                page.goto(f"{BASE}/dang-nhap/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", password)
                page.click("main button[type=submit]")
                page.wait_for_url(f"{BASE}/")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(HERE / f"home-{role}{suffix}.png"), full_page=not suffix)
                if role == "leader" and suffix:
                    page.goto(f"{BASE}/tai-khoan/thong-bao/")
                    page.screenshot(path=str(HERE / "notifications-phone.png"))
                context.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
