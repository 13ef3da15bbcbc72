"""The fields a case is registered with, shared by the public intake form
(portal/forms.py) and staff registration (cases/forms.py), so a case that
comes in on the web and one a colleague types in follow the same rules and
get the same messages. Messages say what to do, in plain words."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cases.services import AttachmentData
from core.validators import ALLOWED_UPLOAD_TYPES, normalize_phone, upload_validate

# What the file picker offers (the content decides what is accepted).
ATTACHMENT_ACCEPT = ".jpg,.jpeg,.png,.heic,.heif,.webp,.pdf,image/jpeg,image/png,image/heic,image/webp,application/pdf"


class DescriptionField(forms.CharField):
    """What the case is about: KONTAKT_DESCRIPTION_MIN_CHARS to
    KONTAKT_DESCRIPTION_MAX_CHARS characters, line breaks as typed. There is
    no maxlength attribute, so nothing typed is cut off: the message says how
    much to shorten instead."""

    widget = forms.Textarea

    def to_python(self, value: Any) -> str:
        return (super().to_python(value) or "").replace("\r\n", "\n").strip()

    def validate(self, value: str) -> None:
        super().validate(value)
        if value in self.empty_values:
            return
        min_chars, max_chars = settings.KONTAKT_DESCRIPTION_MIN_CHARS, settings.KONTAKT_DESCRIPTION_MAX_CHARS
        if len(value) < min_chars:
            raise ValidationError(
                gettext("Write at least %(min)d characters, so that we understand what your case is about.")
                % {"min": min_chars},
                code="too_short",
            )
        if len(value) > max_chars:
            raise ValidationError(
                ngettext(
                    "The description can be at most %(max)s characters. You wrote %(count)s. Shorten it by %(over)s character.",
                    "The description can be at most %(max)s characters. You wrote %(count)s. Shorten it by %(over)s characters.",
                    len(value) - max_chars,
                )
                % {
                    "max": number_format(max_chars, force_grouping=True),
                    "count": number_format(len(value), force_grouping=True),
                    "over": number_format(len(value) - max_chars, force_grouping=True),
                },
                code="too_long",
            )


class PlaceField(forms.CharField):
    """An address or a description of the place."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("The place can be at most %(limit_value)d characters. You wrote %(show_value)d.")},
        )
        super().__init__(**kwargs)


class NameField(forms.CharField):
    """The sender's name, with runs of spaces made one."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("The name can be at most %(limit_value)d characters. You wrote %(show_value)d.")},
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return " ".join((super().to_python(value) or "").split())


class EmailAddressField(forms.EmailField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": _("Enter an e-mail address in the right format, like name@example.se."),
                "max_length": _(
                    "The e-mail address can be at most %(limit_value)d characters. You wrote %(show_value)d."
                ),
            },
        )
        super().__init__(**kwargs)


class MobileNumberField(forms.CharField):
    """A mobile number, cleaned to E.164 (core.validators.normalize_phone)."""

    mobile_only = True

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault(
            "error_messages", {"max_length": _("Enter a mobile number, like 070 123 45 67 or +46 70 123 45 67.")}
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        return normalize_phone(super().clean(value), mobile_only=self.mobile_only)


class PhoneNumberField(MobileNumberField):
    """A mobile number or a landline, for a number to call back; cleaned to
    E.164. Text messages go only to mobile numbers (core.validators.is_mobile)."""

    mobile_only = False

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "error_messages",
            {"max_length": _("Enter a phone number, like 040-625 60 00, 070 123 45 67 or +46 70 123 45 67.")},
        )
        super().__init__(**kwargs)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.Field):
    """Up to KONTAKT_MAX_ATTACHMENTS photos or PDFs. The type is read from the
    content and every upload rule holds (core.validators.upload_validate).
    Every bad file gets its own message naming it. Cleans to a
    list of cases.services.AttachmentData. The same rules for the public
    form, staff registration, notes and answers."""

    widget = MultipleFileInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ATTACHMENT_ACCEPT

    def clean(self, value: Any) -> list[AttachmentData]:
        files = [f for f in (value if isinstance(value, (list, tuple)) else [value]) if f]
        max_files = settings.KONTAKT_MAX_ATTACHMENTS
        if len(files) > max_files:
            raise ValidationError(
                ngettext(
                    "You can attach at most %(max)d file. You chose %(count)d. Choose fewer files.",
                    "You can attach at most %(max)d files. You chose %(count)d. Choose fewer files.",
                    max_files,
                )
                % {"max": max_files, "count": len(files)},
                code="too_many",
            )
        errors, checked = [], []
        for upload in files:
            try:
                content_type = upload_validate(upload)
            except ValidationError as error:
                errors.append(error)
            else:
                checked.append(AttachmentData(file=upload, content_type=content_type))
        total_max = settings.KONTAKT_MAX_ATTACHMENTS_TOTAL_MB * 1024 * 1024
        if len(files) > 1 and sum(f.size for f in files) > total_max:
            errors.append(
                ValidationError(
                    gettext("The files are larger than %(max)d MB together. Choose fewer or smaller files.")
                    % {"max": settings.KONTAKT_MAX_ATTACHMENTS_TOTAL_MB},
                    code="too_large_total",
                )
            )
        if errors:
            raise ValidationError(errors)
        return checked


def attachments_hint() -> str:
    """What may be attached, said before a file is chosen."""
    return ngettext(
        "You can attach %(count)d photo or PDF file. Allowed file types: %(types)s. The file "
        "can be at most %(size)d MB.",
        "You can attach up to %(count)d photos or PDF files. Allowed file types: %(types)s. Each file "
        "can be at most %(size)d MB, and all files at most %(total)d MB together.",
        settings.KONTAKT_MAX_ATTACHMENTS,
    ) % {
        "count": settings.KONTAKT_MAX_ATTACHMENTS,
        "types": ", ".join(ALLOWED_UPLOAD_TYPES.values()),
        "size": settings.KONTAKT_MAX_ATTACHMENT_MB,
        "total": settings.KONTAKT_MAX_ATTACHMENTS_TOTAL_MB,
    }
