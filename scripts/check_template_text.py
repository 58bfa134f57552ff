"""Report where `djlint --reformat` would change the text a template renders.

The formatter only moves whitespace, and HTML collapses runs of whitespace, so a reformat changes
what a page shows only where it puts whitespace between two rendered characters that had none
between them (or takes away the only whitespace between them), unless one side is the edge of a
block-level element (`<p>`, `</li>`, `<br>`…), where whitespace does not show. Words, punctuation,
`{{ variables }}`, output tags (`{% url %}`, `{% include %}`, our own tags) and the edges of inline
elements (`<a>`, `<strong>`, `<span>`, `<button>`…) all count. Inside `<pre>` and `<textarea>` any
whitespace change shows, and inside an attribute value it changes the value.

Structural tags (`{% if %}`, `{% for %}`, `{% block %}`…) render nothing, so the check follows
every way through them: into each branch, past a branch that is not taken, round a loop again.

    python scripts/check_template_text.py [PATH ...]                  # default: safehub
    python scripts/check_template_text.py --base HEAD~1 [PATH ...]    # a formatting commit

Prints one line per place and exits 1 if there is any. Run it before reformatting templates
(`djlint --reformat`), and fix what it reports by moving the sentence into the presenter or
keeping it on one line.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Elements whose edges do not show whitespace beside them: block boxes, line breaks, and elements
# whose contents are not laid out as running text (document head, embedded SVG, select options).
_BLOCK_NAMES = """
    address article aside blockquote body br caption col colgroup dd details dialog div dl dt
    fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html legend li link main
    meta nav noscript ol optgroup option p script section style summary table tbody td template
    tfoot th thead title tr ul svg path g circle rect line polyline polygon
"""
BLOCK_ELEMENTS = frozenset(_BLOCK_NAMES.split())
# Classes that make an inline element a block (GOV.UK Frontend: `.govuk-label{display:block}`).
BLOCK_CLASSES = frozenset({"govuk-label"})
# Inline-block elements: whitespace just inside their edges does not show, beside them it does.
INLINE_BLOCK_ELEMENTS = frozenset({"button", "select"})
WHITESPACE_SENSITIVE = frozenset({"pre", "textarea"})
# Classes that keep line breaks (safehub.css: `white-space: pre-line`): a line break added or
# taken away inside them shows.
PRE_LINE_CLASSES = frozenset({"app-preserve-lines"})
CLASS_ATTRIBUTE = re.compile(r"""\sclass\s*=\s*["']([^"']*)""")
RAW_TEXT = frozenset({"script", "style"})
# Template tags that render nothing themselves. Every other tag and every {{ variable }} is text.
_SILENT_NAMES = """
    if elif else endif for empty endfor with endwith block endblock extends load csrf_token
    spaceless endspaceless autoescape endautoescape partialdef endpartialdef resetcycle
"""
SILENT_TAGS = frozenset(_SILENT_NAMES.split())
TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)")
TEMPLATE_TAG_NAME = re.compile(r"\{%-?\s*(\w+)")
TEMPLATE_DELIMITERS = {"{{": "}}", "{%": "%}", "{#": "#}"}

Region = tuple[str, int, int]  # ("text", 0, 0), ("markup", tag, 0) or ("attribute", tag, n)
TEXT: Region = ("text", 0, 0)


@dataclass
class Char:
    """One non-whitespace character of a template and what it belongs to."""

    offset: int
    region: Region
    unit: int = 0  # the template tag or comment it is part of, if any
    tag: int = 0  # the HTML tag it is part of, if any
    raw: bool = False  # in the body of a <script> or <style>
    sensitive: str = ""  # "pre" or "pre-line" if the whitespace after it is inside such an element


@dataclass
class Unit:
    """A template tag, a template comment or an HTML comment: `first`..`last` index its characters."""

    name: str  # the tag's name; "" for {{ variables }}, "#" for comments
    first: int
    last: int = -1
    silent: bool = False
    jumps: list[int] = field(default_factory=list)  # units whose end rendering can continue after


