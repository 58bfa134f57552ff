"""The DASH risk identification checklist's questions as Safehub first holds them: the 24 risk
questions of SafeLives' checklist (2009), put in our own short words. They are data: an administrator
rewords, adds or retires them (Administration → DASH checklist); a notification keeps the words it
was answered with."""

from __future__ import annotations

from typing import Any

FIRST_QUESTIONS: tuple[str, ...] = (
    "Was the victim injured in this incident?",
    "Is the victim very frightened?",
    "Is the victim afraid of what the alleged perpetrator may do next, to them or to others?",
    "Does the victim feel cut off from family or friends?",
    "Is the victim feeling depressed or having thoughts of suicide?",
    "Have they separated, or has the victim tried to, in the last year?",
    "Is there conflict over contact with the children?",
    "Does the alleged perpetrator keep contacting, following, stalking or harassing the victim?",
    "Is the victim pregnant, or have they had a baby in the last 18 months?",
    "Is the abuse happening more often?",
    "Is the abuse getting worse?",
    "Does the alleged perpetrator try to control everything the victim does, or show excessive jealousy?",
    "Has the alleged perpetrator used a weapon or an object to hurt the victim?",
    "Has the alleged perpetrator threatened to kill the victim or someone else?",
    "Has the alleged perpetrator tried to strangle, choke, suffocate or drown the victim?",
    "Does the alleged perpetrator do or say sexual things that hurt or degrade the victim?",
    "Has anyone else threatened or frightened the victim?",
    "Has the alleged perpetrator hurt anyone else: children, relatives, a former partner, a stranger?",
    "Has the alleged perpetrator ever hurt or mistreated an animal or a pet?",
    "Are there money worries, or does the alleged perpetrator depend on the victim financially?",
    "Has the alleged perpetrator had problems with drugs, alcohol or mental health in the last year?",
    "Has the alleged perpetrator threatened or attempted suicide?",
    "Has the alleged perpetrator broken bail, an injunction or an agreement about contact?",
    "Is the alleged perpetrator known to the police, or do they have a criminal record?",
)


def install(question_model: Any) -> None:
    """The questions as first held, where there are none (a hub's own are left alone). Takes the model
    class, so that the data migration can pass its historical one."""
    if question_model.objects.exists():
        return
    question_model.objects.bulk_create(
        [question_model(number=number, text=text) for number, text in enumerate(FIRST_QUESTIONS, start=1)]
    )
