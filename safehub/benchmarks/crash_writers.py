"""The crash harness's writers (`crash_harness`): threads that behave like browsers sending forms to
Safehub. Each draws a form (which carries a one-time key), sends it, and when no acknowledgement comes
(the connection dropped, a 5xx, no answer within its patience, or a hang-up it makes itself on a share
of sendings) sends the very same form again, until one does. A write is acknowledged when the server
says so: a contact's redirect to its page, or the partner's page saying the response was submitted.
The negative control draws a new form (a new key) each time it sends again, and names the attempt in
the narrative; it hangs up on its first sending of each form, and writes on after the chaos, if it
must, until it has CONTROL_WRITES acknowledged writes.
"""

from __future__ import annotations

import http.client
import random
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from safehub.benchmarks.crash_data import NARRATIVE

LONDON = ZoneInfo("Europe/London")
SESSION_COOKIE = "sessionid"
CONTACT_PATH = "/contacts/new/"
CONTACT_PAGE = re.compile(r"^(?:http://[^/]+)?/contacts/(\d+)/$")
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
SUBMITTED = ("Response submitted", "Your response had already been submitted")
ANSWERED_BY_SOMEONE_ELSE = "This request has already been answered"
# Acknowledged writes the negative control makes at least, writing on after the chaos if need be.
CONTROL_WRITES = 3


@dataclass
class Tally:
    """What the writers saw."""

    acknowledged: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> marker -> attempts
    unacknowledged: dict[str, list[str]] = field(default_factory=dict)  # kind -> markers given up at the end
    refused: list[str] = field(default_factory=list)  # answers the server said someone else made, forms refused
    attempts: int = 0
    failures: dict[str, int] = field(default_factory=dict)  # why an attempt was not acknowledged -> how often
    answered_in: list[float] = field(default_factory=list)  # seconds each answered POST took
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def ack(self, kind: str, marker: str, attempts: int) -> None:
        with self.lock:
            self.acknowledged.setdefault(kind, {})[marker] = attempts

    def give_up(self, kind: str, marker: str) -> None:
        with self.lock:
            self.unacknowledged.setdefault(kind, []).append(marker)

    def failed(self, why: str) -> None:
        with self.lock:
            self.failures[why] = self.failures.get(why, 0) + 1

    def tried(self) -> None:
        with self.lock:
            self.attempts += 1

    def took(self, seconds: float) -> None:
        with self.lock:
            self.answered_in.append(seconds)


class NoAnswerError(Exception):
    """The server gave no usable answer: the connection dropped or timed out, or it answered 5xx."""


@dataclass(frozen=True)
class Page:
    status: int
    location: str
    text: str


