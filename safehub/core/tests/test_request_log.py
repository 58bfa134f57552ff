"""A refused request (403, 404) is one line in the log: method, path, status and user; a server error
keeps its traceback."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path, reverse

from safehub import urls as project_urls
from safehub.accounts.models import User


@login_not_required
def refuse(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def broken(request: HttpRequest) -> HttpResponse:
    raise ZeroDivisionError("a bug")


def broken_by_what_was_typed(request: HttpRequest) -> HttpResponse:
    """A bug that quotes what was submitted, in the error and in the one it was raised from."""
    typed = request.POST.get("given_name") or request.GET.get("given_name", "")
    try:
        int(typed)
    except ValueError as error:
        raise LookupError(f"no child called {typed}") from error
    return HttpResponse("")


def broken_by_the_database(request: HttpRequest) -> HttpResponse:
    stored = "P" + "0000901"  # a person's id, as PostgreSQL quotes a duplicate key
    raise IntegrityError(f"duplicate key value violates unique constraint\nDETAIL:  Key (local_id)=({stored}) exists.")


# Safehub's own pages (the refusal pages link to them), and pages that refuse or break.
urlpatterns = [
    path("refuse/", refuse),
    path("broken/", broken),
    path("broken-by-input/", broken_by_what_was_typed),
    path("broken-by-the-database/", broken_by_the_database),
    *project_urls.urlpatterns,
]
handler403, handler404 = project_urls.handler403, project_urls.handler404


def _request_log(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "django.request"]


@pytest.mark.django_db
def test_a_page_not_found_is_one_line(
    social_worker_client: Client, social_worker: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = social_worker_client.get(reverse("contacts:contact", args=[999_999]))

    assert response.status_code == 404
    [record] = _request_log(caplog)
    assert record.getMessage() == f"Refused: GET /contacts/999999/ 404 Not Found, user {social_worker.pk}"
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_a_forbidden_page_is_one_line(
    data_protection_officer_client: Client, data_protection_officer: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = data_protection_officer_client.get(reverse("contacts:record-contact"))

    assert response.status_code == 403
    [record] = _request_log(caplog)
    assert record.getMessage() == f"Refused: GET /contacts/new/ 403 Forbidden, user {data_protection_officer.pk}"
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
def test_a_hub_page_refused_to_a_partner_is_one_line_saying_not_found(
    police_partner_client: Client, police_partner: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        response = police_partner_client.get(reverse("contacts:record-contact"))

    assert response.status_code == 404
    [record] = _request_log(caplog)
    assert record.getMessage() == f"Refused: GET /contacts/new/ 404 Not Found, user {police_partner.pk}"
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_someone_not_signed_in_is_logged_as_anonymous(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        response = client.get("/refuse/")

    assert response.status_code == 403
    [record] = _request_log(caplog)
    assert record.getMessage() == "Refused: GET /refuse/ 403 Forbidden, user anonymous"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_path_cannot_forge_a_log_line(social_worker_client: Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        response = social_worker_client.get("/nowhere/%0AINFO forged line/")

    assert response.status_code == 404
    [record] = _request_log(caplog)
    assert "\n" not in record.getMessage()
    assert "/nowhere/\\nINFO forged line/" in record.getMessage()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_keeps_its_traceback(social_worker_client: Client, caplog: pytest.LogCaptureFixture) -> None:
    social_worker_client.raise_request_exception = False
    with caplog.at_level(logging.WARNING):
        response = social_worker_client.get("/broken/")

    assert response.status_code == 500
    [record] = _request_log(caplog)
    assert record.getMessage() == "Internal Server Error: /broken/"
    assert record.exc_info is not None
    assert "ZeroDivisionError: a bug" in caplog.text
    assert "Traceback" in caplog.text


def _logged(record: logging.LogRecord) -> str:
    """The record as the console handler writes it."""
    return logging.Formatter().format(record)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_after_a_post_logs_its_traceback_without_what_was_posted(
    social_worker_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    social_worker_client.raise_request_exception = False
    with caplog.at_level(logging.WARNING):
        response = social_worker_client.post("/broken-by-input/", {"given_name": "Aoife O'Donnell"})

    assert response.status_code == 500
    [record] = _request_log(caplog)
    logged = _logged(record)
    assert "Aoife" not in logged
    assert "Aoife" not in caplog.text
    # Still a traceback: both errors, where they were raised, and the line of code.
    assert "Traceback (most recent call last):" in logged
    assert "ValueError: [message withheld" in logged
    assert "LookupError: [message withheld" in logged
    assert "The above exception was the direct cause of the following exception" in logged
    assert "in broken_by_what_was_typed" in logged
    assert "int(typed)" in logged


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_logs_no_value_from_the_query_string(
    social_worker_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    social_worker_client.raise_request_exception = False
    with caplog.at_level(logging.WARNING):
        social_worker_client.get("/broken-by-input/", {"given_name": "Aoife"})

    [record] = _request_log(caplog)
    assert "Aoife" not in _logged(record)
    assert "LookupError" in _logged(record)


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_database_error_logs_no_stored_value(social_worker_client: Client, caplog: pytest.LogCaptureFixture) -> None:
    social_worker_client.raise_request_exception = False
    with caplog.at_level(logging.WARNING):
        social_worker_client.get("/broken-by-the-database/")

    [record] = _request_log(caplog)
    assert "P0000901" not in _logged(record)
    assert "IntegrityError: [message withheld" in _logged(record)
