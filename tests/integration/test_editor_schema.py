"""The exported schema as a practitioner's editor shows it: the real yaml-language-server,
driven over the language-server protocol (JSON-RPC on standard input and output)."""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from ..paths import REPO
from ..tools import require

pytestmark = pytest.mark.slow

SCHEMA = REPO / "docs" / "programme.schema.json"
LOCAL = REPO / ".ci" / "node" / "node_modules" / ".bin" / "yaml-language-server"


def server() -> str:
    found = str(LOCAL) if LOCAL.exists() else shutil.which("yaml-language-server")
    return require(
        "yaml-language-server",
        found,
        "npm install --prefix .ci/node yaml-language-server (or run .ci/run)",
    )


class Client:
    TIMEOUT = 30.0

    def __init__(self, binary: str) -> None:
        self.process = subprocess.Popen(
            [binary, "--stdio"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self._buffer = b""
        self._next = 0
        self.notifications: list[dict[str, Any]] = []

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self._next += 1
        self._send({"id": self._next, "method": method, "params": params})
        while True:
            message = self._read()
            if message.get("id") == self._next and "method" not in message:
                return message.get("result")
            self._handle(message)

    def _handle(self, message: dict[str, Any]) -> None:
        if "id" in message and "method" in message:  # a request from the server
            self._send({"id": message["id"], "result": None})
        elif "method" in message:
            self.notifications.append(message)

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        deadline = time.monotonic() + self.TIMEOUT
        while True:
            if b"\r\n\r\n" in self._buffer:
                head, rest = self._buffer.split(b"\r\n\r\n", 1)
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                if len(rest) >= length:
                    self._buffer = rest[length:]
                    loaded: dict[str, Any] = json.loads(rest[:length])
                    return loaded
            ready, _, _ = select.select([fd], [], [], 1.0)
            if time.monotonic() > deadline:
                raise AssertionError(f"yaml-language-server did not answer: {self.notifications}")
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise AssertionError("yaml-language-server exited")
                self._buffer += chunk

    def diagnostics(self, uri: str) -> list[dict[str, Any]]:
        deadline = time.monotonic() + self.TIMEOUT
        while True:
            for message in self.notifications:
                params = message.get("params", {})
                if (
                    message["method"] == "textDocument/publishDiagnostics"
                    and params.get("uri") == uri
                    and params.get("diagnostics")
                ):
                    found: list[dict[str, Any]] = params["diagnostics"]
                    return found
            if time.monotonic() > deadline:
                return []
            self._handle(self._read())

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


DOCUMENT = """\
programme:
  name: Test
target_population:
  age_range: 16
formers:
  used: true
  training:
    provided:{SPACE}
waivers:
  - rule: FRM001
    reason: later
    approved_by: Board
    expires: 1/4/2027
""".format(SPACE=" ")  # a space after "provided:", where the cursor asks for a value


def test_completion_hover_and_diagnostics_speak_to_practitioners(tmp_path: Path) -> None:
    binary = server()
    document = tmp_path / "programme.yaml"
    text = f"# yaml-language-server: $schema={SCHEMA.as_uri()}\n" + DOCUMENT
    document.write_text(text, encoding="utf-8")
    uri = document.as_uri()
    client = Client(binary)
    try:
        client.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": tmp_path.as_uri(),
                "capabilities": {
                    "textDocument": {
                        "completion": {"completionItem": {"snippetSupport": True}},
                        "hover": {"contentFormat": ["markdown", "plaintext"]},
                    }
                },
            },
        )
        client.notify("initialized", {})
        client.notify(
            "workspace/didChangeConfiguration",
            {
                "settings": {
                    "yaml": {
                        "validate": True,
                        "hover": True,
                        "completion": True,
                        "schemas": {SCHEMA.as_uri(): ["/**/*.yaml", "*.yaml"]},
                    }
                }
            },
        )
        client.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        messages = [d["message"] for d in client.diagnostics(uri)]
        # The value after "provided:" (after the modeline, line 8 counted from 0).
        completion = client.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": 8, "character": 14}},
        )
        hover = client.request(
            "textDocument/hover",
            {"textDocument": {"uri": uri}, "position": {"line": 7, "character": 4}},
        )
    finally:
        client.close()
    assert messages, "no diagnostics"
    text = "\n".join(messages)
    assert "YYYY-MM-DD" in text and "RFC3339" not in text, text
    assert "AgeRange" not in text, text
    assert "Age range" in text and "not allowed" not in text, text
    shown = hover["contents"]["value"] if hover else ""
    items = completion["items"] if isinstance(completion, dict) else completion
    labels = [item["label"] for item in items or []]
    # The values to choose from, and only those: absence means "not stated", so the schema
    # offers no null (the template comments out what it does not know instead of leaving it
    # blank).
    assert "true" in labels and "false" in labels, labels
    assert "null" not in labels, labels

    assert shown, hover
    # The section's title once, in words: not "Former training || Former training".
    assert "||" not in shown and "FormerTraining" not in shown, shown
    assert "Former training" in shown, shown
