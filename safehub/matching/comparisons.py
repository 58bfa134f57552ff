"""The comparisons matching makes between two people, each level written once for both engines.

Every level has a SQL condition (a template rendered for DuckDB or Spark) used in training
and batch linkage, and a Python test used by the interactive search. They must agree on every pair;
`tests/test_parity.py` checks that they do against Splink itself.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from safehub.matching.features import Features
from safehub.matching.names import PET_SHAPED_NAME, is_pet_form

Test = Callable[[Features, Features], bool]


class Agreement(enum.StrEnum):
    AGREE = "agreed"
    PARTLY = "partly agreed"
    DISAGREE = "disagreed"
    MISSING = "not compared"


# SQL functions by engine. Levels write `{jw}(a, b)`; `{jaccard}(a, b)` is a whole expression.
DIALECTS: dict[str, dict[str, str]] = {
    "duckdb": {
        "jw": "jaro_winkler_similarity",
        "dl": "damerau_levenshtein",
        "overlap": "list_has_any",
        "jaccard": "len(list_intersect({a}, {b})) / len(list_distinct(list_concat({a}, {b})))",
    },
    "spark": {
        "jw": "jaro_winkler",
        "dl": "damerau_levenshtein",
        "overlap": "arrays_overlap",
        "jaccard": "size(array_intersect({a}, {b})) / size(array_union({a}, {b}))",
    },
}
_JACCARD = re.compile(r"\{jaccard\}\((\w+), (\w+)\)")


@dataclass(frozen=True)
class Level:
    key: str
    label: str  # completes "<field> ...", e.g. "First name: forms of the same name"
    sql: str  # a template: see DIALECTS
    test: Test
    agreement: Agreement
    # Weighed by another comparison already (names the other way round count once, in the first name):
    # training fixes its weight at 0 so that one piece of evidence is not added twice.
    counted_elsewhere: bool = False

    def sql_for(self, dialect: str) -> str:
        functions = DIALECTS[dialect]
        expanded = _JACCARD.sub(lambda m: functions["jaccard"].format(a=m[1], b=m[2]), self.sql)
        return expanded.format(**functions)


@dataclass(frozen=True)
class Comparison:
    name: str
    title: str
    columns: tuple[str, ...]
    levels: tuple[Level, ...]  # the null level first, the else level last
    tf_column: str | None = None
    plural: str = ""  # what the level labels complete: "Postcodes" + " agree"

    def describe(self, level: Level) -> str:
        return f"{self.plural or self.title} {level.label}"

    def level_for(self, left: Features, right: Features) -> int:
        """The index of the first level whose test holds (the null level when a value is missing)."""
        for index, level in enumerate(self.levels):
            if level.test(left, right):
                return index
        raise AssertionError(f"{self.name}: no level matched, the else level is missing")

    def level_by_key(self, key: str) -> int:
        return next(i for i, level in enumerate(self.levels) if level.key == key)


def _same(a: object, b: object) -> bool:
    """SQL's equality: a missing value equals nothing, not even another missing value."""
    return a is not None and a == b


def _jw(a: str | None, b: str | None) -> float:
    return JaroWinkler.similarity(a, b) if a is not None and b is not None else 0.0


def _overlap(a: list[str] | None, b: list[str] | None) -> bool:
    return bool(a and b and not set(a).isdisjoint(b))


def _days_apart(left: Features, right: Features) -> int:
    if left.dob_days is None or right.dob_days is None:
        return 1 << 30  # unreachable after the null level; as far apart as can be
    return abs(left.dob_days - right.dob_days)


def _null(*columns: str) -> Level:
    sql = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    [first, *others] = columns

    def test(left: Features, right: Features) -> bool:
        if getattr(left, first) is None or getattr(right, first) is None:
            return True
        return any(getattr(left, c) is None or getattr(right, c) is None for c in others)

    return Level("null", "are missing from one record or both", sql, test, Agreement.MISSING)


def _exact(column: str, label: str = "agree", key: str = "exact", agreement: Agreement = Agreement.AGREE) -> Level:
    return Level(
        key,
        label,
        f"{column}_l = {column}_r",
        lambda left, right: _same(getattr(left, column), getattr(right, column)),
        agreement,
    )


def _jaro_winkler(column: str, threshold: float, label: str) -> Level:
    return Level(
        f"jw{round(threshold * 100)}",
        label,
        f"{{jw}}({column}_l, {column}_r) >= {threshold}",
        lambda left, right: _jw(getattr(left, column), getattr(right, column)) >= threshold,
        Agreement.PARTLY,
    )


