"""Headless Chromium driven over the DevTools protocol through a pipe (standard library only).

Chromium started with --remote-debugging-pipe reads protocol commands on its file descriptor 3
and writes replies and events on 4, each a JSON message ended by a NUL byte. This module starts it
with two pipes in those places and offers what the browser tests (tests/test_site_in_browser.py) and
the book's PDF (dlbook.pdf) need: open a page (optionally in dark mode), run JavaScript in it, type
into a field, wait for a condition, take a screenshot, cut the network off, print the page to PDF.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import shutil
import subprocess
import time
from pathlib import Path

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio"]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class BrowserError(RuntimeError):
    pass


# what Runtime.evaluate answers when the page navigates while it runs (seen in CI, session 8)
NAVIGATION_ERRORS = ("Inspected target navigated or closed", "Execution context was destroyed",
                     "Cannot find default execution context")


class Browser:
    def __init__(self, profile: Path, executable: str | None = None):
        executable = executable or chromium_path()
        if not executable:
            raise BrowserError("headless Chromium is missing (apt-get install chromium)")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # copies of the child's ends numbered above 4, so that placing them on 3 and 4 clobbers neither
        high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 5)
        high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 5)

        def place_pipes():
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.process = subprocess.Popen(
            [executable, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            close_fds=False, preexec_fn=place_pipes)
        for fd in (to_browser_r, from_browser_w, high_r, high_w):
            os.close(fd)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        self.send("Page.enable", session=self.session)
        self.send("Runtime.enable", session=self.session)

    # -- the protocol ------------------------------------------------------------------------
    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed its protocol pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method: str, session: str | None = None, timeout: float = 60, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, timeout: float = 60, **params):
        return self.send(method, session=self.session, timeout=timeout, **params)

    # -- what the tests do ---------------------------------------------------------------------
    def color_scheme(self, dark: bool) -> None:
        """What the reader's system prefers (the theme follows it in its default "auto" mode)."""
        self.page("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])

    def cache(self, enabled: bool) -> None:
        """With the cache off, every page load fetches every file again."""
        self.page("Network.enable")
        self.page("Network.setCacheDisabled", cacheDisabled=not enabled)

    def open(self, url: str, dark: bool = False, width: int = 1280, height: int = 1000) -> None:
        """Loads url and waits for its load event (and for web fonts)."""
        self.page("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.color_scheme(dark)
        self.events.clear()
        self.page("Page.navigate", url=url)
        deadline = time.monotonic() + 60
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._read_message(deadline))
        self.evaluate("document.fonts.ready.then(() => true)")

    def evaluate(self, expression: str, timeout: float = 120):
        result = self.page("Runtime.evaluate", timeout=timeout, expression=expression,
                           awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"JavaScript failed: {result['exceptionDetails'].get('exception', {}).get('description') or result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 20):
        """Polls a JavaScript expression until it is truthy; returns its value. A poll that meets the
        page navigating away (the old document's context is gone before the new one exists) counts
        as "not yet": waiting across a navigation is what this is for."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except BrowserError as error:
                if not any(text in str(error) for text in NAVIGATION_ERRORS):
                    raise
                value = None
            if value:
                return value
            time.sleep(0.1)
        raise BrowserError(f"timed out waiting for: {expression}")

    def type_into(self, selector: str, text: str, enter: bool = True) -> None:
        """Focuses the element and types the text as a keyboard would, then presses Enter."""
        self.evaluate(f"document.querySelector({json.dumps(selector)}).focus()")
        self.page("Input.insertText", text=text)
        if enter:
            key = {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13}
            self.page("Input.dispatchKeyEvent", type="keyDown", text="\r", **key)
            self.page("Input.dispatchKeyEvent", type="keyUp", **key)

    def wait_for_navigation(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self.events.append(self._read_message(deadline))

    def screenshot(self, path: Path) -> Path:
        data = self.page("Page.captureScreenshot", format="png")["data"]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def offline(self) -> None:
        """From now on every network request fails (file: URLs still load): nothing printed depends
        on a server being reachable."""
        self.page("Network.enable")
        self.page("Network.emulateNetworkConditions", offline=True, latency=0,
                  downloadThroughput=-1, uploadThroughput=-1)

    def print_to_pdf(self, path: Path, timeout: float = 600, **options) -> Path:
        """The open page as the browser prints it (print media, Page.printToPDF's options)."""
        data = self.page("Page.printToPDF", timeout=timeout, transferMode="ReturnAsBase64", **options)["data"]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(base64.b64decode(data))
        return Path(path)

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=10)
        except BrowserError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
