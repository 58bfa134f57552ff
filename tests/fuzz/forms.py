"""Every Django form class in Safehub, found by walking the package, and what each needs to be built."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from typing import Any

from django import forms
from django.test import RequestFactory

import safehub
from safehub.accounts.models import Agency, User
from safehub.contacts.amendment_forms import ADD_REASON
from safehub.domestic_abuse.rules import Question
from safehub.letters.models import Channel
from safehub.meetings.models import ItemDecision
from safehub.onward.models import ReceivingTeam
from safehub.protocols.models import ThresholdLevel
from safehub.screening.models import ScreeningRoute

NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)

# What each keyword a form's constructor asks for is given: a new form asking for another keyword
# fails test_every_form_can_be_built until it is named here.
BUILDERS: dict[str, Callable[[], Any]] = {
    "at": lambda: NOW,
    "today": lambda: NOW.date(),
    "staff": lambda: User.objects.all(),
    "coordinators": lambda: User.objects.all(),
    "agencies": lambda: Agency.objects.all(),
    "always_checked": lambda: list(Agency.objects.all()[:1]),
    "choices": lambda: [("new", "A new record"), ("1", "Someone")],
    "unlikely": lambda: True,
    "routes": lambda: list(ScreeningRoute),
    "levels": lambda: ThresholdLevel.objects.all(),
    "children": list,
    "recommended": list,
    "forwardable": list,
    "people": list,
    "reason": lambda: ADD_REASON,
    "keep_choices": lambda: [("1", "Keep the first"), ("2", "Keep the second")],
    "groups": list,
    "services_known": lambda: False,
    "for_gp_practice": lambda: True,
    "restricted": lambda: True,
    "user": lambda: User.objects.order_by("pk").first() or User.objects.create(username="fuzz.user"),
    "workers": lambda: list(User.objects.all()),
    "invitations": list,
    "owners": list,
    "decisions": lambda: tuple(ItemDecision),
    "questions": lambda: [Question(1, "Was the victim injured in this incident?")],
    "channels": lambda: list(Channel),  # how a letter or message may be sent (letters)
    # The teams a referral pack may go to (onward): one in Safehub and one by email.
    "teams": lambda: [
        ReceivingTeam(pk=1, name="Assessment team 1", outcomes=["section_17_assessment"], team_id=1),
        ReceivingTeam(pk=2, name="Family Wellbeing service", outcomes=["early_help"], email="fws@example.gov.uk"),
    ],
    "members": lambda: [
        (1, "Example Police")
    ],  # a strategy discussion's invitees: their boxes are fuzzed through the page (targets_strategy)
}
# Positional arguments before the data (Django's AuthenticationForm takes the request first).
POSITIONAL: dict[str, Callable[[], Any]] = {"request": lambda: RequestFactory().post("/")}
_SKIPPED_MODULES = (".tests", ".migrations", ".management", ".benchmarks", ".demo", ".synthetic")


def _modules() -> Iterator[str]:
    for module in pkgutil.walk_packages(safehub.__path__, "safehub."):
        if not any(part in module.name for part in _SKIPPED_MODULES):
            yield module.name


def form_classes() -> list[type[forms.BaseForm]]:
    """Every concrete form class Safehub defines (abstract bases and model forms without a model left out)."""
    for name in _modules():
        importlib.import_module(name)
    found: set[type[forms.BaseForm]] = set()
    pending: list[type[forms.BaseForm]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("safehub.") and _concrete(sub):
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _concrete(cls: type[forms.BaseForm]) -> bool:
    if issubclass(cls, forms.ModelForm):
        return getattr(getattr(cls, "_meta", None), "model", None) is not None
    return bool(cls.base_fields) or cls.__init__ is not forms.BaseForm.__init__


def needs(cls: type[forms.BaseForm]) -> tuple[list[str], list[str]]:
    """The positional arguments before `data`, and the arguments without a default given by name
    (keyword-only, or before the data like SetPasswordForm's `user`), of the form's constructors
    (each class in its MRO may add some)."""
    positional: list[str] = []
    keywords: list[str] = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None or not klass.__module__.startswith(("safehub.", "django.contrib.auth")):
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind is parameter.KEYWORD_ONLY and parameter.default is parameter.empty:
                keywords.append(parameter.name)
            elif parameter.kind is parameter.POSITIONAL_OR_KEYWORD and parameter.name in POSITIONAL:
                if parameter.name not in positional:
                    positional.append(parameter.name)
            elif (
                parameter.kind is parameter.POSITIONAL_OR_KEYWORD
                and parameter.default is parameter.empty
                and parameter.name != "self"
            ):  # asked for before the data, as Django's SetPasswordForm asks for its user: given by name
                keywords.append(parameter.name)
    return positional, sorted(set(keywords))


def build(cls: type[forms.BaseForm], data: Any = None, files: Any = None) -> forms.BaseForm:
    positional, keywords = needs(cls)
    args = [POSITIONAL[name]() for name in positional]
    kwargs = {name: BUILDERS[name]() for name in keywords}
    return cls(*args, data=data, files=files, **kwargs)


def sent_names(form: forms.BaseForm) -> list[str]:
    """The names a browser sends the form's fields under (a date's day, month and year apart)."""
    names: list[str] = []
    for name, field in form.fields.items():
        html = form.add_prefix(name)
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            names.extend(f"{html}{suffix}" for suffix in widget.widgets_names)
        else:
            names.append(html)
    return names
