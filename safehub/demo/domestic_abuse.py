"""The demo hub's police domestic-abuse notifications, each with the incident and the risk assessment
police sent, recorded through the real service: mostly DASH checklists (a few at or over the MARAC
threshold, some referred on professional judgement), some DARA levels and grades only."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta

from safehub.accounts.models import User
from safehub.contacts.models import CHILD_ROLES, Contact, ContactSubject, SubjectRole, YesNoUnknown
from safehub.domestic_abuse import rules, services
from safehub.domestic_abuse.models import Assessment, MaracBasis, RiskLevel
from safehub.synthetic.year import walked

PLACES = ("The family home", "Outside the family home", "A relative's home", "A car park near the home", "The street")
JUDGEMENTS = (
    "Third police call-out in two months: the abuse is escalating",
    "The victim is pregnant and the alleged perpetrator has just been released from custody",
    "The officer's professional judgement: the victim minimised what happened",
)


def _victim(subjects: list[ContactSubject]) -> ContactSubject | None:
    adults = [s for s in subjects if s.role not in CHILD_ROLES]
    mothers = [s for s in adults if s.is_mother]
    chosen = mothers or adults
    return chosen[0] if chosen else None


def _details(
    contact: Contact, rng: random.Random, questions: list[rules.Question], *, judge: bool = False
) -> rules.Details | None:
    """The notification police sent; `judge`: a checklist just under the threshold is referred on the
    officer's judgement (the demo shows one at least), else about one such in three is."""
    subjects = list(contact.subjects.all())
    victim = _victim(subjects)
    if victim is None:
        return None  # police named no adult: the hub records it when they do
    others = [s for s in subjects if s.role not in CHILD_ROLES and s.pk != victim.pk]
    perpetrators = [s for s in others if s.role == SubjectRole.ALLEGED_PERPETRATOR] or others
    kind = rng.choices([Assessment.DASH, Assessment.DARA, Assessment.GRADE], [7, 2, 1])[0]
    answers: dict[int, str] = {}
    if kind == Assessment.DASH:
        # Most checklists are well under the threshold; about one in six reaches it.
        yes = rng.choice([rng.randint(0, 9), rng.randint(0, 9), rng.randint(5, 13), rng.randint(14, 20)])
        chosen = set(rng.sample([q.number for q in questions], k=min(yes, len(questions))))
        answers = {
            q.number: YesNoUnknown.YES
            if q.number in chosen
            else rng.choices([YesNoUnknown.NO, YesNoUnknown.UNKNOWN], [5, 1])[0]
            for q in questions
        }
    level = "" if kind == Assessment.DASH else rng.choices(list(RiskLevel), [4, 3, 2])[0]
    judgement = kind == Assessment.DASH and 9 <= rules.dash_score(answers) < 14 and (judge or rng.random() < 0.3)
    return rules.Details(
        police_reference=f"DP-{contact.received_at:%Y%m%d}-{contact.pk:05d}",
        incident_at=contact.received_at - timedelta(hours=rng.randint(2, 30)),
        place=rng.choice(PLACES),
        victim=victim.pk,
        perpetrator=perpetrators[0].pk if perpetrators and rng.random() < 0.9 else None,
        children_present={
            s.pk: rng.choices(list(YesNoUnknown), [5, 2, 1])[0] for s in subjects if s.role in CHILD_ROLES
        },
        assessment=kind,
        risk_level=level,
        answers=answers,
        refer_on_judgement=judgement,
        rationale=rng.choice(JUDGEMENTS) if judgement else "",
    )


def add_domestic_abuse_notifications(*, officers: list[User], rng: random.Random, now: datetime) -> Counter[str]:
    """Record each police domestic-abuse notification's incident and risk assessment, within the hour it
    arrived (a few the demo leaves to be recorded). Returns how many of each assessment."""
    questions = services.questions_in_use()
    made: Counter[str] = Counter()
    contacts = walked(Contact.objects.filter(domestic_abuse__isnull=True)).order_by("received_at", "pk")
    for contact in contacts.prefetch_related("subjects"):
        if not services.is_notification(contact) or rng.random() < 0.1:
            continue
        details = _details(contact, rng, questions, judge=not made[MaracBasis.JUDGEMENT])
        recorded = contact.received_at + timedelta(minutes=rng.randint(10, 50))
        if details is None or recorded > now:
            continue
        notification = services.record_notification(
            contact, details, by=rng.choice(officers), at=recorded, version=None
        )
        made[notification.assessment] += 1
        made["marac"] += bool(notification.marac_basis)
        if notification.marac_basis == MaracBasis.JUDGEMENT:
            made[MaracBasis.JUDGEMENT] += 1
    return made
