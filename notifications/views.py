"""The back-office list of messages that could not be sent, the retry form,
and Twilio's delivery status callback."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cases.permissions import can_work_on, is_administrator
from cases.views.access import staff_view
from notifications import services
from notifications.forms import retry_form_for
from notifications.selectors import failed_messages_for


@staff_view
def failed_list(request):
    page = Paginator(failed_messages_for(request.user), 50).get_page(request.GET.get("sida"))
    rows = [(message, services.case_url(message.case) if message.case_id else "") for message in page]
    return render(request, "notifications/failed_list.html", {"page": page, "rows": rows})


@staff_view
def failed_retry(request, pk: int):
    message = get_object_or_404(failed_messages_for(request.user), pk=pk, content_visible=True)
    # Seeing a message is not enough to send it: department heads only read.
    if not (is_administrator(request.user) if message.case is None else can_work_on(request.user, message.case)):
        raise PermissionDenied(_("You may not send messages of this case."))
    form = retry_form_for(request.POST or None, channel=message.channel, initial={"recipient": message.recipient})
    if request.method == "POST" and form.is_valid():
        try:
            services.message_retry(message=message, by=request.user, recipient=form.cleaned_data["recipient"])
        except services.NotificationError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The message has been queued again. It is sent within a minute."))
        return redirect("notifications:failed_list")
    return render(request, "notifications/failed_retry.html", {"message": message, "form": form})


@csrf_exempt
@require_POST
def twilio_status(request):
    """Twilio's status callback. Only a request signed with our auth token
    is accepted (X-Twilio-Signature over the URL and the form fields)."""
    from twilio.request_validator import RequestValidator

    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return HttpResponseForbidden()
    validator = RequestValidator(token)
    params = {key: request.POST.get(key) for key in request.POST}
    # Twilio signs the URL it called: SITE_URL as configured, or the URL as
    # this server sees it when no proxy rewrites it.
    urls = {settings.SITE_URL + request.get_full_path(), request.build_absolute_uri()}
    if not any(validator.validate(url, params, signature) for url in urls):
        return HttpResponseForbidden()
    services.message_status_update(
        provider_message_id=request.POST.get("MessageSid", ""),
        provider_status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
    )
    return HttpResponse(status=204)
