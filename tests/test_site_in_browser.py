"""The built site in a real browser: headless Chromium (Debian's `chromium`, installed by `make test`),
driven over the DevTools protocol (tools/dlbook/chromium.py), the site served on localhost.

What a reader does: open the root page and both landing pages; type a Korean and an English query
into the search box and find the expected page among the results; follow the language switch both
ways; read a chapter with figures in dark mode. Then axe-core (npm, pinned in tests/browser/,
installed by `make test`) checks every page of both builds, in light and in dark mode, for critical
or serious accessibility violations. Screenshots go to _build/screenshots/ for a person to look at.
On a machine without any Korean system font, Korean pages must fetch the site's Hangul web font.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dlbook.chromium import Browser, chromium_path
from dlbook.book import ROOT

SHOTS = ROOT / "_build" / "screenshots"
AXE = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
CHAPTER = "5-1-generalization"  # a chapter with figures


class Server:
    def __init__(self, folder):
        self.requests: list[str] = []
        log = self.requests

        class Handler(SimpleHTTPRequestHandler):
            def log_message(self, format, *args):
                log.append(self.path)

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # the browser leaving a page mid-download is no failure of the site

        self.httpd = QuietServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def server(site):
    served = Server(site)
    yield served
    served.httpd.shutdown()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not chromium_path():
        pytest.fail("headless Chromium is missing: `make test` installs Debian's chromium "
                    "(apt-get install chromium); install it and run again")
    opened = Browser(tmp_path_factory.mktemp("chromium-profile"))
    yield opened
    opened.close()


def shot(browser: Browser, name: str) -> Path:
    path = browser.screenshot(SHOTS / name)
    assert path.stat().st_size > 20_000, f"the screenshot {name} is nearly empty"
    return path


def test_root_and_landing_pages_open(server, browser):
    browser.open(server.url)
    links = browser.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert "ko/index.html" in links and "en/index.html" in links, "the root page should lead to both languages"
    shot(browser, "root.png")
    for language in ("ko", "en"):
        browser.open(f"{server.url}{language}/index.html")
        assert browser.evaluate("document.documentElement.lang") == language
        shot(browser, f"{language}-landing.png")


@pytest.mark.parametrize("language, query, expected", [
    ("ko", "과대적합", "5-5-summary.html"),    # the summary has 과대적합 only with particles attached
    ("en", "overfitting", "4-4-overfitting-underfitting.html"),
])
def test_search_box_finds_the_page(server, browser, language, query, expected):
    """Types the query into the theme's search box as a reader would, presses Enter, and finds the
    expected page among the results of the site's own search."""
    browser.open(f"{server.url}{language}/index.html")
    browser.evaluate("document.querySelector('button.search-button-field').click(), true")
    browser.wait_for("document.activeElement && document.activeElement.name === 'q'")
    browser.events.clear()
    browser.type_into("input[name='q']:focus", query)  # Enter submits the form to search.html
    browser.wait_for_navigation()
    browser.wait_for(f"location.pathname.endsWith('/{language}/search.html')")
    # the results are listed one by one; the summary line comes when the last is shown
    results = browser.wait_for("document.querySelector('#search-results p.search-summary')?.innerText && "
                               "[...document.querySelectorAll('#search-results ul.search li > a')].map(a => a.href)")
    assert browser.evaluate("document.documentElement.lang") == language
    shot(browser, f"{language}-search.png")
    assert any(href.split("?")[0].split("#")[0].endswith(f"/{language}/{expected}") for href in results), (
        f"searching {query!r} in the {language} build did not list {expected}: {results}")


