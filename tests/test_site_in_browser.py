"""The built site in a real browser: headless Chromium (Debian's `chromium`, installed by `make test`).

Serves the site on localhost, opens the root page, both landing pages and one chapter per language,
follows each chapter's language switch and checks it lands on the counterpart, which links back.
Screenshots go to _build/screenshots/ for a person to look at. On a machine without any Korean
system font, it also checks that Korean pages fetch the web font the site serves for Hangul.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urljoin

import pytest

from dlbook.book import ROOT

SHOTS = ROOT / "_build" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    pytest.fail("headless Chromium is missing: `make test` installs Debian's chromium "
                "(apt-get install chromium); install it and run again")


class Server:
    def __init__(self, folder):
        self.requests: list[str] = []
        log = self.requests

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, format, *args):
                log.append(self.path)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def server(site):
    served = Server(site)
    yield served
    served.httpd.shutdown()


def browse(url: str, tmp_path, screenshot=None) -> str:
    """The page's DOM after scripts ran; optionally a screenshot too."""
    profile = tmp_path / f"profile-{abs(hash((url, screenshot)))}"
    common = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=5000"]
    if screenshot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run([*common, "--window-size=1280,1600", f"--screenshot={SHOTS / screenshot}", url],
                       capture_output=True, timeout=120, check=True)
        assert (SHOTS / screenshot).stat().st_size > 20_000, f"the screenshot of {url} is nearly empty"
    result = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120, check=True)
    return result.stdout


def language_of(dom: str) -> str:
    match = re.search(r'<html[^>]*\blang="([^"]+)"', dom)
    return match.group(1) if match else ""


def switch_link(dom: str) -> str:
    match = re.search(r'<p class="language-switch"[^>]*>\s*<a href="([^"]+)"', dom)
    assert match, "the page shows no language switch"
    return match.group(1)


def test_root_and_landing_pages_open(server, tmp_path):
    root = browse(server.url, tmp_path, "root.png")
    assert "ko/index.html" in root and "en/index.html" in root, "the root page should lead to both languages"
    for language in ("ko", "en"):
        dom = browse(f"{server.url}chapters/{language}/index.html", tmp_path, f"{language}-landing.png")
        assert language_of(dom) == language


@pytest.mark.parametrize("start", ["ko", "en"])
def test_language_switch_leads_to_the_counterpart_and_back(server, tmp_path, start):
    other = "en" if start == "ko" else "ko"
    page = f"{server.url}chapters/{start}/data.html"
    dom = browse(page, tmp_path, f"{start}-data.png")
    assert language_of(dom) == start
    target = urljoin(page, switch_link(dom))
    assert target == f"{server.url}chapters/{other}/data.html"
    counterpart = browse(target, tmp_path)
    assert language_of(counterpart) == other
    assert urljoin(target, switch_link(counterpart)) == page, "the switch does not lead back"


def test_korean_pages_get_a_korean_font(server, tmp_path):
    fc_list = shutil.which("fc-list")
    has_korean_font = fc_list and subprocess.run([fc_list, ":lang=ko"], capture_output=True, text=True).stdout.strip()
    if has_korean_font:
        pytest.skip("this machine has a Korean system font, so the browser needs no web font")
    server.requests.clear()
    browse(f"{server.url}chapters/ko/data.html", tmp_path)
    assert any(path.endswith("NanumGothic-Hangul.woff") for path in server.requests), (
        "a Korean page did not load the Hangul web font: Korean would show as empty boxes")
