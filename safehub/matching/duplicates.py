"""Duplicate person records: found in batch, decided by a person, merged reversibly. Never automatic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q

from safehub.accounts.models import User
from safehub.audit.models import Verb
from safehub.audit.services import record
from safehub.contacts.models import ContactSubject
from safehub.core.errors import ConcurrentChange, DomainError
from safehub.matching.index import index_people
from safehub.matching.linkage import predict_pairs
from safehub.matching.models import DuplicatePair, Merge, PairStatus
from safehub.matching.permissions import can_review_duplicates
from safehub.matching.services import active_model, index_frame
from safehub.people.models import Involvement, Person, Relationship

REVIEW_THRESHOLD = 0.5


@dataclass(frozen=True)
class FindResult:
    scored: int
    new: int
    already_known: int


def find_duplicates(*, at: datetime, threshold: float = REVIEW_THRESHOLD) -> FindResult:
    """Score the whole index against itself (Splink, DuckDB) and queue new probable pairs for review.

    Pairs already decided stay decided: 'not the same person' is never asked again.
    """
    frame = index_frame()
    if len(frame) < 2:
        return FindResult(0, 0, 0)
    pairs = predict_pairs([frame], active_model(), threshold=threshold)
    found = {(min(int(a), int(b)), max(int(a), int(b))): float(p) for a, b, p in pairs.itertuples(index=False)}
    known = set(DuplicatePair.objects.values_list("left_id", "right_id"))
    new = [
        DuplicatePair(left_id=left, right_id=right, probability=min(probability, 1.0), found_at=at)
        for (left, right), probability in found.items()
        if (left, right) not in known
    ]
    with transaction.atomic():
        DuplicatePair.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
        record(
            Verb.DUPLICATES_FOUND, system_process="find-duplicates", at=at, data={"pairs": len(found), "new": len(new)}
        )
    return FindResult(len(found), len(new), len(found) - len(new))


def _claim(pair: DuplicatePair, *, version: int, by: User, at: datetime, status: PairStatus) -> None:
    if not can_review_duplicates(by):
        raise PermissionDenied
    changed = DuplicatePair.objects.filter(pk=pair.pk, version=version, status=PairStatus.PENDING).update(
        status=status, reviewed_by=by, reviewed_at=at, version=version + 1
    )
    if changed != 1:
        raise ConcurrentChange("pair of records")
    pair.status, pair.version = status, version + 1


@transaction.atomic(durable=True)
def mark_not_same(pair: DuplicatePair, *, by: User, at: datetime, version: int) -> None:
    _claim(pair, version=version, by=by, at=at, status=PairStatus.NOT_SAME)
    record(Verb.NOT_SAME_PERSON, by=by, person=pair.left, at=at, data={"pair": pair.pk, "other": pair.right_id})


def _movable_relationships(merged: Person, kept: Person) -> tuple[list[int], list[int]]:
    """Relationships that can move without duplicating one the kept record has, or relating it to itself."""
    as_person, as_relative = [], []
    existing = set(Relationship.objects.filter(person=kept).values_list("relative_id", "kind"))
    existing_in = set(Relationship.objects.filter(relative=kept).values_list("person_id", "kind"))
    for rel in Relationship.objects.filter(person=merged).exclude(relative=kept):
        if (rel.relative_id, rel.kind) not in existing:
            as_person.append(rel.pk)
    for rel in Relationship.objects.filter(relative=merged).exclude(person=kept):
        if (rel.person_id, rel.kind) not in existing_in:
            as_relative.append(rel.pk)
    return as_person, as_relative


@transaction.atomic(durable=True)
def merge(pair: DuplicatePair, *, keep: Person, by: User, at: datetime, version: int) -> Merge:
    """Fold the other record into `keep`: contacts, involvements and relationships move; nothing is deleted."""
    if keep.pk not in (pair.left_id, pair.right_id):
        raise DomainError("Choose one of the two records to keep", field="keep")
    merged = pair.right if keep.pk == pair.left_id else pair.left
    # The pair first: of two reviewers merging it at once, the second is told it was decided.
    _claim(pair, version=version, by=by, at=at, status=PairStatus.MERGED)
    if Person.objects.filter(pk__in=[keep.pk, merged.pk], merged_into__isnull=False).exists():
        raise DomainError("One of these records has already been merged into another: review that merge first")
    existing_services = set(Involvement.objects.filter(person=keep).values_list("service", "started_on"))
    involvements = [
        i.pk for i in Involvement.objects.filter(person=merged) if (i.service, i.started_on) not in existing_services
    ]
    # Everyone named on a contact, those an amendment removed too: their link moves with the rest.
    subjects = list(ContactSubject.everyone.filter(person=merged).values_list("pk", flat=True))
    unborn = list(Person.objects.filter(mother=merged).values_list("pk", flat=True))
    as_person, as_relative = _movable_relationships(merged, keep)
    Involvement.objects.filter(pk__in=involvements).update(person=keep)
    ContactSubject.everyone.filter(pk__in=subjects).update(person=keep)
    Person.objects.filter(pk__in=unborn).update(mother=keep)
    Relationship.objects.filter(pk__in=as_person).update(person=keep)
    Relationship.objects.filter(pk__in=as_relative).update(relative=keep)
    Person.objects.filter(pk=merged.pk).update(merged_into=keep)
    moved = {
        "involvements": involvements,
        "contact_subjects": subjects,
        "unborn": unborn,
        "relationships_as_person": as_person,
        "relationships_as_relative": as_relative,
    }
    done = Merge.objects.create(pair=pair, kept=keep, merged=merged, merged_by=by, merged_at=at, moved=moved)
    index_people([keep.pk, merged.pk])
    record(
        Verb.PERSONS_MERGED, by=by, person=keep, at=at, data={"merge": done.pk, "merged": merged.pk, **_counts(moved)}
    )
    return done


def _counts(moved: dict[str, list[int]]) -> dict[str, int]:
    return {kind: len(ids) for kind, ids in moved.items()}


@transaction.atomic(durable=True)
def unmerge(done: Merge, *, by: User, at: datetime) -> None:
    """Undo a merge exactly: every moved link goes back, both records are separate again."""
    if not can_review_duplicates(by):
        raise PermissionDenied
    claimed = Merge.objects.filter(pk=done.pk, undone_at__isnull=True).update(undone_by=by, undone_at=at)
    if claimed != 1:
        raise DomainError("This merge has already been undone")
    kept, merged, moved = done.kept, done.merged, done.moved
    if Person.objects.filter(Q(merged_into=merged) | Q(pk=kept.pk, merged_into__isnull=False)).exists():
        raise DomainError("A later merge involves these records: undo that one first")
    Involvement.objects.filter(pk__in=moved["involvements"]).update(person=merged)
    ContactSubject.everyone.filter(pk__in=moved["contact_subjects"]).update(person=merged)
    Person.objects.filter(pk__in=moved["unborn"]).update(mother=merged)
    Relationship.objects.filter(pk__in=moved["relationships_as_person"]).update(person=merged)
    Relationship.objects.filter(pk__in=moved["relationships_as_relative"]).update(relative=merged)
    Person.objects.filter(pk=merged.pk).update(merged_into=None)
    pair = done.pair
    DuplicatePair.objects.filter(pk=pair.pk).update(
        status=PairStatus.PENDING, reviewed_by=None, reviewed_at=None, version=pair.version + 1
    )
    index_people([kept.pk, merged.pk])
    record(
        Verb.PERSONS_UNMERGED, by=by, person=kept, at=at, data={"merge": done.pk, "merged": merged.pk, **_counts(moved)}
    )
