"""The back office's list of messages that could not be sent, and the form
that corrects the address and sends one again. A corrected address of the
sender is saved in the case's contact details (services.case_update_contact)
in the same transaction as the message is queued again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import User
from cases import notices, permissions, selectors, services
from cases.forms import retry_form_for
from cases.models import Case
from cases.views.access import StaffRequest, staff_view
from notifications import services as outbox
from notifications.choices import Channel
from notifications.models import OutboundMessage


@staff_view
def failed_list(request: StaffRequest) -> HttpResponse:
    page = Paginator(selectors.failed_messages_for(request.user), 50).get_page(request.GET.get("sida"))
    cases = selectors.cases_of_messages(page)
    rows = []
    for message in page:
        case = selectors.case_of_message(message, cases)
        rows.append((message, case, notices.case_url(case) if case else ""))
    return render(request, "cases/failed_messages.html", {"page": page, "rows": rows})


def _correct_contact(*, case: Case | None, message: OutboundMessage, recipient: str, by: User) -> None:
    """A corrected address of the sender belongs in the case's contact details."""
    if case is None or message.kind != OutboundMessage.Kind.CITIZEN or recipient == message.recipient:
        return
    if message.channel == Channel.EMAIL:
        services.case_update_contact(case=case, by=by, email=recipient)
    else:
        services.case_update_contact(case=case, by=by, phone=recipient)


@staff_view
def failed_retry(request: StaffRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(selectors.failed_messages_for(request.user), pk=pk, content_visible=True)
    case = selectors.case_of_message(message, selectors.cases_of_messages([message]))
    # Seeing a message is not enough to send it: department heads only read.
    if not (
        permissions.is_administrator(request.user) if case is None else permissions.can_work_on(request.user, case)
    ):
        raise PermissionDenied(_("You may not send messages of this case."))
    form = retry_form_for(request.POST or None, channel=message.channel, initial={"recipient": message.recipient})
    if request.method == "POST" and form.is_valid():
        recipient = form.cleaned_data["recipient"]
        try:
            with transaction.atomic():
                _correct_contact(case=case, message=message, recipient=recipient, by=request.user)
                outbox.message_retry(message=message, recipient=recipient)
        except outbox.NotificationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The message has been queued again. It is sent within a minute."))
        return redirect("failed_messages:list")
    return render(request, "cases/failed_message_retry.html", {"message": message, "case": case, "form": form})
