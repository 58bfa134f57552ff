"""A stand-in for GOV.UK Notify's API on this machine, as the `notify` fixture (a pytest plugin,
named in the root conftest.py): it checks each request's token, records what it was sent and
answers with `status`. While the fixture is active, Django sends email through Notify to it."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings

SERVICE = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
KEY = f"safehub_test-{SERVICE}-{SECRET}"
TEMPLATE = "f33517ff-2a88-4f6e-b855-c550268ce08a"
FILE_TEMPLATE = "0b7e6f43-2f4c-4c55-9d0e-3f3f1c2b9a11"


@dataclass
class FakeNotify:
    """Answers like Notify: checks the token, records what it was sent, replies with `status`."""

    url: str = ""
    status: int = 201
    received: list[dict[str, Any]] = field(default_factory=list)
    letters: list[dict[str, Any]] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)
    # What `GET /v2/notifications/{id}` answers, by id (a message's delivery status).
    statuses: dict[str, str] = field(default_factory=dict)


def _valid(bearer: str) -> bool:
    header, claims, signature = bearer.split(".")
    expected = hmac.new(SECRET.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    given = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    body = json.loads(base64.urlsafe_b64decode(claims + "=" * (-len(claims) % 4)))
    return hmac.compare_digest(expected, given) and body["iss"] == SERVICE and abs(body["iat"] - time.time()) < 30


@pytest.fixture
def notify() -> Iterator[FakeNotify]:
    fake = FakeNotify()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            found = self.path.removeprefix("/v2/notifications/")
            if not _valid(bearer) or found not in fake.statuses:
                self._answer(
                    404, {"status_code": 404, "errors": [{"error": "NoResultFound", "message": "No result found"}]}
                )
                return
            self._answer(200, {"id": found, "status": fake.statuses[found]})

        def _answer(self, status: int, reply: dict[str, Any]) -> None:
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            fake.tokens.append(bearer)
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            known = self.path in ("/v2/notifications/email", "/v2/notifications/letter")
            status = fake.status if _valid(bearer) and known else 403
            if status == 201:
                kept = fake.received if self.path.endswith("email") else fake.letters
                kept.append(body)
                number = len(fake.received) + len(fake.letters)
                reply: dict[str, Any] = {
                    "id": f"{number:08d}-0000-4000-8000-000000000000",
                    "reference": body.get("reference"),
                }
            else:
                message = "Exceeded rate limit for key type LIVE" if status == 429 else "Invalid token"
                reply = {"status_code": status, "errors": [{"error": "SomeError", "message": message}]}
            self._answer(status, reply)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with override_settings(
            EMAIL_BACKEND="safehub.core.notify.NotifyEmailBackend",
            NOTIFY_API_KEY=KEY,
            NOTIFY_EMAIL_TEMPLATE_ID=TEMPLATE,
            NOTIFY_FILE_EMAIL_TEMPLATE_ID=FILE_TEMPLATE,
            NOTIFY_BASE_URL=fake.url,
        ):
            yield fake
    finally:
        server.shutdown()
        server.server_close()
