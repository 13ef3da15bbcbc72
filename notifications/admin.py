"""Administrators edit message templates here and can read the outbox.
Outbox rows change only through notifications/services.py."""

from django.contrib import admin
from django.http import HttpRequest

from core.admin import ReadOnlyAdmin
from notifications.models import MessageTemplate, OutboundMessage


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    list_display = ("key", "channel", "language", "subject", "updated_at")
    list_filter = ("key", "channel", "language")
    fields = ("key", "channel", "language", "subject", "body_text", "body_html")

    def get_readonly_fields(self, request: HttpRequest, obj: MessageTemplate | None = None) -> tuple[str, ...]:
        # The shipped set is fixed; only the words change.
        return ("key", "channel", "language") if obj else ()


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    """Read only: the admin may read the outbox, never add, change or delete
    a row."""

    list_display = ("created_at", "template_key", "channel", "recipient", "status", "attempts", "subject_key")
    list_filter = ("status", "channel", "template_key", "kind")
    search_fields = ("recipient", "subject_key", "provider_message_id")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: OutboundMessage | None = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]
