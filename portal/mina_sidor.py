"""Mina sidor: the signed-in citizen's own pages. Every case is looked up
through cases.permissions.cases_of_citizen (portal/selectors.py), so any case
URL that is not the citizen's answers 404."""

from __future__ import annotations

import json
import logging
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.citizen import logout_hint
from accounts.citizen.views import CitizenOAuth2Adapter
from accounts.models import CitizenIdentity
from cases import services, surveys
from portal import selectors
from portal.mina_sidor_forms import ContactForm, MessageForm, contact_initial

log = logging.getLogger(__name__)


def sign_in_available() -> bool:
    return bool(settings.KONTAKT_OIDC_CLIENT_ID and settings.KONTAKT_OIDC_SERVER_URL)


def citizen_required(view):
    """Anonymous visitors are sent to sign in; a staff session gets no access."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return HttpResponseRedirect(
                f"{reverse('portal:mina_sidor_sign_in')}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
            )
        if not user.is_citizen:
            return render(request, "portal/mina_sidor/not_citizen.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
def sign_in(request):
    if request.user.is_authenticated and request.user.is_citizen:
        return redirect("portal:mina_sidor")
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("portal:mina_sidor")
    login_url = ""
    if sign_in_available():
        login_url = reverse("openid_connect_login", kwargs={"provider_id": settings.KONTAKT_OIDC_PROVIDER_ID})
    return render(request, "portal/mina_sidor/sign_in.html", {"login_url": login_url, "next_url": next_url})


@require_POST
def sign_out(request):
    """Signs out of Kontakt, then, when the broker offers it, out of the
    broker too (OpenID Connect RP-initiated logout)."""
    from allauth.account.adapter import get_adapter

    was_citizen = request.user.is_authenticated and request.user.is_citizen
    # Taken out of the session before it ends: used for this redirect only.
    id_token = logout_hint.take(request)
    get_adapter(request).logout(request)
    messages.success(request, _("You are signed out."))
    end_session = _broker_end_session_url(request, id_token) if was_citizen else ""
    return HttpResponseRedirect(end_session or reverse("portal:start"))


def _broker_end_session_url(request, id_token: str) -> str:
    if not (settings.KONTAKT_OIDC_PROVIDER_LOGOUT and sign_in_available()):
        return ""
    try:
        config = CitizenOAuth2Adapter(request, settings.KONTAKT_OIDC_PROVIDER_ID).openid_config
    except Exception:  # the broker is unreachable: signing out of Kontakt is what matters
        log.warning("could not read the broker's configuration for sign-out", exc_info=True)
        return ""
    endpoint = config.get("end_session_endpoint")
    if not endpoint:
        return ""
    params = {
        "client_id": settings.KONTAKT_OIDC_CLIENT_ID,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("portal:start")),
    }
    if id_token:
        # With the hint the broker knows whose session to end and does not
        # ask the citizen whether to sign out there too.
        params["id_token_hint"] = id_token
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{urlencode(params)}"


@require_GET
@citizen_required
def overview(request):
    cases = list(selectors.citizen_case_list(request.user))
    now = timezone.now()
    rows = [
        {"case": case, "status": selectors.status_in_words(case), "survey_open": selectors.survey_is_open(case, now)}
        for case in cases
    ]
    identity = CitizenIdentity.objects.filter(user=request.user).first()
    return render(
        request, "portal/mina_sidor/overview.html", {"rows": rows, "identity": identity, "nav_current": "overview"}
    )


def _detail_context(request, case, form=None):
    return {
        "case": case,
        "status": selectors.status_in_words(case),
        "attachments": selectors.citizen_attachments(case),
        "answers": selectors.citizen_answers(case),
        "timeline": selectors.citizen_timeline(case),
        "form": form if form is not None else (MessageForm() if case.is_open else None),
        "show_staff_names": settings.KONTAKT_SHOW_STAFF_NAMES,
        "survey": surveys.survey_of_case(case).found.value,
        "question": selectors.open_question(case),
        "not_handled_text": selectors.not_handled_text(case),
    }


@require_GET
@citizen_required
def case_detail(request, public_id):
    case = selectors.citizen_case(request.user, public_id)
    return render(request, "portal/mina_sidor/case_detail.html", _detail_context(request, case))


@require_POST
@citizen_required
def case_message(request, public_id):
    case = selectors.citizen_case(request.user, public_id)
    if not case.is_open:
        messages.error(request, _("Your case is closed, so you cannot write to it. Send a new case instead."))
        return redirect("portal:mina_sidor_case", public_id=case.public_id)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/mina_sidor/case_detail.html", _detail_context(request, case, form), status=400)
    upload = form.cleaned_data.get("attachment")
    attachments = [services.AttachmentData(file=upload, content_type=form.attachment_content_type)] if upload else []
    try:
        services.case_add_citizen_message(
            case=case, text=form.cleaned_data["text"], citizen=request.user, attachments=attachments
        )
    except services.CaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your message has been sent. It is now on your case."))
    return redirect("portal:mina_sidor_case", public_id=case.public_id)


@require_GET
@citizen_required
def attachment_download(request, public_id, attachment_id):
    attachment = selectors.citizen_attachment(request.user, public_id, attachment_id)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@citizen_required
def contact_settings(request):
    identity = CitizenIdentity.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            changed = services.citizen_contact_update(
                citizen=request.user,
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                notify_by=data["notify_by"],
            )
            messages.success(
                request,
                ngettext(
                    "Your choices are saved. They apply to %(count)s open case.",
                    "Your choices are saved. They apply to %(count)s open cases.",
                    changed,
                )
                % {"count": changed}
                if changed
                else _("Your choices are saved."),
            )
            return redirect("portal:mina_sidor")
        status = 400
    else:
        form = ContactForm(
            initial=contact_initial(
                name=request.user.get_full_name(),
                identity=identity,
                latest=selectors.latest_contact_of_citizen(request.user),
            )
        )
        status = 200
    return render(request, "portal/mina_sidor/settings.html", {"form": form, "nav_current": "settings"}, status=status)


@require_GET
@citizen_required
def data_export(request):
    data = selectors.citizen_data_export(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    filename = f"mina-uppgifter-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
