"""Configuration in the Django admin: departments, units, categories and
pause periods. Cases are read-only here; they change only through services."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import permissions, services
from cases.models import (
    AnswerTemplate,
    Case,
    Category,
    Department,
    ExcludedMatter,
    PausePeriod,
    Unit,
    UnitMembership,
)
from core.admin import LabelledListEditableAdmin
from core.mfa import session_passed_mfa

# The admin lets in staff with the is_staff flag who passed the second factor
# (accounts/admin.py). A process owner is let in by their role too, whatever
# the flag: their group's permissions (cases.permissions
# .PROCESS_OWNER_ADMIN_MODELS) show them subject areas, templates, pause
# periods and pages, and every other page of the admin answers 403.
_admin_gate = admin.site.has_permission


def _admin_gate_with_process_owner(request):
    if _admin_gate(request):
        return True
    return permissions.is_process_owner(request.user) and session_passed_mfa(request)


admin.site.has_permission = _admin_gate_with_process_owner  # type: ignore[method-assign]


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


class CategoryMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Category.objects.none(),
        help_text=_("The cases and answer templates of the chosen subject areas move here."),
        error_messages={"required": _("Choose the subject area to merge into.")},
    )

    def __init__(self, *args, sources: list[Category], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Category.objects.exclude(pk__in=[c.pk for c in sources])


@admin.register(Category)
class CategoryAdmin(LabelledListEditableAdmin):
    list_display = ("name", "name_en", "default_unit", "retention_years", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "default_unit__department")
    search_fields = ("name", "name_en")
    autocomplete_fields = ("default_unit",)
    actions = ["merge_into"]

    @admin.action(description=_("Merge into another subject area"))
    def merge_into(self, request, queryset):
        """Asks for the subject area to merge into (an intermediate page),
        then moves every case of the selected ones there
        (services.category_merge)."""
        sources = list(queryset)
        form = CategoryMergeForm(request.POST if "apply" in request.POST else None, sources=sources)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            with transaction.atomic():
                moved = 0
                for source in sources:
                    moved += services.category_merge(source=source, target=target)
                    self.log_change(request, source, f"Merged into {target.name}")
            self.message_user(
                request,
                ngettext(
                    "%(n)d case moved to %(target)s.",
                    "%(n)d cases moved to %(target)s.",
                    moved,
                )
                % {"n": moved, "target": target.name},
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/cases/category/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Merge subject areas"),
                "opts": self.model._meta,
                "form": form,
                "sources": sources,
                "action_name": "merge_into",
            },
        )


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(LabelledListEditableAdmin):
    list_display = ("title", "category", "position", "is_active")
    list_editable = ("position", "is_active")
    list_filter = ("is_active", "category")
    search_fields = ("title", "text")
    autocomplete_fields = ("category",)


# An excluded matter's text goes into the closing SMS too: this length keeps
# that message within the SMS limit.
EXCLUDED_MATTER_TEXT_MAX = 220


def _excluded_matter_text_field(code: str, name: str) -> forms.CharField:
    return forms.CharField(
        label=_("Why, and where to turn (%(language)s)") % {"language": name},
        required=code == settings.LANGUAGE_CODE,
        max_length=EXCLUDED_MATTER_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Told to the sender in the closing e-mail and SMS and on Mina sidor. At most %(max)s characters, "
            "so it fits in an SMS. Empty: the text in Swedish is shown."
        )
        % {"max": EXCLUDED_MATTER_TEXT_MAX},
        error_messages={
            "required": _("Write why the case is not handled here and where the sender can turn."),
            "max_length": _("Shorten the text to at most %(limit_value)s characters."),
        },
    )


class ExcludedMatterForm(forms.ModelForm):
    """A kind of matter not handled here, with its text in every language of
    the site (the default language required) in a box of its own."""

    class Meta:
        model = ExcludedMatter
        fields = ("name", "is_active", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        texts = self.instance.texts or {}
        for code, _name in settings.LANGUAGES:
            self.fields[f"text_{code}"].initial = texts.get(code, "")

    def save(self, commit=True):
        self.instance.texts = {
            code: self.cleaned_data[f"text_{code}"].strip()
            for code, _name in settings.LANGUAGES
            if self.cleaned_data.get(f"text_{code}", "").strip()
        }
        return super().save(commit)


# One box per language of the site, declared on the form so the admin knows them.
for _code, _language in settings.LANGUAGES:
    ExcludedMatterForm.base_fields[f"text_{_code}"] = ExcludedMatterForm.declared_fields[f"text_{_code}"] = (
        _excluded_matter_text_field(_code, _language)
    )


@admin.register(ExcludedMatter)
class ExcludedMatterAdmin(admin.ModelAdmin):
    form = ExcludedMatterForm
    list_display = ("name", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)

    def get_fields(self, request, obj=None):
        return ["name", *[f"text_{code}" for code, _name in settings.LANGUAGES], "position", "is_active"]

    def has_delete_permission(self, request, obj=None):
        # Closed cases keep their kind: retire one by making it inactive.
        return False


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


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """An overview for administrators: what a case is and where it stands.
    Its content (the sender's text, contact details, attachments, answers,
    the timeline) is read in the back office, where secrecy applies and
    every opening is logged, never here."""

    list_display = ("number", "kind", "category", "unit", "status", "received_at", "due_date")
    list_filter = ("status", "kind", "channel", "unit__department")
    search_fields = ("number",)
    list_select_related = ("category", "unit")
    show_full_result_count = False
    fields = (
        "number",
        "kind",
        "feedback_type",
        "category",
        "unit",
        "assignee",
        "channel",
        "status",
        "resolution",
        "received_at",
        "due_date",
        "original_due_date",
        "extended_to",
        "first_answered_at",
        "answered_in_time",
        "closed_at",
        "closed_in_time",
        "back_office_link",
    )
    readonly_fields = fields

    @admin.display(description=_("In the back office"))
    def back_office_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">{}</a>', reverse("cases:detail", args=[obj.number]), _("Open the case"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.method in ("GET", "HEAD") and super().has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
