"""Django's error reports, shown with DEBUG on or emailed to administrators, hold no child's details:
no posted or query value, no cookie, no local variable and no exception message, only their names."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.views.debug import get_exception_reporter_class, technical_500_response

NAME, NHS_NUMBER, SESSION = "Aoife", "9434765919", "secret-session-key"


def _failed_request() -> tuple[Any, Any]:
    """A search for a child that broke, and the error it raised (with a name in a local variable)."""
    request = RequestFactory().post(f"/people/?nhs_number={NHS_NUMBER}", {"given_name": f"{NAME} O'Donnell"})
    request.COOKIES["sessionid"] = SESSION
    request.META["HTTP_REFERER"] = f"http://testserver/people/?given_name={NAME}"
    try:
        typed = request.POST["given_name"]
        raise LookupError(f"no child called {typed}")
    except LookupError:
        return request, sys.exc_info()


@pytest.mark.parametrize("form", ["text", "html"])
def test_an_error_report_names_what_was_sent_but_shows_none_of_it(form: str) -> None:
    request, exc_info = _failed_request()
    reporter = get_exception_reporter_class(request)(request, *exc_info)
    report = reporter.get_traceback_text() if form == "text" else reporter.get_traceback_html()
    for detail in (NAME, NHS_NUMBER, SESSION):
        assert detail not in report
    assert "given_name" in report  # which field was posted, and which variable the frame had
    assert "typed" in report
    assert "LookupError" in report


def test_the_debug_page_shows_none_of_it_either(settings: Any) -> None:
    settings.DEBUG = True
    request, exc_info = _failed_request()
    page = technical_500_response(request, *exc_info).content.decode()
    assert NAME not in page
    assert NHS_NUMBER not in page
    assert "LookupError" in page


@pytest.mark.django_db
@pytest.mark.urls("safehub.core.tests.test_request_log")
def test_a_report_emailed_to_administrators_holds_no_posted_value(social_worker_client: Client, settings: Any) -> None:
    """Django emails a server error's report to ADMINS, once they are set (its default logging). The
    traceback, without messages, is in the log (core.request_log.ServerErrorFilter)."""
    settings.ADMINS = [("Safehub support", "support@example.gov.uk")]
    social_worker_client.raise_request_exception = False
    response = social_worker_client.post("/broken-by-input/?nhs_number=" + NHS_NUMBER, {"given_name": NAME})

    assert response.status_code == 500
    [report] = mail.outbox
    everything = report.subject + report.body + "".join(str(content) for content, _ in report.alternatives)
    assert NAME not in everything
    assert NHS_NUMBER not in everything
    assert "Internal Server Error: /broken-by-input/" in report.subject
