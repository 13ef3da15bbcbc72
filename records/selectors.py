"""Read queries for the records pages, each a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from cases import permissions
from cases.models import AccessGrant, Answer, Attachment, Case, CaseEvent, SecrecyMark, SecrecyProvision
from records.models import AccessLogEntry, Refusal, Release


def case_for_records(*, user, number: str) -> Case:
    """A case the user can see, with what its copy and pages show (404 otherwise)."""
    return get_object_or_404(
        permissions.cases_visible_to(user)
        .select_related("category", "unit", "unit__department")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch("answers", queryset=Answer.objects.order_by("created_at", "id")),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("created_at", "id")),
        ),
        number=number,
    )


def active_marks(case: Case) -> list[SecrecyMark]:
    return list(
        SecrecyMark.objects.active()
        .filter(case=case)
        .select_related("provision", "marked_by", "attachment")
        .order_by("marked_at", "id")
    )


def provisions_of(case: Case) -> tuple[str, dict[int, str]]:
    """(the case's provision reference or "", {attachment id: provision reference})."""
    case_provision, by_attachment = "", {}
    for mark in active_marks(case):
        if mark.attachment_id is None:
            case_provision = mark.provision.reference
        else:
            by_attachment[mark.attachment_id] = mark.provision.reference
    return case_provision, by_attachment


def active_grants(case: Case) -> list[AccessGrant]:
    return list(
        AccessGrant.objects.filter(case=case, revoked_at__isnull=True)
        .select_related("user", "granted_by")
        .order_by("granted_at", "id")
    )


def active_provisions() -> QuerySet[SecrecyProvision]:
    return SecrecyProvision.objects.filter(is_active=True)


def access_log_of(case: Case) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(case_id=case.pk).select_related("user").order_by("-seq")


def releases_of(case: Case) -> list[Release]:
    return list(Release.objects.filter(case=case).select_related("released_by"))


def refusals_of(case: Case) -> list[Refusal]:
    return list(Refusal.objects.filter(case=case).select_related("refused_by", "provision"))
