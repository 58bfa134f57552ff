"""A create form submitted a second time: by the Back button and Submit, a reload that resends the
form, or two tabs. Each create form carries a one-time key (a new one each time the form is drawn);
a browser that draws the form again after Back brings a new key with the old, retyped or restored,
details. So a create service also keeps a fingerprint of what was submitted, by whom: the same
details from the same person land on the record they already made, and nothing new is created."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model


def content_key(fields: Mapping[str, Any], items: Sequence[Mapping[str, Any]] = ()) -> str:
    """The fingerprint of a submission: its fields and its items (the people on a contact, say), in
    their order. Values are compared as text (a date and its ISO string are the same); whitespace
    at either end of a text does not count."""

    def plain(value: Any) -> Any:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        return value

    canonical = {
        "fields": {name: plain(value) for name, value in fields.items()},
        "items": [{name: plain(value) for name, value in item.items()} for item in items],
    }
    text = json.dumps(canonical, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


M = TypeVar("M", bound=Model)


def earlier_submission(
    model: type[M], *, by: Model, submission_key: uuid.UUID | None, content: str | Sequence[str]
) -> M | None:
    """The record a submission already made: the same one-time key, or the same content (any of
    these fingerprints) from the same person. `model` has `submission_key`, `content_key` and
    `recorded_by`."""
    records = model._default_manager.all()
    if submission_key is not None:
        found = records.filter(submission_key=submission_key).first()
        if found is not None:
            return found
    keys = [content] if isinstance(content, str) else list(content)
    return records.filter(recorded_by=by, content_key__in=keys).first()


def create_once(
    model: type[M],
    create: Callable[[], M],
    *,
    by: Model,
    submission_key: uuid.UUID | None,
    content: str | Sequence[str],
) -> tuple[M, bool]:
    """`create()` in a savepoint, and True; or, when the insert collides with the same submission
    made a moment earlier (another tab, another process), the record that one made, and False."""
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = earlier_submission(model, by=by, submission_key=submission_key, content=content)
        if existing is None:
            raise
        return existing, False
