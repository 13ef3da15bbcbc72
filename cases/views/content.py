"""The process owner's pages: the public texts (the portal's start page and
receipt texts), the service messages at the top of the portal, and the staff
guide, which every member of staff reads here. Each edit view validates,
calls one service in cases/texts.py and redirects."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import permissions, texts
from cases.forms import PublicTextForm, ServiceMessageForm
from cases.models import PublicText, ServiceMessage
from cases.views.access import StaffRequest, any_staff_view, content_view
from core.markup import markup_render

Key = PublicText.Key

# The texts in the order the index lists them, in groups.
GROUPS: list[tuple[str, tuple[str, ...]]] = [
    ("start", texts.START_KEYS),
    ("receipt", tuple(texts.RECEIPT_KEYS.values())),
    ("guide", (Key.STAFF_GUIDE,)),
]


# Where each text shows, so the process owner can look at it after saving.
def _shown_at(key: str) -> str:
    if key == Key.STAFF_GUIDE:
        return reverse("cases:guide")
    if key in texts.START_KEYS:
        return reverse("portal:start")
    return ""


@content_view
def content_index(request: StaffRequest) -> HttpResponse:
    current, _past = texts.service_messages_for_editing()
    admin_links = [
        (_("Subject areas"), "admin:cases_category_changelist"),
        (_("Answer templates"), "admin:cases_answertemplate_changelist"),
        (_("Message templates (e-mail and SMS)"), "admin:notifications_messagetemplate_changelist"),
        (_("Pause periods (the summer exception)"), "admin:cases_pauseperiod_changelist"),
        (_("Matters not handled here: why, and where to turn"), "admin:cases_excludedmatter_changelist"),
        (_("Accessibility statement and privacy notice"), "admin:portal_page_changelist"),
    ]
    return render(
        request,
        "cases/content/index.html",
        {
            "groups": [(name, [(key, Key(key).label) for key in keys]) for name, keys in GROUPS],
            "current_messages": current,
            "admin_links": [(label, reverse(name)) for label, name in admin_links],
        },
    )


@content_view
def text_edit(request: StaffRequest, key: str) -> HttpResponse:
    if key not in Key.values:
        raise Http404
    versions = texts.text_versions(key)
    form = PublicTextForm(request.POST or None, key=key, versions=versions)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = [
                (version.language_name, markup_render(form.body(version.language), headings=key in texts.WITH_HEADINGS))
                for version in versions
            ]
        else:
            changed = texts.public_text_save(key=key, bodies=form.bodies(), by=request.user)
            messages.success(
                request,
                _("The text was saved. It shows at once.") if changed else _("Nothing was changed."),
            )
            return redirect("cases:content_text", key=key)
    return render(
        request,
        "cases/content/text_edit.html",
        {
            "form": form,
            "key": key,
            "label": Key(key).label,
            "shown_at": _shown_at(key),
            "preview": preview,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@content_view
def service_messages(request: StaffRequest) -> HttpResponse:
    current, past = texts.service_messages_for_editing()
    return render(request, "cases/content/service_messages.html", {"current": current, "past": past})


@content_view
def service_message_edit(request: StaffRequest, message_id: int | None = None) -> HttpResponse:
    message = get_object_or_404(ServiceMessage, pk=message_id) if message_id is not None else None
    form = ServiceMessageForm(request.POST or None, message=message)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        texts.service_message_save(
            message=message,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            texts=form.texts(),
            by=request.user,
        )
        messages.success(request, _("The service message was saved."))
        return redirect("cases:service_messages")
    return render(
        request,
        "cases/content/service_message_edit.html",
        {"form": form, "message": message},
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@content_view
def service_message_end(request: StaffRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(ServiceMessage, pk=message_id)
    if texts.service_message_end(message=message):
        messages.success(request, _("The service message was taken down."))
    else:
        messages.info(request, _("The service message had already ended."))
    return redirect("cases:service_messages")


@any_staff_view
def guide(request: StaffRequest) -> HttpResponse:
    """The staff guide: how to register, route, answer and close, and what
    the guideline asks, with a link to the adopted guideline."""
    return render(
        request,
        "cases/guide.html",
        {
            "body": texts.text_html(Key.STAFF_GUIDE),
            "can_edit": permissions.can_edit_content(request.user),
            "guideline": {
                "name": settings.KONTAKT_GUIDELINE_NAME,
                "reference": settings.KONTAKT_GUIDELINE_REFERENCE,
                "adopted": settings.KONTAKT_GUIDELINE_ADOPTED,
                "url": settings.KONTAKT_GUIDELINE_URL,
            },
        },
    )
