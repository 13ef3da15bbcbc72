"""Read queries of the outbox, for the apps that send messages: what became
of the messages about a subject, and whether an occasion's message exists."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.models import OutboundMessage


def messages_about(subject_keys: list[str]) -> QuerySet[OutboundMessage]:
    """The messages about these subjects (the opaque keys given to
    message_enqueue), oldest first."""
    return OutboundMessage.objects.filter(subject_key__in=subject_keys).order_by("created_at", "pk")


def failed_messages() -> QuerySet[OutboundMessage]:
    """Messages that could not be sent, the latest failure first."""
    return OutboundMessage.objects.filter(status__in=OutboundMessage.FAILED_STATUSES).order_by("-updated_at", "-pk")


def message_queued(*, dedupe_key: str) -> bool:
    """A message for this occasion (message_enqueue's dedupe_key) exists."""
    return OutboundMessage.objects.filter(dedupe_key=dedupe_key).exists()


def dedupe_keys_taken(keys: list[str]) -> set[str]:
    """Which of these occasions (message_enqueue's dedupe_key) already have a
    message, in one query."""
    if not keys:
        return set()
    rows = OutboundMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
    return {key for key in rows if key}
