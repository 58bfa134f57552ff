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


class Problem:
    """One thing wrong with what was sent: its message, the field it belongs to, and for a list
    of items (the people named in a contact), which item."""

    def __init__(self, message: str, *, field: str | None = None, item: int | None = None) -> None:
        self.message, self.field, self.item = message, field, item

    def __repr__(self) -> str:
        return f"Problem({self.message!r}, field={self.field!r}, item={self.item!r})"


class Refused(DomainError):  # noqa: N818 (a domain word)
    """Every problem a service found with its input at once, so that a form can show them all."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, field=first.field)
        self.problems = problems
