"""A Django email backend that sends through GOV.UK Notify, the government's messaging service.

Set `EMAIL_BACKEND=safehub.core.notify.NotifyEmailBackend`, `NOTIFY_API_KEY` (or `NOTIFY_API_KEY_FILE`)
and `NOTIFY_EMAIL_TEMPLATE_ID`: the id of an email template in the council's Notify service whose
subject is `((subject))` and whose message is `((body))`. Each recipient of each message is one
request to Notify's `POST /v2/notifications/email`, authenticated by a JSON Web Token (HS256) that
names the service (`iss`) and the time (`iat`) and is signed with the key's secret.

A message with a PDF attached (a GP practice's request form, a referral pack) goes through a second
template, `NOTIFY_FILE_EMAIL_TEMPLATE_ID`, whose message holds `((link_to_file))` as well: Notify keeps
the file and the email carries a link to it, which asks for the recipient's address before the download
(Notify's "send a file by email"). Without that template such a message is refused, never sent without
its file. A calendar entry (a strategy discussion's invitation) cannot go through Notify: it is left out,
and the invitation's words say when and where.

A message counts as sent when Notify accepted it for every recipient (201 Created). Anything else
raises `NotifyError` with Notify's own explanation, unless the backend was opened with
`fail_silently`; the alert worker then leaves the alert unsent and tries again next round.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

PUBLIC_API = "https://api.notifications.service.gov.uk"
SEND_EMAIL = "/v2/notifications/email"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
API_KEY = re.compile(rf"^(?P<name>.+)-(?P<service>{UUID})-(?P<secret>{UUID})$")
TIMEOUT_SECONDS = 10


class NotifyError(OSError):
    """Notify refused a message, or could not be reached (an OSError, as a mail server's refusal is).
    `status` is Notify's HTTP status, None when it could not be reached."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def worth_retrying(self) -> bool:
        """Notify was away, busy or failed itself (429, 5xx, no answer): the same request may succeed
        later. A 400 or 403 is about the request, and will be refused again."""
        return self.status is None or self.status == 429 or self.status >= 500


@dataclass(frozen=True)
class ApiKey:
    service_id: str
    secret: str

    @classmethod
    def parse(cls, key: str) -> ApiKey:
        """A Notify API key is `{key name}-{service id}-{secret}`, the last two UUIDs."""
        match = API_KEY.match(key.strip())
        if match is None:
            raise ImproperlyConfigured(
                "NOTIFY_API_KEY is not a GOV.UK Notify API key: expected the key name, the service id"
                " and the secret, as Notify shows it when the key is made"
            )
        return cls(match["service"], match["secret"])


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def token(key: ApiKey, *, now: float | None = None) -> str:
    """The bearer token for one request: valid for about 30 seconds either side of `now`."""
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    issued = int(time.time() if now is None else now)
    claims = _b64(json.dumps({"iss": key.service_id, "iat": issued}, separators=(",", ":")).encode())
    signing_input = f"{header}.{claims}".encode("ascii")
    signature = _b64(hmac.new(key.secret.encode(), signing_input, hashlib.sha256).digest())
    return f"{header}.{claims}.{signature}"


def _explain(status: int, body: bytes) -> str:
    """Notify's own words for a refusal, from its JSON error body when it sent one."""
    try:
        errors = json.loads(body)["errors"]
        words = "; ".join(f"{e.get('error', '')}: {e.get('message', '')}" for e in errors)
    except (ValueError, KeyError, TypeError, AttributeError):
        words = body[:200].decode("utf-8", "replace")
    return f"GOV.UK Notify answered {status}: {words}"


SEND_LETTER = "/v2/notifications/letter"
NOTIFICATION = "/v2/notifications/{id}"


class NotifyClient:
    """Notify's API for the messages Safehub tracks (letters.delivery): each call returns Notify's
    JSON answer, or raises `NotifyError` with Notify's own words."""

    def __init__(self) -> None:
        key = getattr(settings, "NOTIFY_API_KEY", "")
        if not key:
            raise ImproperlyConfigured("Set NOTIFY_API_KEY to send through GOV.UK Notify")
        self.key = ApiKey.parse(key)
        self.base = getattr(settings, "NOTIFY_BASE_URL", PUBLIC_API).rstrip("/")

    def send_email(self, *, to: str, subject: str, body: str, reference: str) -> dict[str, Any]:
        template = getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "")
        if not re.fullmatch(UUID, template):
            raise ImproperlyConfigured("NOTIFY_EMAIL_TEMPLATE_ID must be the template's id, as Notify shows it")
        payload = {
            "email_address": to,
            "template_id": template,
            "personalisation": {"subject": subject, "body": body},
            "reference": reference,
        }
        return self.call("POST", SEND_EMAIL, payload)

    def send_letter(self, *, pdf: bytes, reference: str) -> dict[str, Any]:
        """A letter Safehub made as a PDF ("precompiled"), which Notify prints and posts (second class)."""
        payload = {"reference": reference, "content": base64.b64encode(pdf).decode("ascii"), "postage": "second"}
        return self.call("POST", SEND_LETTER, payload)

    def notification(self, notification_id: str) -> dict[str, Any]:
        if not re.fullmatch(UUID, notification_id):
            raise NotifyError(f"'{notification_id}' is not a Notify notification id", status=400)
        return self.call("GET", NOTIFICATION.format(id=notification_id), None)

    def call(self, method: str, path: str, payload: dict[str, Any] | None) -> dict[str, Any]:
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured https endpoint
            self.base + path,
            data=json.dumps(payload).encode() if payload is not None else None,
            method=method,
            headers={
                "Authorization": f"Bearer {token(self.key)}",
                "Content-Type": "application/json",
                "User-Agent": "safehub-notify-client",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                body = response.read()
                if response.status not in (200, 201):
                    raise NotifyError(_explain(response.status, body), status=response.status)
        except urllib.error.HTTPError as error:
            raise NotifyError(_explain(error.code, error.read()), status=error.code) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise NotifyError(f"GOV.UK Notify could not be reached: {error}") from error
        try:
            answer = json.loads(body)
        except ValueError as error:
            raise NotifyError("GOV.UK Notify answered with something that is not JSON", status=502) from error
        if not isinstance(answer, dict):
            raise NotifyError("GOV.UK Notify answered with something unexpected", status=502)
        return answer


# The kinds of file Notify sends by email that Safehub attaches; its limit on a file's size.
FILE_TYPES = frozenset({"application/pdf"})
MAX_FILE_BYTES = 2 * 1024 * 1024
# How long Notify keeps a file for the recipient to download (its default: a pack is read in days).
FILE_RETENTION = "26 weeks"


def file_template() -> str:
    template = getattr(settings, "NOTIFY_FILE_EMAIL_TEMPLATE_ID", "")
    if not re.fullmatch(UUID, template):
        raise NotifyError(
            "This email has a file attached, and GOV.UK Notify sends files only through a template with"
            " ((link_to_file)): set NOTIFY_FILE_EMAIL_TEMPLATE_ID to its id. Nothing was sent.",
            status=400,
        )
    return template


def file_to_send(message: EmailMessage) -> dict[str, Any] | None:
    """The message's attached PDF as Notify's "send a file by email" takes it, or None when it has none
    (a calendar entry is no file Notify sends: it is left out). More than one, or too large, is refused."""
    files = []
    for attachment in message.attachments:
        if isinstance(attachment, tuple) and attachment[2] in FILE_TYPES:
            name, content, _ = attachment
            files.append((name, content if isinstance(content, bytes) else str(content).encode()))
    if not files:
        return None
    if len(files) > 1:
        raise NotifyError("GOV.UK Notify sends one file an email, and this one has more. Nothing was sent.", status=400)
    name, content = files[0]
    if len(content) > MAX_FILE_BYTES:
        raise NotifyError(f"{name} is larger than the 2MB GOV.UK Notify sends. Nothing was sent.", status=400)
    return {
        "file": base64.b64encode(content).decode("ascii"),
        "filename": name,
        "confirm_email_before_download": True,
        "retention_period": FILE_RETENTION,
    }


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        key = getattr(settings, "NOTIFY_API_KEY", "")
        self.template_id = getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "")
        if not key or not self.template_id:
            raise ImproperlyConfigured(
                "Set NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID to send email with GOV.UK Notify"
            )
        if not re.fullmatch(UUID, self.template_id):
            raise ImproperlyConfigured("NOTIFY_EMAIL_TEMPLATE_ID must be the template's id, as Notify shows it")
        self.key = ApiKey.parse(key)
        self.url = getattr(settings, "NOTIFY_BASE_URL", PUBLIC_API).rstrip("/") + SEND_EMAIL

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                for recipient in message.recipients():
                    self._post(message, recipient)
            except NotifyError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _post(self, message: EmailMessage, recipient: str) -> None:
        payload: dict[str, Any] = {
            "email_address": recipient,
            "template_id": self.template_id,
            "personalisation": {"subject": message.subject, "body": message.body},
        }
        file = file_to_send(message)
        if file is not None:
            payload["template_id"] = file_template()
            payload["personalisation"]["link_to_file"] = file
        reference = message.extra_headers.get("Message-ID")
        if reference:  # the alert's stable id: the same on every attempt, so a repeat can be traced
            payload["reference"] = reference.strip("<>")
        request = urllib.request.Request(  # noqa: S310 - the URL is the configured https endpoint
            self.url,
            data=json.dumps(payload).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {token(self.key)}",
                "Content-Type": "application/json",
                "User-Agent": "safehub-notify-backend",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                if response.status != 201:
                    raise NotifyError(_explain(response.status, response.read()), status=response.status)
        except urllib.error.HTTPError as error:
            raise NotifyError(_explain(error.code, error.read()), status=error.code) from error
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise NotifyError(f"GOV.UK Notify could not be reached: {error}") from error
