"""Holds and the disposal log in the admin. Holds are placed and released
through retention.services; the log is read-only."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin
from retention import services
from retention.models import CaseHold, DisposalRun


@admin.register(CaseHold)
class CaseHoldAdmin(admin.ModelAdmin):
    list_display = ("case", "reason", "placed_by", "placed_at", "released_at")
    list_filter = (("released_at", admin.EmptyFieldListFilter),)
    search_fields = ("case__number", "reason")
    raw_id_fields = ("case",)
    actions = ["release"]

    def get_fields(self, request, obj=None):
        return (
            ("case", "reason")
            if obj is None
            else ("case", "reason", "placed_by", "placed_at", "released_by", "released_at")
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            created = services.hold_place(case=obj.case, reason=obj.reason, by=request.user)
        except services.RetentionError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        obj.pk = created.pk

    @admin.action(description=_("Release the selected holds"))
    def release(self, request, queryset):
        released = 0
        for hold in queryset.filter(released_at__isnull=True):
            services.hold_release(hold=hold, by=request.user)
            released += 1
        self.message_user(
            request,
            ngettext("%(count)s hold on disposal released.", "%(count)s holds on disposal released.", released)
            % {"count": released},
        )


@admin.register(DisposalRun)
class DisposalRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "trigger", "category_name", "retention_years", "closed_before", "count")
    list_filter = ("trigger",)
    search_fields = ("category_name",)
    readonly_fields = (
        "started_at",
        "finished_at",
        "trigger",
        "category",
        "category_name",
        "retention_years",
        "closed_before",
        "count",
        "case_numbers",
    )