@dataclass
class _Keeping:
    """An open element that keeps whitespace (`pre`) or line breaks (`pre-line`)."""

    name: str
    mode: str
    nested: int = 0  # elements of the same name opened inside it


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    kind: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind}: {self.before!r} -> {self.after!r}"


@dataclass
class Template:
    chars: list[Char]
    units: dict[int, Unit]
    blocks: set[int]  # HTML tags of block-level elements
    inline_blocks: dict[int, bool]  # HTML tags of inline-block elements: True for the opening tag


def scan(source: str) -> Template:
    """Label each non-whitespace character of `source` with what it belongs to."""
    chars: list[Char] = []
    units: dict[int, Unit] = {}
    blocks: set[int] = set()
    inline_blocks: dict[int, bool] = {}
    tags = 0
    attributes = 0
    sensitive: list[_Keeping] = []  # the open elements that keep whitespace, innermost last
    open_by_class: dict[str, list[bool]] = {}  # for each element name, which open ones a class made blocks
    raw_until = ""
    tag = 0  # the HTML tag being read, if any
    tag_start = 0
    quote = ""  # the quote of the attribute value being read, if any
    i, n = 0, len(source)

    def add(offset: int, region: Region, *, unit: int = 0, raw: bool = False) -> None:
        chars.append(Char(offset, region, unit, tag, raw, sensitive[-1].mode if sensitive else ""))

    while i < n:
        ch = source[i]
        opener = source[i : i + 2]
        if opener in TEMPLATE_DELIMITERS or source.startswith("<!--", i):
            close = TEMPLATE_DELIMITERS.get(opener, "-->")
            end = source.find(close, i + 2)
            end = n if end < 0 else end + len(close)
            match = TEMPLATE_TAG_NAME.match(source, i)
            name = "#" if opener in ("{#", "<!") else (match.group(1) if match else "")
            unit = len(units) + 1
            units[unit] = Unit(name, len(chars), silent=name == "#" or name in SILENT_TAGS)
            region = ("attribute", tag, attributes) if quote else ("markup", tag, 0) if tag else TEXT
            for j in range(i, end):
                if not source[j].isspace():
                    add(j, region, unit=unit, raw=bool(raw_until))
            units[unit].last = len(chars) - 1
            i = end
            continue
        if raw_until and not tag:
            if source.lower().startswith(raw_until, i):
                raw_until = ""
                continue
            if not ch.isspace():
                add(i, TEXT, raw=True)
            i += 1
            continue
        if tag:
            if quote:
                if not ch.isspace():
                    add(i, ("attribute", tag, attributes))
                if ch == quote:
                    quote = ""
                i += 1
                continue
            if ch in "\"'":
                quote = ch
                attributes += 1
                add(i, ("attribute", tag, attributes))
            elif ch == ">":
                match = TAG_NAME.match(source, tag_start)
                name = match.group(1).lower() if match else ""
                closing = source.startswith("</", tag_start)
                classes = CLASS_ATTRIBUTE.search(source, tag_start, i)
                class_names = set(classes.group(1).split()) if classes else set()
                if closing:
                    if open_by_class.get(name) and open_by_class[name].pop():
                        blocks.add(tag)
                elif name not in BLOCK_ELEMENTS:
                    open_by_class.setdefault(name, []).append(bool(BLOCK_CLASSES & class_names))
                    if BLOCK_CLASSES & class_names:
                        blocks.add(tag)
                if closing and sensitive and sensitive[-1].name == name:
                    if sensitive[-1].nested:
                        sensitive[-1].nested -= 1
                    else:
                        sensitive.pop()
                elif not closing and name in WHITESPACE_SENSITIVE:
                    sensitive.append(_Keeping(name, "pre"))
                elif not closing and PRE_LINE_CLASSES & class_names:
                    sensitive.append(_Keeping(name, "pre-line"))
                elif not closing and sensitive and sensitive[-1].name == name:
                    sensitive[-1].nested += 1
                if name in RAW_TEXT and not closing:
                    raw_until = f"</{name}"
                add(i, ("markup", tag, 0))  # whitespace after <pre> is inside it, after </pre> is not
                tag = 0
            elif not ch.isspace():
                add(i, ("markup", tag, 0))
            i += 1
            continue
        if ch == "<" and re.match(r"</?[A-Za-z]", source[i : i + 3]):
            tags += 1
            tag, tag_start = tags, i
            match = TAG_NAME.match(source, i)
            name = match.group(1).lower() if match else ""
            if name in BLOCK_ELEMENTS:
                blocks.add(tag)
            elif name in INLINE_BLOCK_ELEMENTS:
                inline_blocks[tag] = not source.startswith("</", i)
            add(i, ("markup", tag, 0))
            i += 1
            continue
        if not ch.isspace():
            add(i, TEXT, raw=bool(raw_until))
        i += 1
    _link_branches(units)
    return Template(chars, units, blocks, inline_blocks)


