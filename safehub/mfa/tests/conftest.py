from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safehub.accounts.models import User

PASSWORD = "correct horse battery staple"  # UserFactory's password


@pytest.fixture
def password_only(social_worker: User) -> Client:
    """A client that has passed the password step as the social worker, and nothing more."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": social_worker.username, "password": PASSWORD})
    assert response["Location"] == reverse("mfa:second-step")
    return client
