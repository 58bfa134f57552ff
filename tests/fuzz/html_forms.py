"""What a browser would send from a page's form: its fields, their kinds and their values as drawn.

The fuzzer starts from this (a user submitting the page as it is), so that every field the page
draws is fuzzed, including ones a target's author did not think of."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, hidden, number, choice (radio/select), multi (checkboxes), file, button
    options: list[str] = field(default_factory=list)
    values: list[str] = field(default_factory=list)  # what the browser sends as the page is drawn


@dataclass
class PageForm:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)
    buttons: dict[str, list[str]] = field(default_factory=dict)  # name -> the values its buttons send

    def as_drawn(self) -> dict[str, list[str]]:
        return {name: list(f.values) for name, f in self.fields.items() if f.values}


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[PageForm] = []
        self._form: PageForm | None = None
        self._select: Field | None = None
        self._option: tuple[str, bool] | None = None
        self._textarea: Field | None = None
        self._textarea_text = ""

    def _add(self, name: str, kind: str) -> Field:
        assert self._form is not None
        existing = self._form.fields.get(name)
        if existing is None:
            existing = self._form.fields[name] = Field(name, kind)
        return existing

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = PageForm(action=a.get("action", ""))
                self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            value = a.get("value", "")
            if kind == "radio":
                f = self._add(name, "choice")
                f.options.append(value)
                if "checked" in a:
                    f.values = [value]
            elif kind == "checkbox":
                f = self._add(name, "multi")
                f.options.append(value or "on")
                if "checked" in a:
                    f.values.append(value or "on")
            elif kind in ("submit", "button", "image"):
                self._form.buttons.setdefault(name, []).append(value)
            elif kind == "file":
                self._add(name, "file")
            else:
                f = self._add(name, "hidden" if kind == "hidden" else "text")
                f.values = [value]
        elif tag == "button" and name:
            self._form.buttons.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select" and name:
            self._select = self._add(name, "multi" if "multiple" in a else "choice")
        elif tag == "option" and self._select is not None:
            self._option = (a.get("value", ""), "selected" in a)
        elif tag == "textarea" and name:
            self._textarea = self._add(name, "textarea")
            self._textarea_text = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select is not None and self._option is not None:
            value, selected = self._option
            self._select.options.append(value)
            if selected or (self._select.kind == "choice" and not self._select.values):
                self._select.values = [value] if self._select.kind == "choice" else [*self._select.values, value]
            self._option = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline that follows <textarea>.
            text = self._textarea_text[1:] if self._textarea_text.startswith("\n") else self._textarea_text
            self._textarea.values = [text]
            self._textarea = None


def post_forms(html: str) -> list[PageForm]:
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def form_posting_to(
    html: str, path: str, *, button: tuple[str, str] | None = None, having: str | None = None
) -> PageForm:
    """The page's POST form whose action is `path` (or empty: the page itself), the one with
    `button` when one is given (a page with several forms posting to one address, one per action),
    and the one with the field `having` when that is given."""
    found = [form for form in post_forms(html) if (urlsplit(form.action).path if form.action else path) == path]
    found = [form for form in found if having is None or having in form.fields]
    if not found:
        raise LookupError(f"No form posting to {path} on the page")
    with_button = [
        form
        for form in found
        if button
        and (
            button[1] in form.buttons.get(button[0], [])
            or (button[0] in form.fields and button[1] in form.fields[button[0]].values)
        )
    ]
    # A button the page does not draw now (lifting a restriction not yet made) is sent all the same.
    return (with_button or found)[0]
