"""Validation of what people type and upload, shared by the portal and the
back office. Messages say what to do, in plain words."""

from __future__ import annotations

import filetype
import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

# What a citizen may attach: photos and PDFs, recognised from the content.
ALLOWED_UPLOAD_TYPES = {
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "image/webp": "WEBP",
    "application/pdf": "PDF",
}


def normalize_phone(value: str) -> str:
    """A Swedish or international mobile number in E.164 (+46701234567).
    Numbers without a country code are read as Swedish."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("Enter a mobile number, like 070 123 45 67 or +46 70 123 45 67."), code="invalid_phone")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a mobile number, like 070 123 45 67 or +46 70 123 45 67."), code="invalid_phone")
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(_("Enter a mobile number so that we can send you text messages."), code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def upload_content_type(upload: UploadedFile) -> str:
    """The content type read from the file's first bytes, or a
    ValidationError. The file name and the browser's claim are ignored."""
    max_bytes = settings.KONTAKT_MAX_ATTACHMENT_MB * 1024 * 1024
    if upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is larger than %(max)s. Choose a smaller file.")
            % {"name": upload.name, "max": filesizeformat(max_bytes)},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("%(name)s is empty. Choose another file.") % {"name": upload.name}, code="empty")
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_UPLOAD_TYPES:
        raise ValidationError(
            _("%(name)s is not a photo or a PDF. You can attach JPG, PNG, HEIC, WEBP and PDF files.")
            % {"name": upload.name},
            code="bad_type",
        )
    return kind.mime