class Browser:
    """Just enough of a browser: cookies kept and sent back, a form's hidden fields read, patience."""

    def __init__(self, port: int, cookie: str, *, patience: float) -> None:
        self.port, self.patience = port, patience
        self.cookies = {SESSION_COOKIE: cookie}

    def request(self, method: str, path: str, fields: dict[str, Any] | None = None, *, drop: bool = False) -> Page:
        """Send the request and read the answer; with `drop`, hang up as soon as it is sent (the
        server still gets it all, and carries on: only the acknowledgement is lost)."""
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.patience)
        try:
            connection.request(method, path, body=body, headers=headers)
            if drop:
                raise NoAnswerError("dropped as sent")
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
            self._keep_cookies(response)
        except (OSError, http.client.HTTPException) as error:
            raise NoAnswerError(type(error).__name__) from None
        finally:
            connection.close()
        if response.status >= 500:
            raise NoAnswerError(f"HTTP {response.status}")
        return Page(response.status, response.getheader("Location", ""), text)

    def _keep_cookies(self, response: http.client.HTTPResponse) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.coded_value

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields of the form on `path` (its CSRF token, one-time key, version)."""
        page = self.request("GET", path)
        if page.status != 200:
            raise NoAnswerError(f"drawing the form: HTTP {page.status}")
        hidden = dict(HIDDEN.findall(page.text))
        if "csrfmiddlewaretoken" not in hidden:
            raise NoAnswerError("drawing the form: no CSRF token on the page")
        return hidden


def contact_fields(hidden: dict[str, str], narrative: str) -> dict[str, Any]:
    """A contact as a social worker types it: received a minute ago, one child."""
    received = datetime.now(LONDON)
    return {
        "csrfmiddlewaretoken": hidden["csrfmiddlewaretoken"],
        "submission_key": hidden.get("submission_key", ""),
        "received_on_0": str(received.day),
        "received_on_1": str(received.month),
        "received_on_2": str(received.year),
        "received_time": "00:00",
        "channel": "phone",
        "source": "2A",
        "referrer_kind": "professional",
        "referrer_name": "Harness referrer",
        "referrer_role": "Designated safeguarding lead",
        "referrer_agency": "Harness primary school",
        "concern_categories": ["neglect"],
        "narrative": narrative,
        "immediate_protection": "no",
        "parents_aware": "yes",
        "parents_agree": "yes",
        "consent": "given",
        "person-TOTAL_FORMS": "1",
        "person-INITIAL_FORMS": "0",
        "person-MIN_NUM_FORMS": "1",
        "person-MAX_NUM_FORMS": "20",
        "person-0-role": "child",
        "person-0-kind": "child",
        "person-0-given_name": "Mia",
        "person-0-family_name": "Harness",
        "person-0-sex": "female",
        "person-0-date_of_birth_0": "17",
        "person-0-date_of_birth_1": "5",
        "person-0-date_of_birth_2": "2016",
        "person-0-postcode": "B1 1AA",
        "person-0-nhs_number": "",
    }


@dataclass
class Writers:
    port: int
    run: str
    tally: Tally
    patience: float
    drop: float
    seed: int
    stop: threading.Event
    deadline: list[float]  # set when the chaos ends: the moment writers give up on a last write

    def _keep_trying(self) -> bool:
        return not self.deadline or time.monotonic() < self.deadline[0]

    def _pause(self, rng: random.Random) -> None:
        time.sleep(rng.uniform(0.1, 0.5))

    def contacts(self, name: str, cookie: str, *, with_key: bool) -> None:
        kind = "contact" if with_key else "negative"
        browser = Browser(self.port, cookie, patience=self.patience)
        rng = random.Random(f"{self.seed}-{name}")  # noqa: S311 - timing jitter, not security
        number = acknowledged = 0
        # The negative control goes on past the chaos, if it must, until it has a few writes to show.
        while not self.stop.is_set() or (not with_key and acknowledged < CONTROL_WRITES):
            number += 1
            marker = f"{name}-{number}"
            narrative = NARRATIVE.format(run=self.run, marker=marker)
            fields: dict[str, Any] | None = None
            attempts = 0
            while True:
                if not self._keep_trying():
                    self.tally.give_up(kind, marker)
                    return
                try:
                    if fields is None:
                        fields = contact_fields(browser.form(CONTACT_PATH), narrative)
                    attempts += 1
                    self.tally.tried()
                    sent = time.monotonic()
                    # The negative control measures what sending again without the key does, so each
                    # of its writes is sent again: the first sending's answer is never read.
                    drop = (not with_key and attempts == 1) or rng.random() < self.drop
                    page = browser.request("POST", CONTACT_PATH, fields, drop=drop)
                    self.tally.took(time.monotonic() - sent)
                except NoAnswerError as error:
                    self.tally.failed(str(error))
                    if not with_key and fields is not None:
                        # No key to send again: draw the form afresh and say which attempt this is.
                        fields = None
                        narrative = NARRATIVE.format(run=self.run, marker=marker) + f" Attempt {attempts + 1}."
                    self._pause(rng)
                    continue
                if page.status == 302 and CONTACT_PAGE.match(page.location):
                    self.tally.ack(kind, marker, attempts)
                    acknowledged += 1
                    break
                self.tally.refused.append(f"{marker}: HTTP {page.status} {_first_error(page.text)}")
                break

    def answers(self, name: str, cookie: str, requests: list[int]) -> None:
        browser = Browser(self.port, cookie, patience=self.patience)
        rng = random.Random(f"{self.seed}-{name}")  # noqa: S311 - timing jitter, not security
        for request in requests:
            if self.stop.is_set():
                return
            path = f"/checks/requests/{request}/"
            marker = str(request)
            fields: dict[str, Any] | None = None
            attempts = 0
            while True:
                if not self._keep_trying():
                    self.tally.give_up("answer", marker)
                    return
                try:
                    if fields is None:
                        hidden = browser.form(path)
                        fields = {
                            **{k: hidden[k] for k in ("csrfmiddlewaretoken", "version", "submission_key")},
                            "information": f"Crash harness {self.run}: known to the police (request {request}).",
                            "sources_searched": "Niche",
                            "action": "submit",
                        }
                    attempts += 1
                    self.tally.tried()
                    sent = time.monotonic()
                    page = browser.request("POST", path, fields, drop=rng.random() < self.drop)
                    self.tally.took(time.monotonic() - sent)
                    if page.status == 302:
                        page = browser.request("GET", page.location)
                except (NoAnswerError, KeyError) as error:
                    self.tally.failed(str(error) if isinstance(error, NoAnswerError) else "drawing the form: no key")
                    self._pause(rng)
                    continue
                if any(words in page.text for words in SUBMITTED):
                    self.tally.ack("answer", marker, attempts)
                    break
                why = ANSWERED_BY_SOMEONE_ELSE if ANSWERED_BY_SOMEONE_ELSE in page.text else _first_error(page.text)
                self.tally.refused.append(f"request {request}: HTTP {page.status} {why}")
                break


def _first_error(text: str) -> str:
    found = re.search(r'class="govuk-error-message">(.*?)</', text, re.DOTALL)
    return " ".join(found.group(1).split())[:200] if found else ""
