"""Safehub's password hasher: Argon2id as Django configures it, on one lane (ADR 0023 addendum).

Django's Argon2 hasher asks for 100 MB and 2 passes spread over 8 lanes, which argon2 runs as
threads: on a server with 2 cores one password check takes both of them for its tenth of a second,
and during a flood of sign-ins the one check the sign-in slots allow at a time still leaves every
signed-in user's page waiting for a core. On one lane the same memory and passes take one core a
little longer, and the other core stays free for the pages. The cost to an attacker who has the
hashes is the memory and passes, unchanged (well above OWASP's minimum for Argon2id: 19 MiB, 2
passes, 1 lane). Hashes made with 8 lanes still verify (their parameters are in the hash) and are
re-made with one lane at their user's next good sign-in (Django's `must_update`)."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class OneLaneArgon2PasswordHasher(Argon2PasswordHasher):
    parallelism = 1
