"""A real webhook receiver on 127.0.0.1, in a thread: it checks every signature, deduplicates by
delivery id as a receiver should, and can be slow, broken, or taken down and brought back."""

import http.server
import json
import threading
import time
from collections import Counter

from integrations.webhooks import DELIVERY_HEADER, SIGNATURE_HEADER, verify


class Receiver:
    def __init__(self, secret: str = ""):
        self.secret = secret
        self.mode = "ok"  # ok | fail (500) | garbage (no HTTP at all) | slow
        self.slow_seconds = 3.0
        self.requests = 0
        self.bad_signatures = 0
        self.processed: dict[str, dict] = {}  # delivery id → event, each processed once
        self.seen = Counter()  # delivery id → requests that carried it
        self.lock = threading.Lock()
        self.server = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests += 1
                    mode = receiver.mode
                if mode == "slow":
                    time.sleep(receiver.slow_seconds)
                if mode == "garbage":
                    self.wfile.write(b"this is not HTTP\r\n\r\n")
                    return
                if mode == "fail":
                    self._answer(500, b"Internal error " + b"x" * 5000)
                    return
                if not verify(receiver.secret, self.headers.get(SIGNATURE_HEADER, ""), body):
                    with receiver.lock:
                        receiver.bad_signatures += 1
                    self._answer(400, b"bad signature")
                    return
                delivery = self.headers.get(DELIVERY_HEADER, "")
                with receiver.lock:
                    receiver.seen[delivery] += 1
                    receiver.processed.setdefault(delivery, json.loads(body))
                self._answer(200, b"ok")

            def _answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    def event_types(self) -> list[str]:
        return sorted(event["type"] for event in self.processed.values())
