"""Twilio's delivery status callback. The back office's list of messages
that could not be sent is in cases/views/messages.py."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator

from notifications import services


@csrf_exempt
@require_POST
def twilio_status(request: HttpRequest) -> HttpResponse:
    """Twilio's status callback. Only a request signed with our auth token
    is accepted (X-Twilio-Signature over the URL and the form fields)."""
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