def _link_branches(units: dict[int, Unit]) -> None:
    """Record where rendering can go after each structural tag."""
    stack: list[list[int]] = []  # the if/for being read, with its elif/else/empty tags
    for number in sorted(units):
        unit = units[number]
        unit.jumps = [number]
        if unit.name in ("if", "for"):
            stack.append([number])
        elif unit.name in ("elif", "else", "empty") and stack:
            stack[-1].append(number)
        elif unit.name in ("endif", "endfor") and stack:
            opener, *branches = stack.pop()
            ends = [number]
            if unit.name == "endif":
                units[opener].jumps = [opener, *branches] + (
                    [] if any(units[b].name == "else" for b in branches) else ends
                )
                for branch in branches:  # the end of one branch skips the others
                    units[branch].jumps = ends
            else:
                empty = branches[0] if branches else number
                units[opener].jumps = [opener, empty]
                if branches:  # the end of the loop's body: round again, or on past {% empty %}
                    units[empty].jumps = [opener, number]
                else:
                    unit.jumps = [opener, number]


def _paths(template: Template, start: int, before: list[str], after: list[str]) -> Iterator[tuple[int, str, str]]:
    """Each rendered character that can follow `start`, with the whitespace rendered between them."""
    chars, units = template.chars, template.units
    todo = [(start, before[start], after[start], frozenset[int]())]
    while todo:
        index, space_before, space_after, seen = todo.pop()
        nxt = index + 1
        if nxt >= len(chars):
            continue
        unit = units.get(chars[nxt].unit)
        if unit is None or not unit.silent:
            yield nxt, space_before, space_after
            continue
        number = chars[nxt].unit
        if number in seen:  # an empty loop body
            continue
        for target in unit.jumps:
            last = units[target].last
            todo.append((last, space_before + before[last], space_after + after[last], seen | {number}))


def _gaps(text: str) -> list[str]:
    """The whitespace after each non-whitespace character of `text`."""
    return re.findall(r"\S(\s*)", text)


def _judge(template: Template, left: Char, right: Char, before: str, after: str) -> str:
    """Why the change from `before` to `after` between `left` and `right` shows, or ""."""
    if left.tag and left.tag == right.tag:
        if left.region[0] == "attribute" and left.region == right.region and before != after:
            return "" if bool(before) == bool(after) else "whitespace changed inside an attribute value"
        # between a tag's name and attributes only taking all the whitespace away can matter
        return "" if after or not before else "whitespace removed between attributes"
    if left.sensitive == "pre":
        return "" if before == after else "whitespace changed inside <pre>/<textarea>"
    if left.sensitive == "pre-line" and (before.count("\n") != after.count("\n") or bool(before) != bool(after)):
        return "line breaks changed inside an element that keeps them (white-space: pre-line)"
    if bool(before) == bool(after):
        return ""
    if left.tag and left.tag == right.tag:
        if left.region[0] == "attribute" and left.region == right.region:
            return "whitespace changed inside an attribute value"
        # between a tag's name and attributes only taking all the whitespace away can matter
        return "" if after else "whitespace removed between attributes"
    if left.raw or right.raw:
        return "whitespace changed inside <script>/<style>"
    if left.tag in template.blocks or right.tag in template.blocks:
        return ""
    if template.inline_blocks.get(left.tag) is True or template.inline_blocks.get(right.tag) is False:
        return ""  # just inside <button> or </button>
    return "whitespace inserted" if after else "whitespace removed"