@pytest.mark.parametrize("start", ["ko", "en"])
def test_language_switch_leads_to_the_counterpart_and_back(server, browser, start):
    other = "en" if start == "ko" else "ko"
    page = f"{server.url}{start}/{CHAPTER}.html"
    browser.open(page)
    assert browser.evaluate("document.documentElement.lang") == start
    shot(browser, f"{start}-chapter-light.png")
    for here, there in ((start, other), (other, start)):
        browser.events.clear()
        browser.evaluate("document.querySelector('p.language-switch a').click(), true")
        browser.wait_for_navigation()
        location = browser.wait_for(f"location.pathname.endsWith('/{there}/{CHAPTER}.html') && location.href")
        assert browser.evaluate("document.documentElement.lang") == there, f"the switch from {here} leads to {location}"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_figures_stay_legible_in_dark_mode(server, browser, language):
    """In dark mode the theme puts the figures on a light panel; every figure has loaded."""
    browser.open(f"{server.url}{language}/{CHAPTER}.html", dark=True)
    assert browser.evaluate("document.documentElement.dataset.theme") == "dark"
    figures = browser.evaluate("""[...document.querySelectorAll('div.cell_output img')].map(img => {
        const [r, g, b] = getComputedStyle(img).backgroundColor.match(/\\d+/g).map(Number);
        return {loaded: img.complete && img.naturalWidth > 0, light: 0.2126 * r + 0.7152 * g + 0.0722 * b > 160};
    })""")
    assert figures, f"{language}/{CHAPTER}.html shows no figure"
    assert all(f["loaded"] for f in figures), "a figure did not load"
    assert all(f["light"] for f in figures), "in dark mode a figure sits on a dark background"
    browser.evaluate("document.querySelector('div.cell_output img').scrollIntoView({block: 'center'}), true")
    shot(browser, f"{language}-chapter-dark.png")


def test_korean_pages_get_a_korean_font(server, browser):
    fc_list = shutil.which("fc-list")
    has_korean_font = fc_list and subprocess.run([fc_list, ":lang=ko"], capture_output=True, text=True).stdout.strip()
    if has_korean_font:
        pytest.skip("this machine has a Korean system font, so the browser needs no web font")
    browser.cache(enabled=False)  # earlier tests may have loaded the font already
    server.requests.clear()
    browser.open(f"{server.url}ko/data.html")
    browser.cache(enabled=True)
    assert any(path.endswith("NanumGothic-Hangul.woff") for path in server.requests), (
        "a Korean page did not load the Hangul web font: Korean would show as empty boxes")


def test_no_critical_or_serious_accessibility_violations(site, server, browser):
    """axe-core over the root page and every page of both builds: every rule in light mode, and in
    dark mode the rule that depends on the colours (colour contrast)."""
    if not AXE.exists():
        pytest.fail(f"{AXE.relative_to(ROOT)} is missing: `make test` installs it "
                    "(npm ci --prefix tests/browser)")
    axe = AXE.read_text(encoding="utf-8")
    pages = ["index.html"] + sorted(str(p.relative_to(site)) for language in ("ko", "en")
                                    for p in (site / language).glob("*.html"))
    found = []
    for page in pages:
        browser.open(server.url + page)
        browser.evaluate(axe + "\n;true")
        for mode, options in (("light", "{resultTypes: ['violations']}"),
                              ("dark", "{resultTypes: ['violations'], runOnly: ['color-contrast']}")):
            if mode == "dark":  # the same page, the reader's system switched to dark (colours at once)
                browser.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>*, *::before, *::after "
                                 "{transition: none !important; animation: none !important}</style>'), true")
                browser.color_scheme(dark=True)
                browser.wait_for("document.documentElement.dataset.theme === 'dark' || location.pathname.endsWith('/index.html') && !document.querySelector('.bd-main')")
            violations = browser.evaluate(f"""axe.run(document, {options}).then(r =>
                r.violations.filter(v => v.impact === 'critical' || v.impact === 'serious').map(v =>
                    `${{v.impact}} ${{v.id}}: ${{v.help}} -- ` + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))""")
            found += [f"{page} ({mode}): {v}" for v in violations]
    assert not found, "accessibility violations:\n" + "\n".join(found[:40])
