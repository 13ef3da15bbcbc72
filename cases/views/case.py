"""The case page and its actions. Each action view checks permission and
input, calls one service, adds a message and redirects; on bad input or a
conflict it shows the case page again with the officer's text kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import deadlines, hooks, notices, permissions, selectors, services
from cases.forms import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ExtendForm,
    NoteForm,
    RegisterForm,
    ReopenForm,
    RequestInfoForm,
    RouteForm,
    TakeForm,
    TrackingForm,
    with_version,
)
from cases.models import Answer, Case, CaseEvent, CaseType, Contact
from cases.views.access import StaffRequest, register_view, staff_view
from notifications.choices import Channel

# Builds an action's form from POST data for a case (again after a conflict).
FormFactory = Callable[[QueryDict, Case], Form]


def _contact(case: Case) -> Contact | None:
    try:
        return case.contact
    except Contact.DoesNotExist:
        return None


def _answer_initial(request: HttpRequest, case: Case) -> dict[str, Any]:
    """?mall=<id> starts the answer from a template, without JavaScript."""
    initial: dict[str, Any] = {"version": case.version}
    template_id = request.GET.get("mall", "")
    if template_id.isdigit():
        template = selectors.answer_templates_for(case).filter(pk=template_id).first()
        if template is not None:
            initial["text"] = template.text
    contact = _contact(case)
    if contact is not None:
        initial["channel"] = {
            "email": Answer.Channel.EMAIL,
            "sms": Answer.Channel.SMS,
            "phone": Answer.Channel.PHONE,
            "letter": Answer.Channel.LETTER,
        }.get(contact.preferred, "")
    return initial


def _restricted_page(request, case: Case):
    """A secret case for someone outside the handling unit: that it exists,
    its number and dates, never its content."""
    today = deadlines.local_date(timezone.now())
    return render(
        request,
        "cases/detail_restricted.html",
        {
            "case": case,
            "deadline": selectors.deadline_of(case, today, deadlines.calendar_for_pages()),
            "can_manage_secrecy": permissions.can_manage_secrecy(request.user, case),
            "can_read_access_log": permissions.can_read_access_log(request.user, case),
        },
    )


def _page(
    request,
    case: Case,
    *,
    bound: dict | None = None,
    status: int = 200,
    open_action: str = "",
    preview: notices.AnswerPreview | None = None,
):
    user = request.user
    if not permissions.can_see_content(user, case):
        return _restricted_page(request, case)
    # Every showing of the text and contact details is one row in the access
    # log, which the records app keeps on this signal.
    hooks.case_read.send(sender=Case, user=user, case=case, attachment=None)
    bound = bound or {}
    today = deadlines.local_date(timezone.now())
    calendar = deadlines.calendar_for_pages()
    can_work = permissions.can_work_on(user, case)
    contact = _contact(case)
    version = {"version": case.version}
    forms = {}
    # The options of the route and assign forms and the answer templates: one query.
    choices = selectors.action_choices_for(case) if can_work and case.is_open else selectors.ActionChoices()
    if can_work:
        if case.is_open:
            forms["route"] = bound.get("route") or RouteForm(
                case=case, initial=version, prefix="route", choices=choices.units
            )
            if permissions.can_assign(user, case):
                forms["assign"] = bound.get("assign") or AssignForm(
                    case=case, initial=version, prefix="assign", choices=choices.colleagues
                )
                if case.assignee_id != user.pk:
                    forms["take"] = TakeForm(initial=version, prefix="take")
            forms["note"] = bound.get("note") or NoteForm(prefix="note")
            if contact is not None and contact.can_be_answered or case.citizen_id:
                forms["answer"] = bound.get("answer") or AnswerForm(
                    initial=_answer_initial(request, case), prefix="answer"
                )
            forms["close"] = bound.get("close") or CloseForm(
                initial=version, prefix="close", user=user, excluded_matters=choices.excluded_matters
            )
            if permissions.can_extend(user, case):
                forms["extend"] = bound.get("extend") or ExtendForm(initial=version, prefix="extend", case=case)
            forms["request_info"] = bound.get("request_info") or RequestInfoForm(initial=version, prefix="request_info")
        else:
            forms["reopen"] = bound.get("reopen") or ReopenForm(initial=version, prefix="reopen")
        if case.tracking_token_hash:
            forms["tracking_revoke"] = TrackingForm(initial=version, prefix="tracking_revoke")
        if case.citizen_id is None:
            forms["tracking_renew"] = TrackingForm(initial=version, prefix="tracking_renew")
    # A form sent back with errors is shown even if the case has moved on
    # (e.g. closed meanwhile), so the message and the typed text are there.
    forms.update(bound)
    anonymous = not case.citizen_id and (contact is None or not contact.can_be_answered)
    attachments = [
        (a, permissions.can_see_attachment(user, a), permissions.is_attachment_marked(a))
        for a in case.attachments.all()
    ]
    # The files staff attached to a note or an answer, shown with it on the timeline.
    event_files: dict[int, list[tuple[Any, bool, bool]]] = {}
    for row in attachments:
        if row[0].event_id is not None:
            event_files.setdefault(row[0].event_id, []).append(row)
    answer_files = {
        (event.data or {}).get("answer_id"): event_files[event.pk]
        for event in case.events.all()
        if event.kind == CaseEvent.Kind.ANSWERED and event.pk in event_files
    }
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "contact": contact,
            "deadline": selectors.deadline_of(case, today, calendar),
            "events": selectors.case_timeline(case),
            "answers": case.answers.all(),
            "duplicates": selectors.case_duplicates(user=user, case=case),
            "attachments": attachments,
            "event_files": event_files,
            "answer_files": answer_files,
            "is_marked": permissions.is_marked(case),
            "can_mark": permissions.can_mark(user, case),
            "can_manage_secrecy": permissions.can_manage_secrecy(user, case),
            "can_read_access_log": permissions.can_read_access_log(user, case),
            "can_release": permissions.can_release(user, case),
            "forms": forms,
            "can_work": can_work,
            "anonymous": anonymous,
            "templates": choices.templates if "answer" in forms else [],
            "open_action": open_action or request.GET.get("atgard", ""),
            "has_errors": any(f.errors for f in bound.values()),
            "preview": preview,
        },
        status=status,
    )


@staff_view
def case_detail(request, number):
    case = selectors.case_for_page(user=request.user, number=number)
    return _page(request, case)


@staff_view
def attachment_download(request, number, attachment_id):
    case = get_object_or_404(permissions.cases_visible_to(request.user), number=number)
    attachment = get_object_or_404(case.attachments, public_id=attachment_id)
    attachment.case = case
    if not permissions.can_see_attachment(request.user, attachment):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404
    hooks.case_read.send(sender=Case, user=request.user, case=case, attachment=attachment)
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ actions
# One small view per action: load the case the action needs (404 if not
# visible, 403 if read only), validate the form, call one service (which
# locks the case), add the message and redirect. Only when the input is
# refused is the whole case page loaded, to show the form again.


def _case_for_action(request: HttpRequest, number: str, *, secrecy_under_lock: bool = False) -> Case:
    """secrecy_under_lock: the service checks the right to read a secret case
    under its lock (a reader), so it is not read here as well."""
    case = get_object_or_404(permissions.cases_visible_to(request.user), number=number)
    allowed = permissions.can_work_on_by_role if secrecy_under_lock else permissions.can_work_on
    if not allowed(request.user, case):
        raise PermissionDenied
    return case


def _show_again(request: HttpRequest, number: str, name: str, form: Form, *, status: int = 400) -> HttpResponse:
    """The case page with the officer's form bound, its errors and text kept."""
    case = selectors.case_for_page(user=request.user, number=number)
    return _page(request, case, bound={name: form}, status=status, open_action=name)