def _any_shared(column: str, key: str, label: str, agreement: Agreement = Agreement.PARTLY) -> Level:
    return Level(
        key,
        label,
        f"{{overlap}}({column}_l, {column}_r)",
        lambda left, right: _overlap(getattr(left, column), getattr(right, column)),
        agreement,
    )


def _else() -> Level:
    return Level("else", "disagree", "ELSE", lambda left, right: True, Agreement.DISAGREE)


def _jaccard(a: list[str] | None, b: list[str] | None) -> float:
    if not a or not b:
        return 0.0
    left, right = set(a), set(b)
    return len(left & right) / len(left | right)


def _swapped(left: Features, right: Features) -> bool:
    """One record's last name is among the other's first names, and its first name is among the other's
    last names or is a form of the other's last name ('Kemp Madison' and 'Maddie Kemp')."""

    def one_way(a: Features, b: Features) -> bool:
        return _overlap(a.given_all, b.family_parts) and (
            _overlap(a.family_parts, b.given_all) or _overlap(a.family_forms, b.given_forms)
        )

    return one_way(left, right) or one_way(right, left)


_SWAPPED_ONE_WAY = (
    "{overlap}(given_all_{a}, family_parts_{b})"
    " AND ({overlap}(family_parts_{a}, given_all_{b}) OR {overlap}(family_forms_{a}, given_forms_{b}))"
)
_NAMES_SWAPPED = Level(
    "swapped",
    "match the other record's names the other way round",
    "("
    + _SWAPPED_ONE_WAY.replace("{a}", "l").replace("{b}", "r")
    + ") OR ("
    + _SWAPPED_ONE_WAY.replace("{a}", "r").replace("{b}", "l")
    + ")",
    _swapped,
    Agreement.PARTLY,
)


def _typo(column: str, label: str) -> Level:
    """One typing error (a letter changed, added, dropped, or two swapped) after the same first letter:
    'Authony' and 'Anthony'. Names that differ in their first letter (Ava and Eva) are other names."""
    return Level(
        "typo",
        label,
        f"{{dl}}({column}_l, {column}_r) <= 1 AND substr({column}_l, 1, 1) = substr({column}_r, 1, 1)",
        lambda left, right: _one_typo(getattr(left, column), getattr(right, column)),
        Agreement.PARTLY,
    )


