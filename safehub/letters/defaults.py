"""The words Safehub ships for each template, version 1: plain English, a paragraph for each
outcome. An administrator edits them on the templates page (every edit a new version). The duties
they meet: an acknowledgement within one working day (issue 15); the outcome in writing to the person
who made contact (002 §12: within 48 hours, with how to disagree; 003 App. 4 §10: within one working
day when the threshold is not met); a letter to the family saying a referral was made, what was decided
and which agency will contact them (003 App. 4 §11). A member of the public is thanked and told the
hub acted, not what it decided; the family is never told who made contact. Each GP practice asked for
checks is told the outcome within three working days (Sefton 003 §2.6)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from safehub.decisions.models import Outcome
from safehub.letters.models import Audience, LetterKind


@dataclass(frozen=True)
class Words:
    kind: LetterKind
    audience: Audience
    outcome: str  # "" for any
    subject: str
    body: str


SIGN_OFF = "((sender_name))\n((sender_role)), ((hub_name))"

URGENT_HELP = "If a child is in immediate danger, call 999."

# What the person who made contact is told happens next, for each outcome (a professional).
NEXT_FOR_PROFESSIONAL = {
    Outcome.NO_FURTHER_ACTION: (
        "Children's social care will take no further action at this time. If the family needs support, you"
        " can offer or arrange it through universal services."
    ),
    Outcome.SIGNPOST: (
        "The family's needs can be met by universal or additional services, and we have told them about the"
        " services that can help."
    ),
    Outcome.EARLY_HELP: (
        "We have referred the family to early help. This team will contact the family to offer support:\n\n"
        "((who_will_contact))\n\n"
        "Early help is voluntary: the family chooses whether to take it up."
    ),
    Outcome.SECTION_17_ASSESSMENT: (
        "We have referred the child to children's social care for an assessment of their needs (section 17"
        " of the Children Act 1989). This team will contact the family:\n\n((who_will_contact))"
    ),
    Outcome.CHILDREN_WITH_DISABILITY: (
        "We have referred the child to the children with disability service for an assessment. This team will"
        " contact the family:\n\n((who_will_contact))"
    ),
    Outcome.STRATEGY_DISCUSSION: (
        "We have decided that a strategy discussion is needed to consider whether the child is suffering, or"
        " likely to suffer, significant harm (section 47 of the Children Act 1989). The social worker may"
        " contact you for more information:\n\n((who_will_contact))"
    ),
    Outcome.FORWARD_TO_ALLOCATED_WORKER: (
        "The child already has an allocated worker, and we have sent your information to them:\n\n((who_will_contact))"
    ),
    Outcome.LADO: (
        "We have passed your information to the Local Authority Designated Officer (LADO), who deals with"
        " allegations against people who work with children. The LADO may contact you."
    ),
}

# What the family is told happens next (003 App. 4 §11: "the specific agency who will contact the family").
NEXT_FOR_FAMILY = {
    Outcome.NO_FURTHER_ACTION: (
        "Children's social care will not take any further action. If you would like help or advice, you can"
        " contact us on ((hub_phone))."
    ),
    Outcome.SIGNPOST: (
        "We think services in your area can help you and your family. You do not need to do anything, but if"
        " you would like to know more about them, contact us on ((hub_phone))."
    ),
    Outcome.EARLY_HELP: (
        "We think your family would benefit from early help. This team will contact you to offer support:\n\n"
        "((who_will_contact))\n\n"
        "Early help is voluntary: you can choose whether to take it up."
    ),
    Outcome.SECTION_17_ASSESSMENT: (
        "A social worker will contact you to carry out an assessment of your child's needs and how we can help"
        " (section 17 of the Children Act 1989). They work in this team:\n\n((who_will_contact))"
    ),
    Outcome.CHILDREN_WITH_DISABILITY: (
        "The children with disability service will contact you to carry out an assessment of your child's"
        " needs. They work in this team:\n\n((who_will_contact))"
    ),
    Outcome.STRATEGY_DISCUSSION: (
        "A social worker will contact you to talk about what happens next. They work in this team:\n\n"
        "((who_will_contact))"
    ),
    Outcome.FORWARD_TO_ALLOCATED_WORKER: (
        "We have passed the information to the worker who already works with your family:\n\n((who_will_contact))"
    ),
    Outcome.LADO: (
        "The information was about someone who works with children, and we have passed it to the officer who"
        " deals with such concerns. They may contact you."
    ),
}

PROFESSIONAL_OUTCOME = (
    "Dear ((recipient_name))\n\n"
    "Thank you for your contact about ((children)), which the ((hub_name)) received on ((received_date))"
    " (our reference ((reference))).\n\n"
    "A manager approved our decision on ((decision_date)):\n\n"
    "((outcomes))\n\n"
    "{next}\n\n"
    "If you disagree with the decision, please contact the manager of the MASH first, on ((hub_phone)) or at"
    " ((hub_email)). If we cannot resolve it, your safeguarding partnership's escalation procedure applies.\n\n"
    "If you have new concerns about the child, contact us again. " + URGENT_HELP + "\n\n" + SIGN_OFF
)

PUBLIC_OUTCOME = (
    "Dear ((recipient_name))\n\n"
    "Thank you for telling us about your concern for ((children)) on ((received_date)) (our reference"
    " ((reference))).\n\n"
    "We have looked into what you told us and decided what needs to happen. To protect the family's privacy,"
    " we cannot tell you what we decided or what happens next.\n\n"
    "If you are still worried, or something new happens, please contact us again on ((hub_phone)). "
    + URGENT_HELP
    + "\n\n"
    + SIGN_OFF
)

FAMILY_LETTER = (
    "Dear ((recipient_name))\n\n"
    "Our reference: ((reference))\n\n"
    "On ((received_date)) the ((hub_name)) received information from someone worried about the welfare of"
    " ((children)). This is called a referral. We looked at the information, with other agencies where we"
    " needed to, and a manager decided on ((decision_date)) what should happen next:\n\n"
    "((outcomes))\n\n"
    "{next}\n\n"
    "You can ask to see the information we hold about you and your children. If you disagree with our"
    " decision or want to talk about it, please contact us on ((hub_phone)) or at ((hub_email)).\n\n"
    "Yours sincerely\n\n" + SIGN_OFF
)

# Sent by the worker for whoever recorded the contact, so signed by the hub. It names no child: an
# email address typed wrongly at intake must not carry a child's name to a stranger.
ACKNOWLEDGEMENT = (
    "Dear ((recipient_name))\n\n"
    "The ((hub_name)) received your contact on ((received_date)). Our reference is ((reference)): please"
    " quote it if you contact us about this child again.\n\n"
    "We will look at what you told us and let you know the outcome. If the situation changes, or you learn"
    " something new, contact us on ((hub_phone)). " + URGENT_HELP + "\n\n"
    "The ((hub_name)) team"
)


# 002 §5–6: "A summary of the discussion and advice given will be recorded in the MASH and sent to the
# person who sought the consultation, within 48 hours."
CONSULTATION_SUMMARY = (
    "Dear ((recipient_name))\n\n"
    "Thank you for talking to the ((hub_name)) on ((consultation_date)) about ((child)). This is a summary"
    " of what you asked and the advice we gave.\n\n"
    "What you asked:\n((question))\n\n"
    "Our advice:\n((advice))\n\n"
    "This advice was based on what you told us. If things change, or you are still worried, contact us on"
    " ((hub_phone)). " + URGENT_HELP + "\n\n" + SIGN_OFF
)


# Operation Encompass (Home Office statutory guidance, November 2025): the child, the police's
# reference, when and where, whether the child was there; for the school's designated safeguarding
# lead only, to support the child that day.
ENCOMPASS = (
    "Dear ((recipient_name))\n\n"
    "OPERATION ENCOMPASS: confidential, for the designated safeguarding lead only.\n\n"
    "The police attended a domestic abuse incident at the home of a pupil at ((school_name)):\n\n"
    "Child: ((child)), born ((child_born))\n"
    "When: ((incident_time))\n"
    "Where: ((incident_place))\n"
    "Police reference: ((police_reference))\n"
    "((child_present))\n\n"
    "We are telling you before the start of the school day so that the school can support the child."
    " Keep this information secure and share it only with those who need to know. Do not discuss it with"
    " the family unless you have agreed this with us.\n\n"
    "If you have questions, contact the ((hub_name)) on ((hub_phone)). " + URGENT_HELP + "\n\n"
    "The ((hub_name)) team"
)


# Sefton 003 §2.6: "The GP surgery will expect that MASH health representative advise them of the
# outcome of the contact within three working days, so that the GP surgery can update their safeguarding
# records." The contact's outcome for each child; never who made contact
# nor what any agency answered (the exits gate refuses an agency's words).
GP_OUTCOME = (
    "To the safeguarding lead at ((recipient_name))\n\n"
    "You were asked for information by the ((hub_name)) about a contact it received on ((received_date))"
    " (our reference ((reference))). We are writing to tell you the outcome, so that the practice can"
    " update its safeguarding record for:\n\n"
    "((patients))\n\n"
    "A manager approved this decision on ((decision_date)):\n\n"
    "((outcomes))\n\n"
    "Please keep this information secure, in the child's record only. If you have questions, or new"
    " concerns about the child, contact the ((hub_name)) on ((hub_phone)). " + URGENT_HELP + "\n\n" + SIGN_OFF
)


def shipped() -> list[Words]:
    """Every template Safehub ships, as version 1."""
    words = [
        Words(
            LetterKind.GP_OUTCOME,
            Audience.PROFESSIONAL,
            "",
            "The outcome of a MASH contact: ((reference))",
            GP_OUTCOME,
        ),
        Words(
            LetterKind.ENCOMPASS,
            Audience.SCHOOL,
            "",
            "Operation Encompass: a pupil at ((school_name)), police reference ((police_reference))",
            ENCOMPASS,
        ),
        Words(
            LetterKind.CONSULTATION_SUMMARY,
            Audience.PROFESSIONAL,
            "",
            "Summary of your consultation with the ((hub_name))",
            CONSULTATION_SUMMARY,
        ),
        Words(
            LetterKind.ACKNOWLEDGEMENT,
            Audience.PROFESSIONAL,
            "",
            "We received your contact about a child: ((reference))",
            ACKNOWLEDGEMENT,
        ),
    ]
    for outcome in Outcome:
        words.append(
            Words(
                LetterKind.OUTCOME,
                Audience.PROFESSIONAL,
                outcome.value,
                "The outcome of your contact: ((reference))",
                PROFESSIONAL_OUTCOME.format(next=NEXT_FOR_PROFESSIONAL[outcome]),
            )
        )
        words.append(
            Words(
                LetterKind.OUTCOME,
                Audience.PUBLIC,
                outcome.value,
                "Your contact about a child: ((reference))",
                PUBLIC_OUTCOME,
            )
        )
        words.append(
            Words(
                LetterKind.FAMILY,
                Audience.FAMILY,
                outcome.value,
                "Information we received about your family: ((reference))",
                FAMILY_LETTER.format(next=NEXT_FOR_FAMILY[outcome]),
            )
        )
    return words


def install(template_model: Any, version_model: Any) -> None:
    """Create each shipped template an installation lacks, as version 1; leave the others alone.
    Takes the model classes so that a data migration can pass its historical models."""
    for words in shipped():
        template, created = template_model.objects.get_or_create(
            kind=words.kind.value, audience=words.audience.value, outcome=words.outcome
        )
        if created:
            version_model.objects.create(
                template=template, number=1, subject=words.subject, body=words.body, note="As Safehub ships it"
            )
