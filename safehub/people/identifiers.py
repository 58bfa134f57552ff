"""UK identifiers: NHS numbers and postcodes (pure Python)."""

from __future__ import annotations

import random
import re

_POSTCODE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$")


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def is_valid_nhs_number(value: str) -> bool:
    """Ten digits whose last is the modulus-11 check digit of the first nine."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


def random_nhs_number(rng: random.Random) -> str:
    """A made-up number that passes the check digit, for demo and test data (first digit 4-6)."""
    while True:
        digits = [rng.randint(4, 6)] + [rng.randint(0, 9) for _ in range(8)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(0 if check == 11 else check)


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: 'b11aa' -> 'B1 1AA'."""
    compact = re.sub(r"\s+", "", value).upper()
    if len(compact) < 5:
        return compact
    return f"{compact[:-3]} {compact[-3:]}"


def is_valid_postcode(value: str) -> bool:
    return bool(_POSTCODE.match(normalise_postcode(value)))


_OUTWARD = re.compile(r"^[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]?$")


def is_outward_code(value: str) -> bool:
    """The first half of a postcode alone ('SE2', 'DA16'): what someone who knows only the area types."""
    return bool(_OUTWARD.match(re.sub(r"\s+", "", value).upper()))


def postcode_sector_typed(value: str) -> str:
    """'DA6 8' (a postcode's area and the first figure of the rest, its sector) as the index writes
    it, or "" when the value is not one."""
    parts = value.upper().split()
    if len(parts) == 2 and _OUTWARD.match(parts[0]) and re.fullmatch(r"[0-9]", parts[1]):
        return f"{parts[0]} {parts[1]}"
    return ""


def postcode_district(value: str) -> str:
    return normalise_postcode(value).split(" ")[0]


def postcode_sector(value: str) -> str:
    code = normalise_postcode(value)
    return code[:-2] if " " in code else code
