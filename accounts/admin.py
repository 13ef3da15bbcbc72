from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.models import StaffIdentity, User
from core.mfa import session_passed_mfa


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("email", "first_name", "last_name", "kind", "is_active", "is_staff")
    list_filter = ("kind", "is_active", "is_staff", "groups")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    fieldsets = (*(DjangoUserAdmin.fieldsets or ()), (_("Kontakt"), {"fields": ("kind",)}))
    actions = ["reset_mfa"]
    # Written by sign-in, never by hand (and the split date widget has no label).
    readonly_fields = ("last_login", "date_joined")
    # Plain labelled multiple selects: the filter widget's help icon carries
    # an aria-label on a span, which screen readers do not announce.
    filter_horizontal = ()

    @admin.action(description=_("Reset two-factor authentication"))
    def reset_mfa(self, request, queryset):
        count = 0
        for user in queryset:
            services.user_mfa_reset(user=user, by=request.user)
            count += 1
        messages.success(
            request,
            ngettext(
                "Two-factor authentication was reset for %(n)d user. They set it up again at their next sign-in.",
                "Two-factor authentication was reset for %(n)d users. They set it up again at their next sign-in.",
                count,
            )
            % {"n": count},
        )


@admin.register(StaffIdentity)
class StaffIdentityAdmin(admin.ModelAdmin):
    """Accounts from the directory. Adding one by hand links an existing
    local account to its Entra identity (tenant and object id), so that the
    person keeps their history when they start signing in through Entra ID."""

    list_display = ("user", "user_name", "object_id", "last_signed_in_at", "provisioned_at", "deprovisioned_at")
    search_fields = ("user__email", "user_name", "object_id")
    autocomplete_fields = ("user",)
    fields = (
        "user",
        "tenant_id",
        "object_id",
        "user_name",
        "created_at",
        "last_signed_in_at",
        "provisioned_at",
        "deprovisioned_at",
    )
    readonly_fields = ("created_at", "last_signed_in_at", "provisioned_at", "deprovisioned_at")


def _admin_login(request, extra_context=None):
    """The admin has no sign-in form of its own: everyone signs in through
    allauth, with the second factor."""
    return redirect_to_login(request.GET.get("next") or request.get_full_path().replace("login/", ""))


# Django's AdminSite has no hook for these; the default site is patched in place.
admin.site.login = _admin_login  # type: ignore[method-assign]


_admin_has_permission = admin.site.has_permission


def _admin_has_permission_with_mfa(request):
    return _admin_has_permission(request) and session_passed_mfa(request)


admin.site.has_permission = _admin_has_permission_with_mfa  # type: ignore[method-assign]
