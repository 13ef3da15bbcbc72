import uuid
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    _UserManagerBase = DjangoUserManager["User"]
else:
    _UserManagerBase = DjangoUserManager


class UserManager(_UserManagerBase):
    """Users sign in with their e-mail address; the username is kept only as
    Django's internal identifier and is set from the e-mail when missing."""

    def create_user(
        self, username: str | None = None, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        return super().create_user(username or (email or "").lower(), email, password, **extra_fields)

    def create_superuser(
        self, username: str | None = None, email: str | None = None, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("kind", User.Kind.STAFF)
        return super().create_superuser(username or (email or "").lower(), email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff or a citizen. The two never mix: citizens sign in
    through e-legitimation and reach only the portal; staff sign in with
    password and a second factor and reach the back office."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        CITIZEN = "citizen", _("Citizen")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    email = models.EmailField(_("e-mail address"), blank=True)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=models.Q(kind="staff") & ~models.Q(email=""),
                name="unique_staff_email",
            )
        ]

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email or self.username


# ------------------------------------------------------------- citizens


class CitizenIdentity(models.Model):
    """What Kontakt keeps about a citizen who signed in with e-legitimation.
    The personal identity number is never stored: only a keyed hash, used to
    find the same person again, and a masked form to show them. The
    issuer and subject live on the allauth SocialAccount."""

    class NumberKind(models.TextChoices):
        PERSONAL = "personnummer", _("Personal identity number")
        COORDINATION = "samordningsnummer", _("Coordination number")
        NONE = "", _("None (foreign e-identification)")

    class NotifyBy(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        NONE = "none", _("No notifications")

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="citizen_identity", verbose_name=_("user"))
    number_hash = models.CharField(_("number (keyed hash)"), max_length=64, blank=True, editable=False)
    number_kind = models.CharField(_("kind of number"), max_length=20, choices=NumberKind.choices, blank=True)
    number_masked = models.CharField(_("number (masked)"), max_length=20, blank=True)
    assurance_level = models.CharField(_("assurance level at last sign-in"), max_length=200, blank=True)
    notify_by = models.CharField(_("notify by"), max_length=10, choices=NotifyBy.choices, default=NotifyBy.EMAIL)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True, help_text=_("E.164, e.g. +46701234567"))
    created_at = models.DateTimeField(_("first signed in"), auto_now_add=True)
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen identity")
        verbose_name_plural = _("citizen identities")
        constraints = [
            models.UniqueConstraint(
                fields=["number_hash"], condition=~models.Q(number_hash=""), name="unique_citizen_number_hash"
            )
        ]

    def __str__(self):
        return self.number_masked or self.user.display_name


# ------------------------------------------------------------------ staff


class StaffIdentity(models.Model):
    """A member of staff whose account comes from the municipality's
    directory (Microsoft Entra ID), by sign-in or by SCIM provisioning. The
    account is found by tenant and object id (the token's `tid` and `oid`),
    never by e-mail. Its roles and units follow the directory's groups
    (directory/mapping.py), and it never signs in with a password."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_identity", verbose_name=_("user"))
    tenant_id = models.CharField(_("tenant id"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    user_name = models.CharField(
        _("user name in the directory"), max_length=256, blank=True, help_text=_("Usually the user principal name.")
    )
    # The type provisioning gave the e-mail address (work, home, other).
    email_type = models.CharField(_("type of e-mail address"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)
    provisioned_at = models.DateTimeField(_("last changed by provisioning"), null=True, blank=True)
    # Removed from the directory's provisioning scope (SCIM DELETE): the
    # account stays, deactivated, with its history on cases.
    deprovisioned_at = models.DateTimeField(_("removed by provisioning"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff identity")
        verbose_name_plural = _("staff identities")
        constraints = [
            models.UniqueConstraint(fields=["tenant_id", "object_id"], name="unique_staff_identity"),
        ]

    def __str__(self):
        return self.user_name or self.object_id

    def save(self, *args: Any, **kwargs: Any) -> None:
        # GUIDs compare in lower case, however an administrator typed them.
        self.tenant_id, self.object_id = self.tenant_id.strip().lower(), self.object_id.strip().lower()
        super().save(*args, **kwargs)
