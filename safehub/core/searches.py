"""Searches kept on the server for a short while, so that what was searched for never goes in a web address.

A search form that takes a child's details (a name, a date of birth, an NHS number, a postcode, an
address) posts them. The view keeps what was typed in the user's session under a random id and
redirects to the page's own address with nothing but that id (`?search=Kx3…`): the results, their
other pages and the browser's Back button all work from the id, while access logs, browser history,
bookmarks and the Referer header never see the details (docs/adr/0029-no-childrens-details-in-web-addresses.md).

A search is kept for `SEARCH_KEPT_SECONDS` (an hour unless set) and for the session alone; signing
out forgets every one. A session keeps its `KEPT` most recent searches.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils.http import urlencode

SESSION_KEY = "safehub_searches"
PARAM = "search"
KEPT = 10


def _typed(form: forms.Form) -> dict[str, list[str]]:
    """What was typed into the form's own fields (a date's day, month and year boxes too): not the
    CSRF token, not any other name a request happened to carry."""
    names: list[str] = []
    for bound in form:
        widget = bound.field.widget
        if isinstance(widget, forms.MultiWidget):
            names += [bound.html_name + suffix for suffix in getattr(widget, "widgets_names", [])]
        else:
            names.append(bound.html_name)
    data = form.data
    return {
        name: data.getlist(name) if isinstance(data, QueryDict) else [str(data[name])] for name in names if name in data
    }


def _kept(request: HttpRequest, *, now: float) -> dict[str, dict[str, Any]]:
    """The session's searches still in date, oldest first."""
    kept = request.session.get(SESSION_KEY)
    if not isinstance(kept, dict):
        return {}
    limit = settings.SEARCH_KEPT_SECONDS
    return {
        key: search
        for key, search in kept.items()
        if isinstance(search, dict) and now - float(search.get("at", 0)) <= limit
    }


def keep_search(request: HttpRequest, form: forms.Form, *, page: str) -> str:
    """Keep a valid search's typed values for `page`; the id to put in the results' address."""
    now = time.time()
    kept = _kept(request, now=now)
    key = secrets.token_urlsafe(12)
    kept[key] = {"page": page, "at": now, "data": _typed(form)}
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT:])
    return key


def results_address(path: str, key: str) -> str:
    return f"{path}?{urlencode({PARAM: key})}"


def kept_search(request: HttpRequest, *, page: str) -> QueryDict | None:
    """The search the address's id names, as form data, if this session made it on `page` and it
    is still kept; None otherwise (no id, an old or another session's id: the page says so)."""
    key = request.GET.get(PARAM)
    if not key:
        return None
    search = _kept(request, now=time.time()).get(key)
    if search is None or search.get("page") != page:
        return None
    data = QueryDict(mutable=True)
    for name, values in search["data"].items():
        data.setlist(name, [str(value) for value in values])
    return data


def names_a_search(request: HttpRequest) -> bool:
    """Whether the address carries a search id (kept or not)."""
    return bool(request.GET.get(PARAM))
