"""The only part of notifications that cases/ calls. Each function is called
inside the transaction of the change that causes the message; it writes the
outbox rows there, and sending happens after commit."""
from __future__ import annotations


def case_registered(case) -> None:
    """Receipt to the sender; notice to the unit's e-mail address."""


def case_routed(case) -> None:
    """Notice to the new unit's e-mail address."""


def case_assigned(case) -> None:
    """Notice to the new assignee."""


def case_answered(case, answer) -> None:
    """'Your case has been handled' to the sender, by e-mail or SMS."""


def case_closed(case) -> None:
    """'Your case is closed' to the sender."""


def citizen_message(case) -> None:
    """Notice to the assignee (or the unit) of a follow-up from the sender."""
