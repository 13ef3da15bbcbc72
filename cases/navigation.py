"""Where each member of staff starts and what the staff menu offers them,
decided once from the roles in cases/permissions.py. The sign-in lands on
/handlaggning/ (settings.LOGIN_REDIRECT_URL), whose view sends each role on
with landing_url(); every staff page renders the menu from staff_links()."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases import permissions
from cases.selectors import Queue


def landing_queue(user: Any) -> str:
    """The queue a member of staff with case access starts in: the desk
    triages the new cases, a unit head oversees the unit, an officer works
    on their own cases, a department head reads the department's units and
    an administrator follows what comes in."""
    if permissions.is_citizen_service(user):
        return Queue.NEW
    if permissions.headed_unit_ids(user):
        return Queue.UNITS
    if permissions.member_unit_ids(user):
        return Queue.MINE
    if permissions.visible_unit_ids(user):
        return Queue.UNITS
    if permissions.is_administrator(user):
        return Queue.NEW
    return Queue.MINE


def landing_url(user: Any) -> str:
    """Staff with case access start in a queue; a process owner without it on
    the public texts, an employee on the cases they registered, a statistics
    reader on the statistics."""
    if permissions.has_case_access(user):
        return f"{reverse('cases:list')}?queue={landing_queue(user)}"
    if permissions.can_edit_content(user):
        return reverse("cases:content")
    if permissions.can_register(user):
        return reverse("cases:registered")
    return reverse("stats:overview")


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


def staff_links(user: Any, path: str = "") -> list[Link]:
    """The staff menu: only the pages the user may open. The page being
    shown (its path starts with the link's) is marked as current."""
    links: list[tuple[str, str]] = []
    if permissions.has_case_access(user):
        links.append((_("Cases"), reverse("cases:home")))
        links.append((_("Improvements"), reverse("cases:improvements")))
    if permissions.can_register(user):
        links.append((_("Register a case"), reverse("cases:register")))
        links.append((_("Cases I registered"), reverse("cases:registered")))
    if permissions.can_read_statistics(user):
        links.append((pgettext("statistics", "Statistics"), reverse("stats:overview")))
    if permissions.has_case_access(user):
        links.append((_("Unsent messages"), reverse("failed_messages:list")))
    if permissions.can_edit_content(user):
        links.append((_("Texts and guide"), reverse("cases:content")))
    if permissions.is_administrator(user):
        links.append((_("Register extract"), reverse("retention:person_search")))
    if (permissions.is_administrator(user) and user.is_staff) or permissions.is_process_owner(user):
        links.append((_("Administration"), reverse("admin:index")))
    if permissions.has_case_access(user) or permissions.can_register(user) or permissions.can_edit_content(user):
        links.append((_("Staff guide"), reverse("cases:guide")))
    links.append((_("Two-factor authentication"), reverse("mfa_index")))
    # The longest matching link is the current one (the case list lives under /handlaggning/ too).
    current = max((url for _label, url in links if path.startswith(url)), key=len, default=None)
    return [Link(label, url, url == current) for label, url in links]
