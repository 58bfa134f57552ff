"""Which client a request comes from: REMOTE_ADDR unless the settings name trusted proxies."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from safehub.signin.clients import client_address


def _request(remote: str = "203.0.113.9", forwarded: str | None = None) -> Any:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/account/sign-in/", **extra)


def test_without_proxies_x_forwarded_for_is_ignored(settings: Any) -> None:
    settings.SAFEHUB_TRUSTED_PROXIES = 0

    assert client_address(_request(forwarded="198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote the first entry itself
        (2, "6.6.6.6, 198.51.100.1, 10.0.0.5", "198.51.100.1"),
        (2, "198.51.100.1", "203.0.113.9"),  # fewer hops than proxies: the connection's address
        (1, "", "203.0.113.9"),
        (1, "not an address", "unknown"),
    ],
)
def test_behind_proxies_the_outermost_proxys_view_counts(
    settings: Any, proxies: int, forwarded: str, expected: str
) -> None:
    settings.SAFEHUB_TRUSTED_PROXIES = proxies

    assert client_address(_request(forwarded=forwarded)) == expected


def test_an_ipv6_client_is_its_64_network(settings: Any) -> None:
    settings.SAFEHUB_TRUSTED_PROXIES = 0

    assert client_address(_request("2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"
    assert client_address(_request("::ffff:192.0.2.1")) == "192.0.2.1"
