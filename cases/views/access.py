"""The gates of the back office, built on the kernel's staff gate
(core.access) with the domain's rules from cases/permissions.py:

- staff_view: staff with case access (a statistics reader gets 403);
- statistics_view: any member of staff, statistics readers included;
- any_staff_view: any member of staff (the back office's start, which sends
  each role on to its own page, and the staff guide);
- register_view: whoever may register a case (every employee);
- content_view: the process owner and administrators (the public texts).

A view behind any of the gates takes a StaffRequest: its user is signed in."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import permissions
from core.access import staff_view as _staff_gate

staff_view = _staff_gate(require=permissions.has_case_access, denied_message=_("You do not have access to cases."))
statistics_view = _staff_gate(require=permissions.can_read_statistics)
any_staff_view = _staff_gate()
register_view = _staff_gate(require=permissions.can_register, denied_message=_("You cannot register cases."))
content_view = _staff_gate(
    require=permissions.can_edit_content, denied_message=_("Only the process owner edits the public texts.")
)


class StaffRequest(HttpRequest):
    """The request a gated view receives (for the type checker: the gate
    has already turned away anonymous visitors and citizens)."""

    user: User
