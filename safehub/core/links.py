"""Links in emails to the page they are about: Safehub's own address (`SAFEHUB_SITE_URL`, for example
https://safehub.example.gov.uk) and the page's path. Without the setting an email says where to go
instead. A link names no child: the page asks the reader to sign in and shows what they may see."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def page_link(url_name: str, *args: object) -> str:
    """The page's full address, or "" when Safehub's address is not set."""
    site = settings.SITE_URL
    return f"{site}{reverse(url_name, args=args)}" if site else ""


def link_line(url_name: str, *args: object) -> str:
    """A paragraph to end an email with: the link to the page, or nothing."""
    link = page_link(url_name, *args)
    return f"\n\nOpen it in Safehub (you will be asked to sign in): {link}" if link else ""
