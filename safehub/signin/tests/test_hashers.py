"""Passwords are hashed with Argon2id on one lane; hashes made on eight still verify, and are re-made."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, check_password, identify_hasher, make_password

from safehub.accounts.models import User

ONE_LANE = "safehub.signin.hashers.OneLaneArgon2PasswordHasher"


@pytest.fixture
def production_hashers(settings: Any) -> None:
    """The tests' settings hash with MD5 for speed; these tests use the production list."""
    settings.PASSWORD_HASHERS = [ONE_LANE, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]


@pytest.mark.usefixtures("production_hashers")
def test_a_new_password_is_argon2id_with_djangos_memory_and_passes_on_one_lane() -> None:
    encoded = make_password("plum orbit kettle marsh")

    assert encoded.startswith("argon2$argon2id$v=19$m=102400,t=2,p=1$")
    assert check_password("plum orbit kettle marsh", encoded)
    assert not check_password("plum orbit kettle mars", encoded)


@pytest.mark.usefixtures("production_hashers")
@pytest.mark.django_db
def test_a_hash_made_on_eight_lanes_verifies_and_is_remade_on_one_at_the_next_good_sign_in() -> None:
    old = Argon2PasswordHasher().encode("plum orbit kettle marsh", Argon2PasswordHasher().salt())
    assert ",p=8$" in old
    user = User.objects.create(username="long.serving", password=old)

    assert identify_hasher(old).must_update(old)
    assert user.check_password("plum orbit kettle marsh")  # Django re-hashes and saves on success

    user.refresh_from_db()
    assert ",p=1$" in user.password
    assert user.check_password("plum orbit kettle marsh")
