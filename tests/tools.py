"""External tools some tests drive: headless Chromium and Microsoft's SARIF Multitool.

A developer without them gets a skip that says how to install them; in CI (the CI variable
is set) a missing tool is a failure, so these tests can never be skipped silently there.
.ci/run installs both.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

from .paths import REPO

MULTITOOL_LOCAL = REPO / ".ci" / "node" / "node_modules" / ".bin" / "sarif-multitool"


def require(tool: str, found: str | None, install: str) -> str:
    """The tool's path, or skip (locally) / fail (in CI) saying how to install it."""
    if found:
        return found
    message = f"{tool} is not installed; {install}"
    if os.environ.get("CI"):
        pytest.fail(f"{message} (CI must run this test, not skip it)")
    pytest.skip(message)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return require("chromium", found, "apt-get install -y chromium (or run .ci/run)")


def sarif_multitool() -> str:
    local = str(MULTITOOL_LOCAL) if MULTITOOL_LOCAL.exists() else None
    found = os.environ.get("SARIF_MULTITOOL") or local or shutil.which("sarif-multitool")
    return require(
        "the SARIF Multitool",
        found,
        "npm install --prefix .ci/node @microsoft/sarif-multitool (or run .ci/run)",
    )


def sarif_schema(multitool: str) -> dict[str, Any]:
    """The SARIF 2.1.0 JSON Schema that ships inside the Multitool's npm package."""
    bin_dir = Path(multitool).resolve().parent
    for candidate in bin_dir.parent.glob("**/sarif-2.1.0.json"):
        loaded: dict[str, Any] = json.loads(candidate.read_text(encoding="utf-8"))
        return loaded
    raise AssertionError(f"no sarif-2.1.0.json next to {multitool}")


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (no network port).

    Used to check what a reader of the HTML report sees: the text as laid out, the size of
    the chart's bars, that no script ran and nothing was fetched.
    """

    TIMEOUT = 60.0

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_read, self._to_browser = os.pipe()
        self._from_browser, from_browser_write = os.pipe()
        # Chromium reads commands on fd 3 and writes replies on fd 4; move our ends out of
        # the way first so the redirections (bash: dash refuses fds above 9) cannot clobber one with the other.
        child_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
        child_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
        os.close(to_browser_read)
        os.close(from_browser_write)
        arguments = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "--window-size=1200,900",
            "about:blank",
        ]
        self._process = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$@" 3<&{child_read} 4>&{child_write}', "bash", *arguments],
            pass_fds=(child_read, child_write),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(child_read)
        os.close(child_write)
        self._next_id = 0
        self._buffer = b""
        self._session: str | None = None

    def __enter__(self) -> Browser:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with contextlib.suppress(Exception):  # already gone is fine
            self.send("Browser.close")
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)

    def send(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if self._session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result

    def _read(self) -> dict[str, Any]:
        deadline = time.monotonic() + self.TIMEOUT
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], 1.0)
            if not ready:
                if time.monotonic() > deadline or self._process.poll() is not None:
                    raise AssertionError("Chromium did not answer")
                continue
            chunk = os.read(self._from_browser, 65536)
            if not chunk:
                raise AssertionError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        loaded: dict[str, Any] = json.loads(message)
        return loaded

    def open(self, url: str) -> None:
        """Open ``url`` in a new tab and wait until it has loaded."""
        target = self.send("Target.createTarget", {"url": url})["targetId"]
        self._session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        deadline = time.monotonic() + self.TIMEOUT
        # A new tab starts on about:blank, which is already "complete": wait for our page.
        check = f"location.href === {json.dumps(url)} && document.readyState === 'complete'"
        while not self.evaluate(check):
            if time.monotonic() > deadline:
                raise AssertionError(f"{url} did not finish loading")
            time.sleep(0.05)

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in reply:
            raise AssertionError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")
