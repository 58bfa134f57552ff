"""Training and activating matcher models, and the model the search scores with."""

from __future__ import annotations

import json
import logging
import time
from datetime import datetime
from functools import cache
from pathlib import Path

import pandas as pd
from django.db import transaction
from django.db.models import Max

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.matching.features import COLUMNS
from safehub.matching.model import MatchModel
from safehub.matching.models import MatcherModel, PersonIndexEntry
from safehub.matching.training import train

log = logging.getLogger(__name__)
DEFAULT_MODEL = Path(__file__).with_name("data") / "default_model.json"
MINIMUM_PEOPLE = 200


@cache
def _default_model() -> MatchModel:
    return MatchModel.from_json(json.loads(DEFAULT_MODEL.read_text(encoding="utf-8")))


def shipped_model() -> MatchModel:
    """The model shipped with Safehub, trained on a generated population: used until the hub trains its own."""
    return _default_model()


@cache
def _stored_model(version: int) -> MatchModel:
    try:
        return MatchModel.from_json(MatcherModel.objects.get(version=version).parameters)
    except ValueError as error:
        # Trained by an earlier version of Safehub whose comparisons differ: the search keeps working
        # with the shipped model until the hub trains again.
        log.warning("Matcher version %s cannot be used (%s); using the model shipped with Safehub", version, error)
        return _default_model()


def active_model() -> MatchModel:
    """The active trained model; before the hub has trained one, or when the active one was trained by an
    earlier version of Safehub with other comparisons, the model shipped with Safehub."""
    version = MatcherModel.objects.filter(is_active=True).values_list("version", flat=True).first()
    return _stored_model(version) if version is not None else _default_model()


def index_frame() -> pd.DataFrame:
    """The person index as a feature table for Splink."""
    rows = []
    for person_id, features in PersonIndexEntry.objects.values_list("person_id", "features").iterator(chunk_size=5000):
        rows.append({"unique_id": person_id, **features})
    return pd.DataFrame(rows, columns=["unique_id", *COLUMNS])


def train_and_activate(*, by: User | None, at: datetime, relatives_rule: bool = True) -> MatcherModel:
    """Train on the whole person index, store the result as the next version and make it active."""
    frame = index_frame()
    if len(frame) < MINIMUM_PEOPLE:
        raise ValueError(
            f"The person index holds {len(frame)} people; training needs at least {MINIMUM_PEOPLE}."
            " Until then the search uses the model shipped with Safehub."
        )
    started = time.perf_counter()
    model = train([frame], relatives_rule=relatives_rule)
    seconds = time.perf_counter() - started
    with transaction.atomic():
        version = (MatcherModel.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        MatcherModel.objects.filter(is_active=True).update(is_active=False)
        stored = MatcherModel.objects.create(
            version=version,
            trained_at=at,
            trained_by=by,
            records=len(frame),
            seconds=seconds,
            parameters=model.to_json(),
            is_active=True,
        )
        record(
            Verb.MATCHER_TRAINED,
            by=by,
            system_process="" if by else "train-matcher",
            at=at,
            data={"version": version, "records": len(frame)},
        )
    return stored
