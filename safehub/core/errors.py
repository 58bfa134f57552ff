"""Errors raised by services; views show them in the GOV.UK error summary."""


class DomainError(Exception):
    """A safeguarding rule refuses the action. The message is shown to the user as it is."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConcurrentChange(DomainError):  # noqa: N818 (a domain word, not a suffix)
    """Somebody else changed the record since the form was loaded."""

    def __init__(self, noun: str = "contact") -> None:
        super().__init__(f"This {noun} was changed by someone else. Reload the page and try again.")
