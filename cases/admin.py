"""Configuration in the Django admin: departments, units, categories and
pause periods. Cases are read-only here; they change only through services."""
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _, ngettext

from cases import services
from cases.models import Answer, Attachment, Case, CaseEvent, Category, Contact, Department, PausePeriod, Unit, UnitMembership


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ("name", "email", "is_active")
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "is_active")
    search_fields = ("name",)
    filter_horizontal = ("heads",)
    inlines = [UnitInline]


class MembershipInline(admin.TabularInline):
    model = UnitMembership
    autocomplete_fields = ("user",)
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "department", "email", "is_active")
    list_filter = ("department", "is_active")
    search_fields = ("name", "department__name")
    inlines = [MembershipInline]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "name_en", "default_unit", "retention_years", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "default_unit__department")
    search_fields = ("name", "name_en")
    autocomplete_fields = ("default_unit",)


@admin.register(PausePeriod)
class PausePeriodAdmin(admin.ModelAdmin):
    list_display = ("reason", "start", "end")
    date_hierarchy = "start"

    def save_model(self, request, obj, form, change):
        changed = services.pause_period_save(period=obj, by=request.user)
        self._report(request, changed)

    def delete_model(self, request, obj):
        changed = services.pause_period_delete(period=obj, by=request.user)
        self._report(request, changed)

    def delete_queryset(self, request, queryset):
        changed = sum(services.pause_period_delete(period=p, by=request.user) for p in queryset)
        self._report(request, changed)

    def _report(self, request, changed):
        messages.info(
            request,
            ngettext("%(n)d open case got a new due date.", "%(n)d open cases got a new due date.", changed)
            % {"n": changed},
        )


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContactInline(ReadOnlyInline):
    model = Contact
    fields = ("name", "email", "phone", "preferred", "protected_identity")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "uploaded_at")
    readonly_fields = fields


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ("created_at", "channel", "author", "text")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = CaseEvent
    fields = ("created_at", "kind", "actor", "text", "data")
    readonly_fields = fields
    ordering = ("created_at", "id")


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "category", "unit", "status", "received_at", "due_date")
    list_filter = ("status", "kind", "channel", "unit__department")
    search_fields = ("number",)
    list_select_related = ("category", "unit")
    show_full_result_count = False
    inlines = [ContactInline, AttachmentInline, AnswerInline, EventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