def _refused(
    request: HttpRequest, number: str, name: str, form: Form, error: services.CaseError, rebind: FormFactory
) -> HttpResponse:
    """The service refused: a conflict shows the latest case with the text
    kept and the new version; a rule of the domain is shown on the form."""
    if isinstance(error, services.CaseConflict):
        messages.error(request, str(error))
        case = selectors.case_for_page(user=request.user, number=number)
        again = rebind(with_version(request.POST, case.version, name), case)
        again.is_valid()
        return _page(request, case, bound={name: again}, status=409, open_action=name)
    form.add_error(None, str(error))
    return _show_again(request, number, name, form)


def _done(request: HttpRequest, number: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("cases:detail", number=number)


def _still_visible(request: HttpRequest, case: Case) -> bool:
    return permissions.cases_visible_to(request.user).filter(pk=case.pk).exists()


def _gone(request: HttpRequest, message: str) -> HttpResponse:
    """The action took the case out of the officer's sight: back to the
    queue, which is where the message belongs (the case page would be 404)."""
    messages.success(request, message)
    return redirect("cases:home")


@require_POST
@staff_view
def case_route(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)

    def rebind(data: QueryDict, case: Case) -> Form:
        return RouteForm(data, case=case, prefix="route")

    form = rebind(request.POST, case)
    if not form.is_valid():
        return _show_again(request, number, "route", form)
    data = form.cleaned_data
    try:
        services.case_route(
            case=case, unit=data["unit"], reason=data["reason"], by=request.user, expected_version=data["version"]
        )
    except services.CaseError as error:
        return _refused(request, number, "route", form, error, rebind)
    if not _still_visible(request, case):
        return _gone(
            request, _("Case %(number)s was sent to %(unit)s.") % {"number": case.number, "unit": data["unit"]}
        )
    return _done(request, number, _("The case was sent to the new unit."))


@require_POST
@staff_view
def case_assign(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)
    if not permissions.can_assign(request.user, case):
        raise PermissionDenied

    def rebind(data: QueryDict, case: Case) -> Form:
        return AssignForm(data, case=case, prefix="assign")

    form = rebind(request.POST, case)
    if not form.is_valid():
        return _show_again(request, number, "assign", form)
    if case.assignee_id not in (None, request.user.pk) and not permissions.can_reassign(request.user, case):
        raise PermissionDenied
    data = form.cleaned_data
    try:
        services.case_assign(case=case, assignee=data["assignee"], by=request.user, expected_version=data["version"])
    except services.CaseError as error:
        return _refused(request, number, "assign", form, error, rebind)
    if not _still_visible(request, case):
        return _gone(
            request,
            _("Case %(number)s was assigned to %(name)s.")
            % {"number": case.number, "name": data["assignee"].display_name},
        )
    return _done(request, number, _("The case was assigned."))


@require_POST
@staff_view
def case_take(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)
    if not permissions.can_assign(request.user, case):
        raise PermissionDenied

    def rebind(data: QueryDict, case: Case) -> Form:
        return TakeForm(data, prefix="take")

    form = rebind(request.POST, case)
    if not form.is_valid():
        return _show_again(request, number, "take", form)
    try:
        services.case_assign(
            case=case, assignee=request.user, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except services.CaseError as error:
        return _refused(request, number, "take", form, error, rebind)
    return _done(request, number, _("You now handle the case."))


@require_POST
@staff_view
def case_note(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)

    def rebind(data: QueryDict, case: Case) -> Form:
        return NoteForm(data, prefix="note")

    form = NoteForm(request.POST, request.FILES, prefix="note")
    if not form.is_valid():
        form.mark_files_lost(request.FILES)
        return _show_again(request, number, "note", form)
    try:
        services.case_add_note(
            case=case, text=form.cleaned_data["text"], by=request.user, attachments=form.cleaned_data["attachments"]
        )
    except services.CaseError as error:
        return _refused(request, number, "note", form, error, rebind)
    return _done(request, number, _("The note was saved."))


@require_POST
@staff_view
def case_answer(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number, secrecy_under_lock=True)

    def rebind(data: QueryDict, case: Case) -> Form:
        return AnswerForm(data, prefix="answer")

    form = AnswerForm(request.POST, request.FILES, prefix="answer")
    if not form.is_valid():
        if not permissions.can_see_content(request.user, case):
            raise PermissionDenied
        form.mark_files_lost(request.FILES)
        return _show_again(request, number, "answer", form)
    if "preview" in request.POST:
        form.mark_files_lost(request.FILES)
        return _answer_preview(request, number, form)
    data = form.cleaned_data
    try:
        services.case_answer(
            case=case,
            text=data["text"],
            channel=data["channel"],
            by=request.user,
            actions_taken=data["actions_taken"],
            improvement=data["improvement"],
            expected_version=data["version"],
            reader=request.user,
            attachments=data["attachments"],
        )
    except services.CaseForbidden:
        raise PermissionDenied
    except services.CaseError as error:
        return _refused(request, number, "answer", form, error, rebind)
    return _done(request, number, _("The answer was recorded."))


def _answer_preview(request: StaffRequest, number: str, form: Form) -> HttpResponse:
    """The case page again with the typed answer kept and, below it, what
    the sender would get for it. Nothing is stored or queued."""
    case = selectors.case_for_page(user=request.user, number=number)
    contact = _contact(case)
    channel, text = form.cleaned_data["channel"], form.cleaned_data["text"]
    refusal = services.answer_refusal(case=case, contact=contact, channel=channel)
    if refusal:
        form.add_error(None, refusal)
        return _page(request, case, bound={"answer": form}, status=400, open_action="answer")
    preview = notices.answer_preview(case=case, contact=contact, channel=channel, text=text)
    return _page(request, case, bound={"answer": form}, open_action="answer", preview=preview)


@require_POST
@staff_view
def case_close(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)

    def rebind(data: QueryDict, case: Case) -> Form:
        return CloseForm(data, prefix="close", user=request.user)

    form = rebind(request.POST, case)
    if not form.is_valid():
        return _show_again(request, number, "close", form)
    data = form.cleaned_data
    try:
        services.case_close(
            case=case,
            resolution=data["resolution"],
            by=request.user,
            note=data["note"],
            transfer_reference=data["transfer_reference"],
            transferred_to=data["transferred_to"],
            excluded_matter=data["excluded_matter"],
            duplicate_of=data.get("duplicate_of"),
            expected_version=data["version"],
        )
    except services.CaseError as error:
        return _refused(request, number, "close", form, error, rebind)
    return _done(request, number, _("The case was closed."))


@require_POST
@staff_view
def case_reopen(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)

    def rebind(data: QueryDict, case: Case) -> Form:
        return ReopenForm(data, prefix="reopen")

    form = rebind(request.POST, case)
    if not form.is_valid():
        return _show_again(request, number, "reopen", form)
    data = form.cleaned_data
    try:
        services.case_reopen(case=case, reason=data["reason"], by=request.user, expected_version=data["version"])
    except services.CaseError as error:
        return _refused(request, number, "reopen", form, error, rebind)
    return _done(request, number, _("The case was reopened."))


@require_POST
@staff_view
def case_extend(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)
    if not permissions.can_extend(request.user, case):
        raise PermissionDenied

    def rebind(data: QueryDict, case: Case) -> Form:
        return ExtendForm(data, prefix="extend", case=case)

    form = rebind(request.POST, case)
    if not form.is_valid():
        return _show_again(request, number, "extend", form)
    data = form.cleaned_data
    try:
        services.case_extend(
            case=case,
            due_date=data["due_date"],
            reason=data["reason"],
            by=request.user,
            expected_version=data["version"],
        )
    except services.CaseError as error:
        return _refused(request, number, "extend", form, error, rebind)
    return _done(request, number, _("The due date is now %(date)s.") % {"date": data["due_date"].isoformat()})


@require_POST
@staff_view
def case_request_info(request: StaffRequest, number: str) -> HttpResponse:
    case = _case_for_action(request, number)

    def rebind(data: QueryDict, case: Case) -> Form:
        return RequestInfoForm(data, prefix="request_info")

    form = rebind(request.POST, case)
    if not form.is_valid():
        return _show_again(request, number, "request_info", form)
    data = form.cleaned_data
    try:
        channel = services.case_request_info(
            case=case, question=data["question"], by=request.user, expected_version=data["version"]
        )
    except services.CaseError as error:
        return _refused(request, number, "request_info", form, error, rebind)
    if channel:
        return _done(
            request,
            number,
            _("The question was sent to the sender by %(channel)s. The case waits for their reply.")
            % {"channel": Channel(channel).label.lower()},
        )
    return _done(
        request,
        number,
        _(
            "No message could carry the question. The sender sees it when they open their case (the tracking link or Mina sidor)."
        ),
    )


def _tracking_action(request: StaffRequest, number: str, name: str) -> tuple[Case, TrackingForm | HttpResponse]:
    case = _case_for_action(request, number)
    form = TrackingForm(request.POST, prefix=name)
    if not form.is_valid():
        return case, _show_again(request, number, name, form)
    return case, form


@require_POST
@staff_view
def case_tracking_revoke(request: StaffRequest, number: str) -> HttpResponse:
    case, form = _tracking_action(request, number, "tracking_revoke")
    if isinstance(form, HttpResponse):
        return form

    def rebind(data: QueryDict, case: Case) -> Form:
        return TrackingForm(data, prefix="tracking_revoke")

    try:
        services.case_tracking_revoke(case=case, by=request.user, expected_version=form.cleaned_data["version"])
    except services.CaseError as error:
        return _refused(request, number, "tracking_revoke", form, error, rebind)
    return _done(request, number, _("The tracking link no longer works."))


@require_POST
@staff_view
def case_tracking_renew(request: StaffRequest, number: str) -> HttpResponse:
    case, form = _tracking_action(request, number, "tracking_renew")
    if isinstance(form, HttpResponse):
        return form

    def rebind(data: QueryDict, case: Case) -> Form:
        return TrackingForm(data, prefix="tracking_renew")

    try:
        channel = services.case_tracking_renew(
            case=case, by=request.user, expected_version=form.cleaned_data["version"]
        )
    except services.CaseError as error:
        return _refused(request, number, "tracking_renew", form, error, rebind)
    return _done(
        request,
        number,
        _("A new tracking link was sent to the sender by %(channel)s. The earlier link no longer works.")
        % {"channel": Channel(channel).label.lower() if channel else "-"},
    )


@register_view
def case_register(request: StaffRequest) -> HttpResponse:
    """Any employee registers a case received orally, by letter or another
    way. Who may see the case afterwards is decided as for any case; an
    employee with no unit follows it on "Ärenden jag registrerat"."""
    form = RegisterForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            kind, feedback_type = CaseType(data["subtype"]).fields
            case = services.case_register(
                kind=kind,
                feedback_type=feedback_type,
                category=data["category"],
                description=data["description"],
                place=data["place"],
                channel=data["channel"],
                contact=services.ContactData(
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    address=data["address"],
                    preferred=data["preferred"],
                    protected_identity=data["protected_identity"],
                ),
                attachments=data["attachments"],
                registered_by=request.user,
                received_at=data["received_at"],
                registered_at=timezone.now(),
                passed_on_by=data["passed_on_by"],
                passed_on_by_name=data["passed_on_by_name"],
            )
            messages.success(
                request,
                _("Case %(number)s was registered. The sender will hear from us no later than %(due)s.")
                % {"number": case.number, "due": formats.date_format(case.due_date, "j F Y")},
            )
            if _still_visible(request, case):
                return redirect("cases:detail", number=case.number)
            return redirect("cases:registered")
        form.mark_files_lost(request.FILES)
    return render(request, "cases/register.html", {"form": form}, status=400 if form.is_bound else 200)


@register_view
def registered_list(request: StaffRequest) -> HttpResponse:
    """Ärenden jag registrerat: the cases the user registered, with their
    status, unit and due date, never their content. The number links to
    the case page only where the user may open it anyway."""
    paginator = Paginator(selectors.cases_registered_by(request.user), REGISTERED_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    today = deadlines.local_date(timezone.now())
    calendar = deadlines.current_calendar()
    cases = list(page.object_list)
    openable = selectors.visible_ids(request.user, [case.pk for case in cases])
    rows = [(case, selectors.deadline_of(case, today, calendar), case.pk in openable) for case in cases]
    return render(request, "cases/registered.html", {"page": page, "rows": rows})


REGISTERED_PAGE_SIZE = 25
