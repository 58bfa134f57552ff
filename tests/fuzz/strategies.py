"""What the fuzzer sends: the page as drawn, valid variations of it, and hostile values in any field.

A payload is a mapping of field name to the list of values sent under it (several values are a
repeated key; bytes are an uploaded file). About half the payloads change only what a careful user
could (another option, other words in a text box), so that a good share of them get past
validation and reach the services; the rest put hostile values in one to three fields, drop
fields, repeat them or add fields the page never drew."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from hypothesis import strategies as st

from tests.fuzz.html_forms import Field

Payload = dict[str, list[str | bytes]]

# Text a browser can send: any character but the lone surrogates UTF-8 cannot carry.
ANY_TEXT = st.characters(exclude_categories=("Cs",))
# Words a careful user types, oddities included (accents, scripts, emoji, marks), without control characters.
SAFE_TEXT = st.characters(exclude_categories=("Cs", "Cc"))

ODD_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "99999999999999999999",  # twenty nines: a day or month too big for any calendar
    "99999999999999999999/12/2026 Closure",  # the same in a date typed on a line
    "²/12/2026",
    "-99999999999999999999",
    "9" * 40,
    "-1",
    "0",
    "00",
    "1",
    "2",
    "3",
    "5",
    "21",
    "1000",
    "²",  # a digit to str.isdigit(), but not to int()
    "³²",
    "2026²",
    "１２",  # fullwidth digits: int() reads them
    "٣",
    "１９９９",
    "12.5",
    "1e309",
    "NaN",
    "inf",
    "-0",
    "0x1F",
    "1_000",
    " 12 ",
    "13",
    "31",
    "32",
    "29",
    "0000",
    "9999",
    "10000",
    "00:00",
    "23:59",
    "24:00",
    "99:99",
    "<script>alert(1)</script>",
    "'; DROP TABLE x;--",
    "%s%s%n",
    "{{ request }}",
    "\u202eevil",
    "\u200b",
    "e\u0301",
    "👩‍👩‍👧",
    "\r\n",
    "\n\n\n",
    "ﬀ",
    "İ",
    "ß",
    "\ufeff",
    "true",
    "on",
    "None",
    "[]",
    "{}",
    "a@b",
    "@",
    "http://example.com/",
    "//example.com",
    "/\\example.com",
]

NASTY: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(alphabet=ANY_TEXT, max_size=40),
    st.sampled_from([1_001, 10_001, 131_073, 200_000]).map(lambda n: "x" * n),
)

NASTY_FILE: st.SearchStrategy[bytes] = st.one_of(
    st.binary(max_size=200),
    st.text(alphabet=ANY_TEXT, max_size=200).map(lambda s: s.encode("utf-8")),
    st.sampled_from([b"", b"\xff\xfe\x00", b"a,b\n" + b"x" * 140_000 + b"\n", b'"unclosed\n']),
)

_STRUCTURED = re.compile(r"^[\d\s:./\-+]*$|@|^[A-Z]{1,2}\d")  # numbers, dates, times, ids, emails, postcodes


def free_text(values: list[str]) -> bool:
    """Whether a text box holds words a user may change freely (not a number, a date, a time, an
    e-mail address or a postcode, whose valid values the target's baseline already has)."""
    return bool(values) and bool(values[0].strip()) and not _STRUCTURED.search(values[0])


def other_words() -> st.SearchStrategy[str]:
    """Different words that still pass: a letter first (so that it is never blank), then anything printable."""
    return st.text(alphabet=SAFE_TEXT, max_size=30).map(lambda s: f"A{s}".strip() or "A")


def valid_variation(f: Field, valid: list[str | bytes]) -> st.SearchStrategy[list[str | bytes]]:
    """Another value a careful user could send in the field: mostly the baseline's."""
    if f.kind == "choice" and f.options:
        real = [o for o in f.options if o]
        return st.sampled_from(real).map(lambda o: [o]) if real else st.just(valid)
    if f.kind == "multi" and f.options:
        return st.lists(st.sampled_from(f.options), unique=True, max_size=len(f.options))
    if f.kind in ("text", "textarea") and free_text([v for v in valid if isinstance(v, str)]):
        return other_words().map(lambda s: [s])
    return st.just(valid)


def hostile(f: Field | None) -> st.SearchStrategy[list[str | bytes]]:
    if f is not None and f.kind == "file":
        return NASTY_FILE.map(lambda b: [b])
    return st.one_of(
        NASTY.map(lambda s: [s]),
        st.lists(NASTY, min_size=2, max_size=3),  # a repeated key
    )


@st.composite
def payloads(
    draw: st.DrawFn,
    fields: Mapping[str, Field],
    valid: Payload,
    fixed: Mapping[str, list[str]],
    extra_names: Sequence[str] = (),
) -> Payload:
    """A payload from the page's `fields` and a `valid` baseline; `fixed` fields (the button that
    chooses a page's action, say) are sent as they are unless a hostile change picks them;
    `extra_names` are names a page reads but never draws as fields (a button's name with a number)."""
    data: Payload = {name: list(values) for name, values in valid.items()}
    names = sorted(set(fields) | set(valid))
    variable = [name for name in names if name not in fixed]
    if draw(st.integers(0, 99)) < 50:
        # Valid variations: up to three fields given another valid value (a few, so that a page of
        # a hundred fields, the protocol's, still mostly gets through).
        varied = [name for name in variable if name in fields]
        for name in draw(st.lists(st.sampled_from(varied), max_size=3, unique=True)) if varied else []:
            data[name] = draw(valid_variation(fields[name], data.get(name, [])))
        return data
    chosen = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)) if names else []
    for name in chosen:
        how = draw(st.sampled_from(["hostile", "hostile", "hostile", "missing"]))
        if how == "missing":
            data.pop(name, None)
        else:
            data[name] = draw(hostile(fields.get(name)))
    if draw(st.integers(0, 9)) == 0:  # a field the page never drew
        data[draw(st.sampled_from(["x", "action", "pk", "id", "next", *names, *extra_names]))] = draw(hostile(None))
    return data
