from django.contrib.auth.models import AbstractUser, UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(DjangoUserManager):
    """Users sign in with their e-mail address; the username is kept only as
    Django's internal identifier and is set from the e-mail when missing."""

    def _create_user(self, username, email, password, **extra_fields):
        username = username or (email or "").lower()
        return super()._create_user(username, email, password, **extra_fields)

    def create_user(self, username=None, email=None, password=None, **extra_fields):
        return super().create_user(username, email, password, **extra_fields)

    def create_superuser(self, username=None, email=None, password=None, **extra_fields):
        extra_fields.setdefault("kind", User.Kind.STAFF)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A member of staff or a citizen. The two never mix: citizens sign in
    through e-legitimation and reach only the portal; staff sign in with
    password and a second factor and reach the back office."""

    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff")
        CITIZEN = "citizen", _("Citizen")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STAFF)
    email = models.EmailField(_("e-mail address"), blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
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