def _one_typo(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a[:1] == b[:1] and DamerauLevenshtein.distance(a, b, score_cutoff=2) <= 1


SHORT_FORM = (3, 5)  # the letters a short form from the start of a name may have (Dani, Alex)
SHORT_END = 4  # the fewest letters a short form from the end of a name may have (Tina, Xander)
SHORT_FORM_SHORTER = 2  # at least this many letters shorter than the name: Louis is not short for Louise


def _pet_form_sql(column: str = "given_name", stem: str = "given_stem") -> str:
    """`names.is_pet_form` either way round, in SQL."""
    one_way = (
        "({p_stem} IS NOT NULL AND {pet} <> {name} AND substr({name}, 1, length({p_stem})) = {p_stem}"
        " AND length({name}) >= length({p_stem}) + CASE WHEN length({p_stem}) = 2 THEN 3 ELSE 2 END"
        " AND (length({name}) > {shaped} OR {n_stem} IS NULL))"
    )
    sides = (("l", "r"), ("r", "l"))
    return " OR ".join(
        one_way.format(
            p_stem=f"{stem}_{p}",
            n_stem=f"{stem}_{n}",
            pet=f"{column}_{p}",
            name=f"{column}_{n}",
            shaped=PET_SHAPED_NAME,
        )
        for p, n in sides
    )


PET_FORM = Level(
    "pet",
    "are a pet form and the name it comes from (such as Ossie and Oscar, or Florrie and Florence)",
    _pet_form_sql(),
    lambda left, right: is_pet_form(left.given_name, right.given_name)
    or is_pet_form(right.given_name, left.given_name),
    Agreement.PARTLY,
)


def _short_form(a: str | None, b: str | None) -> bool:
    """One name is the start of the other (Dani, Daniella) or its end (Tina, Valentina)."""
    if a is None or b is None:
        return False
    short, long = sorted((a, b), key=len)
    if len(long) - len(short) < SHORT_FORM_SHORTER:
        return False
    lowest, highest = SHORT_FORM
    return (lowest <= len(short) <= highest and long.startswith(short)) or (
        len(short) >= SHORT_END and long.endswith(short)
    )


def _short_form_sql(column: str) -> str:
    lowest, highest = SHORT_FORM
    one_way = (
        "(length({g}) - length({s}) >= {shorter} AND ("
        "(length({s}) BETWEEN {lowest} AND {highest} AND substr({g}, 1, length({s})) = {s})"
        " OR (length({s}) >= {end} AND substr({g}, length({g}) - length({s}) + 1) = {s})))"
    )
    left, right = f"{column}_l", f"{column}_r"
    return " OR ".join(
        one_way.format(s=s, g=g, lowest=lowest, highest=highest, shorter=SHORT_FORM_SHORTER, end=SHORT_END)
        for s, g in ((left, right), (right, left))
    )


SHORT_FORM_LEVEL = Level(
    "short",
    "are a short form of one another (such as Dani and Daniella, or Tina and Valentina)",
    _short_form_sql("given_name"),
    lambda left, right: _short_form(left.given_name, right.given_name),
    Agreement.PARTLY,
)

SOUNDS_ALIKE = Level(
    "sound",
    "are other spellings of one name (such as Szymon and Simon)",
    "given_sound_l = given_sound_r",
    lambda left, right: _same(left.given_sound, right.given_sound),
    Agreement.PARTLY,
)


def _near(a: str | None, b: str | None) -> bool:
    """Spelt almost the same, or one typing error apart wherever it is ('Shmed' and 'Ahmed')."""
    return (
        a is not None and b is not None and (_jw(a, b) >= 0.9 or DamerauLevenshtein.distance(a, b, score_cutoff=2) <= 1)
    )


_NEAR_SQL = "({jw}({a}, {b}) >= 0.9 OR {dl}({a}, {b}) <= 1)"


def _crossed(label: str, *, counted_elsewhere: bool = False) -> Level:
    """The names are the other way round, give or take a typing error in either."""
    return Level(
        "crossed",
        label,
        _NEAR_SQL.format(a="given_name_l", b="family_name_r", jw="{jw}", dl="{dl}")
        + " AND "
        + _NEAR_SQL.format(a="family_name_l", b="given_name_r", jw="{jw}", dl="{dl}"),
        lambda left, right: _near(left.given_name, right.family_name) and _near(left.family_name, right.given_name),
        Agreement.PARTLY,
        counted_elsewhere,
    )


GIVEN_NAME = Comparison(
    "given_name",
    "First name",
    ("given_name", "given_forms", "given_all", "given_sound", "family_name", "family_parts", "family_forms"),
    (
        _null("given_name"),
        _exact("given_name"),
        _NAMES_SWAPPED,
        _any_shared("given_forms", "forms", "are forms of the same name (such as Alfie and Alfred)"),
        _typo("given_name", "differ by one typing error"),
        SOUNDS_ALIKE,
        _jaro_winkler("given_name", 0.92, "are spelt almost the same"),
        SHORT_FORM_LEVEL,
        PET_FORM,
        _crossed("are the other way round, with a spelling difference"),
        _any_shared("given_all", "middle", "match another of the given or middle names"),
        _jaro_winkler("given_name", 0.8, "are spelt similarly"),
        _else(),
    ),
    tf_column="given_name",
    plural="First names",
)

FAMILY_NAME = Comparison(
    "family_name",
    "Last name",
    ("family_name", "family_parts", "family_forms", "given_name", "given_all", "given_forms"),
    (
        _null("family_name"),
        _exact("family_name"),
        replace(_NAMES_SWAPPED, label="are the other way round (counted with the first names)", counted_elsewhere=True),
        _any_shared("family_parts", "part", "share part of a double-barrelled or hyphenated name"),
        _jaro_winkler("family_name", 0.92, "are spelt almost the same"),
        _crossed(
            "are the other way round, with a spelling difference (counted with the first names)", counted_elsewhere=True
        ),
        _jaro_winkler("family_name", 0.8, "are spelt similarly"),
        _else(),
    ),
    tf_column="family_name",
    plural="Last names",
)

DATE_OF_BIRTH = Comparison(
    "dob",
    "Date of birth",
    ("dob", "dob_swapped", "dob_days", "dob_expected"),
    (
        _null("dob"),
        _exact("dob"),
        Level(
            "swapped",
            "agree with day and month swapped",
            "dob_swapped_l = dob_r",
            lambda left, right: _same(left.dob_swapped, right.dob),
            Agreement.PARTLY,
        ),
        Level(
            "near",
            "differ by one day or one digit",
            "abs(dob_days_l - dob_days_r) <= 1 OR {dl}(dob_l, dob_r) <= 1",
            lambda left, right: _days_apart(left, right) <= 1
            or DamerauLevenshtein.distance(left.dob or "", right.dob or "", score_cutoff=2) <= 1,
            Agreement.PARTLY,
        ),
        Level(
            "expected",
            "are within six weeks, one being an expected date of delivery",
            "(dob_expected_l OR dob_expected_r) AND abs(dob_days_l - dob_days_r) <= 42",
            lambda left, right: bool(left.dob_expected or right.dob_expected) and _days_apart(left, right) <= 42,
            Agreement.PARTLY,
        ),
        Level(
            "year",
            "are within a year",
            "abs(dob_days_l - dob_days_r) <= 366",
            lambda left, right: _days_apart(left, right) <= 366,
            Agreement.PARTLY,
        ),
        _else(),
    ),
    plural="Dates of birth",
)

SEX = Comparison("sex", "Sex", ("sex",), (_null("sex"), _exact("sex"), _else()), plural="The recorded sexes")


def _shared_words(threshold: float, label: str) -> Level:
    return Level(
        f"words{round(threshold * 100)}",
        label,
        f"{{jaccard}}(address_tokens_l, address_tokens_r) >= {threshold}",
        lambda left, right: _jaccard(left.address_tokens, right.address_tokens) >= threshold,
        Agreement.PARTLY,
    )


POSTCODE = Comparison(
    "postcode",
    "Postcode",
    ("postcode", "postcode_sector", "postcode_district"),
    (
        _null("postcode"),
        _exact("postcode"),
        _exact("postcode_sector", "are in the same sector (such as B1 1)", "sector", Agreement.PARTLY),
        _exact("postcode_district", "are in the same district (such as B1)", "district", Agreement.PARTLY),
        Level(
            "typo",
            "differ by one character",
            "{dl}(postcode_l, postcode_r) <= 1",
            lambda left, right: DamerauLevenshtein.distance(left.postcode or "", right.postcode or "", score_cutoff=2)
            <= 1,
            Agreement.PARTLY,
        ),
        _else(),
    ),
    plural="Postcodes",
)

ADDRESS = Comparison(
    "address",
    "Address",
    ("address", "address_tokens"),
    (
        _null("address"),
        _exact("address"),
        _jaro_winkler("address", 0.9, "are almost the same"),
        _shared_words(0.6, "have most words in common"),
        _jaro_winkler("address", 0.75, "are similar"),
        _shared_words(0.3, "have some words in common"),
        _else(),
    ),
    plural="Addresses",
)

HOUSE_NUMBER = Comparison(
    "house_number",
    "House number",
    ("house_number", "address", "address_tokens"),
    (
        _null("house_number"),
        _exact("house_number"),
        Level(
            "elsewhere",
            "differ, as the whole addresses do (counted with the addresses)",
            "NOT ({jw}(address_l, address_r) >= 0.75 OR {jaccard}(address_tokens_l, address_tokens_r) >= 0.3)",
            lambda left, right: left.address is not None
            and right.address is not None
            and not (
                _jw(left.address, right.address) >= 0.75 or _jaccard(left.address_tokens, right.address_tokens) >= 0.3
            ),
            Agreement.DISAGREE,
            counted_elsewhere=True,
        ),
        _else(),
    ),
    plural="House numbers",
)

NHS_NUMBER = Comparison(
    "nhs_number",
    "NHS number",
    ("nhs_number",),
    (_null("nhs_number"), _exact("nhs_number"), _else()),
    plural="NHS numbers",
)

PARENTS = Comparison(
    "parents",
    "Parents' first names",
    ("parent_names",),
    (_null("parent_names"), _any_shared("parent_names", "shared", "include the same name", Agreement.AGREE), _else()),
    plural="Parents' first names",
)

COMPARISONS: tuple[Comparison, ...] = (
    GIVEN_NAME,
    FAMILY_NAME,
    DATE_OF_BIRTH,
    SEX,
    POSTCODE,
    ADDRESS,
    HOUSE_NUMBER,
    NHS_NUMBER,
    PARENTS,
)
BY_NAME = {c.name: c for c in COMPARISONS}


def _check_distinct_keys() -> None:
    for comparison in COMPARISONS:
        keys = [level.key for level in comparison.levels]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{comparison.name}: level keys must be distinct, got {keys}")


_check_distinct_keys()