def _excerpt(text: str, left: int, right: int) -> str:
    """The text around two characters: from `left` to `right`, or both ends if it loops back."""
    if left < right <= left + 300:
        return text[max(0, left - 25) : right + 25]
    return f"{text[max(0, left - 25) : left + 1]} … {text[right : right + 25]}"


def compare(path: Path, original: str, formatted: str) -> list[Finding]:
    """Every place where `formatted` would render differently from `original`."""
    if re.sub(r"\s", "", original) != re.sub(r"\s", "", formatted):
        return [Finding(path, 1, "the formatter changed more than whitespace", "", "")]
    template = scan(original)
    before, after = _gaps(original), _gaps(formatted)
    new_offsets = [match.start() for match in re.finditer(r"\S", formatted)]
    findings: list[Finding] = []
    for start, left in enumerate(template.chars):
        if template.units.get(left.unit, Unit("", 0)).silent:
            continue
        for index, space_before, space_after in _paths(template, start, before, after):
            right = template.chars[index]
            kind = _judge(template, left, right, space_before, space_after)
            if kind:
                line = original.count("\n", 0, left.offset) + 1
                findings.append(
                    Finding(
                        path,
                        line,
                        kind,
                        _excerpt(original, left.offset, right.offset),
                        _excerpt(formatted, new_offsets[start], new_offsets[index]),
                    )
                )
    return findings


def formatted_copies(files: list[Path]) -> dict[Path, str]:
    """What `djlint --reformat` would make of each file, with the project's settings."""
    with tempfile.TemporaryDirectory() as directory:
        work = Path(directory)
        shutil.copy(ROOT / "pyproject.toml", work / "pyproject.toml")
        copies = {}
        for number, path in enumerate(files):
            copy = work / "templates" / f"{number}.html"
            copy.parent.mkdir(exist_ok=True)
            shutil.copy(path, copy)
            copies[path] = copy
        subprocess.run(  # noqa: S603 (our own interpreter and arguments)
            [sys.executable, "-m", "djlint", "--reformat", "--quiet", str(work / "templates")],
            cwd=work,
            check=False,
            capture_output=True,
        )
        return {path: copy.read_text(encoding="utf-8") for path, copy in copies.items()}


def committed(path: Path, revision: str) -> str | None:
    """The file as it was at `revision`, or None if it did not exist."""
    shown = subprocess.run(  # noqa: S603 (a revision and path given on our command line)
        ["git", "show", f"{revision}:./{path}"],  # noqa: S607 (git from the PATH, as a developer runs it)
        capture_output=True,
        text=True,
        check=False,
        encoding="utf-8",
    )
    return shown.stdout if shown.returncode == 0 else None


def check(paths: list[Path], *, base: str | None = None) -> list[Finding]:
    """Findings for reformatting each template now, or (with `base`) for its changes since `base`."""
    files = [file for root in paths for file in ([root] if root.is_file() else sorted(root.rglob("*.html")))]
    findings: list[Finding] = []
    if base is None:
        for path, formatted in formatted_copies(files).items():
            findings.extend(compare(path, path.read_text(encoding="utf-8"), formatted))
        return findings
    for path in files:
        original = committed(path, base)
        if original is not None:
            findings.extend(compare(path, original, path.read_text(encoding="utf-8")))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[Path("safehub")])
    parser.add_argument(
        "--base",
        metavar="REVISION",
        help="instead of reformatting, compare each template with its version at REVISION "
        "(to check that a formatting commit changed no rendered text: --base HEAD~1)",
    )
    args = parser.parse_args(argv)
    findings = check(args.paths, base=args.base)
    for finding in findings:
        print(finding)
    files = len({finding.path for finding in findings})
    change = f"the changes since {args.base} change" if args.base else "reformatting would change"
    print(f"{len(findings)} place(s) in {files} template(s) where {change} the rendered text")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
