"""The admin: administrators keep the list of secrecy provisions. Marks,
grants, releases and refusals are read here and changed only through the
back office (cases.secrecy, records.services); the access log can never be
changed. The provisions, marks and grants are models of the case domain
(cases.models); their pages are here with the rest of public records."""

from django.contrib import admin

from cases.models import AccessGrant, SecrecyMark, SecrecyProvision
from core.admin import ReadOnlyAdmin
from records.models import AccessLogEntry, Refusal, Release


@admin.register(SecrecyProvision)
class SecrecyProvisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "label", "code", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["reference", "label", "code"]

    def has_delete_permission(self, request, obj=None):
        return False  # marks and refusals refer to it; make it inactive instead


@admin.register(SecrecyMark)
class SecrecyMarkAdmin(ReadOnlyAdmin):
    list_display = ["case", "attachment", "provision", "marked_at", "marked_by", "review_on", "removed_at"]
    list_select_related = ["case", "attachment", "provision", "marked_by"]
    search_fields = ["case__number"]


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyAdmin):
    list_display = ["case", "user", "granted_by", "granted_at", "revoked_at"]
    list_select_related = ["case", "user", "granted_by"]
    search_fields = ["case__number"]


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "at", "user", "case_number", "kind", "attachment_id", "hash"]
    list_select_related = ["user"]
    search_fields = ["case_number"]
    list_filter = ["kind"]
    actions = None


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAdmin):
    list_display = ["case", "released_at", "released_by", "recipient"]
    list_select_related = ["case", "released_by"]
    search_fields = ["case__number"]


@admin.register(Refusal)
class RefusalAdmin(ReadOnlyAdmin):
    list_display = ["case", "refused_at", "refused_by", "requester", "provision"]
    list_select_related = ["case", "refused_by", "provision"]
    search_fields = ["case__number"]
