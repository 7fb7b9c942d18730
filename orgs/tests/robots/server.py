"""A fake 企业微信 / 钉钉 robot server on 127.0.0.1 (http.server in a thread, a random port):
it keeps each request it gets and answers as the test tells it."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest


@dataclass
class Received:
    path: str
    query: dict[str, str]
    content_type: str
    body: dict


@dataclass
class FakeRobotServer:
    base: str = ""
    status: int = 200
    reply: dict = field(default_factory=lambda: {"errcode": 0, "errmsg": "ok"})
    received: list[Received] = field(default_factory=list)

    def url(self, path: str = "/cgi-bin/webhook/send?key=KEY-abc123") -> str:
        return f"{self.base}{path}"

    def texts(self) -> list[str]:
        return [r.body["text"]["content"] for r in self.received]


@pytest.fixture
def robot_server():
    fake = FakeRobotServer()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            parts = urlsplit(self.path)
            fake.received.append(
                Received(
                    path=parts.path,
                    query={k: v[0] for k, v in parse_qs(parts.query).items()},
                    content_type=self.headers.get("Content-Type", ""),
                    body=json.loads(self.rfile.read(length).decode("utf-8")),
                )
            )
            answer = json.dumps(fake.reply).encode("utf-8")
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake
    server.shutdown()
    server.server_close()
    thread.join()
