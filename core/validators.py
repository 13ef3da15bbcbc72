"""Validation of what people type and upload, shared by the portal and the
back office. Messages say what to do, in plain words."""

from __future__ import annotations

import re
import warnings
import zlib
from typing import Protocol

import filetype
import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core import virusscan

# What a citizen may attach: photos and PDFs, recognised from the content.
ALLOWED_UPLOAD_TYPES = {
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/heic": "HEIC",
    "image/webp": "WEBP",
    "application/pdf": "PDF",
}


_MOBILE_TYPES = (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def normalize_phone(value: str, *, mobile_only: bool = True) -> str:
    """A Swedish or international phone number in E.164 (+46701234567).
    Numbers without a country code are read as Swedish. By default only a
    mobile number is accepted (text messages go to it); with
    mobile_only=False a landline is accepted too, for a number to call back."""
    value = (value or "").strip()
    if not value:
        return ""
    if mobile_only:
        invalid = _("Enter a mobile number, like 070 123 45 67 or +46 70 123 45 67.")
    else:
        invalid = _("Enter a phone number, like 040-625 60 00, 070 123 45 67 or +46 70 123 45 67.")
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        raise ValidationError(invalid, code="invalid_phone")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(invalid, code="invalid_phone")
    if mobile_only and phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(_("Enter a mobile number so that we can send you text messages."), code="not_mobile")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_mobile(value: str) -> bool:
    """Whether a stored number (E.164) can receive text messages. A landline
    kept for a callback cannot: no SMS is ever sent to it."""
    if not value:
        return False
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.number_type(number) in _MOBILE_TYPES


def phone_display(value: str) -> str:
    """A stored number (E.164) as people write it: Swedish numbers in the
    national form (040-625 60 00), others in the international form."""
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "SE")
    except phonenumbers.NumberParseException:
        return value
    if number.country_code == 46:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


class Upload(Protocol):
    """What the checks need of an uploaded file (Django's UploadedFile)."""

    name: str | None
    size: int | None

    def read(self, size: int = -1) -> bytes: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...


def upload_validate(upload: Upload) -> str:
    """Every rule for an upload, in the order a person can act on: size and
    type, then the picture's pixels or the PDF's active content, then the
    virus scan when one is configured. Returns the content type read from the
    content, or raises a ValidationError whose message names the file."""
    content_type = upload_content_type(upload)
    if content_type in PICTURE_TYPES:
        _check_picture(upload)
    elif content_type == "application/pdf":
        _check_pdf(upload)
    _check_virus(upload)
    return content_type


def upload_content_type(upload: Upload) -> str:
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


# Pillow decodes these; HEIC has no decoder here, so only its signature is checked
# (nothing in Kontakt ever decodes a HEIC file).
PICTURE_TYPES = ("image/jpeg", "image/png", "image/webp")


def _check_picture(upload: Upload) -> None:
    """A photo must open as a picture, and its header may promise at most
    KONTAKT_MAX_IMAGE_PIXELS pixels: the size is read before anything is
    decoded, so a small file that unpacks to gigabytes is never unpacked."""
    max_pixels = settings.KONTAKT_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # type: ignore[arg-type]
                width, height = image.size
                if width * height > max_pixels:
                    raise _too_many_pixels(upload, width * height)
                image.verify()
    except Image.DecompressionBombError:
        raise _too_many_pixels(upload, None)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("%(name)s cannot be opened as a picture. Choose another file.") % {"name": upload.name},
            code="broken_image",
        )
    finally:
        upload.seek(0)


def _too_many_pixels(upload: Upload, pixels: int | None) -> ValidationError:
    max_megapixels = settings.KONTAKT_MAX_IMAGE_PIXELS // 1_000_000
    return ValidationError(
        _("%(name)s is too large a picture: it may have at most %(max)s megapixels. Make it smaller and try again.")
        % {"name": upload.name, "max": max_megapixels},
        code="too_many_pixels",
    )


# PDF names that make a document act when it is opened or clicked: scripts,
# actions on opening or on events, launching programs, files carried inside,
# Flash and other rich media.
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|OpenAction|AA|Launch|EmbeddedFiles?|RichMedia)(?![^\s/<>\[\](){}%])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"(?<!end)stream\r?\n")
# Object streams hold dictionaries only, so they are small; a larger one is refused.
_PDF_OBJECT_STREAM_MAX = 16 * 1024 * 1024


def _pdf_names(raw: bytes) -> bytes:
    """The bytes with escaped name characters (/J#61vaScript) written out."""
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)


def _pdf_parts(raw: bytes) -> list[bytes] | None:
    """Where a PDF keeps its dictionaries: the file outside its streams, and
    the unpacked object streams (/Type /ObjStm) of a compressed PDF. Other
    streams (page content, pictures, fonts) are left out: their binary data
    would match the short names by chance. None when an object stream cannot
    be unpacked."""
    parts, position = [], 0
    for match in _PDF_STREAM.finditer(raw):
        if match.start() < position:
            continue
        head = raw[position : match.start()]
        parts.append(head)
        end = raw.find(b"endstream", match.end())
        end = end if end != -1 else len(raw)
        data, position = raw[match.end() : end], end + len(b"endstream")
        dictionary = _pdf_names(head[head.rfind(b"obj") + 3 :] if b"obj" in head else head)
        if not re.search(rb"/Type\s*/ObjStm(?![A-Za-z])", dictionary):
            continue
        if b"/Filter" not in dictionary:
            parts.append(data)
            continue
        if not re.search(rb"/Filter\s*\[?\s*/FlateDecode\s*\]?\s*[/>]", dictionary):
            return None
        try:
            inflater = zlib.decompressobj()
            content = inflater.decompress(data, _PDF_OBJECT_STREAM_MAX)
        except zlib.error:
            return None
        if inflater.unconsumed_tail:
            return None
        parts.append(content)
    parts.append(raw[position:])
    return parts


def _check_pdf(upload: Upload) -> None:
    """A PDF with active content (JavaScript, actions, launched programs,
    embedded files, rich media) is refused: the bytes are searched for those
    names, escaped name characters written out, compressed object streams
    unpacked (README, "Security"). Whoever opens an attachment later opens only a document."""
    upload.seek(0)
    raw = upload.read()
    upload.seek(0)
    parts = _pdf_parts(raw)
    if parts is None:
        raise ValidationError(
            _("%(name)s could not be checked. Save it again as a PDF, or take a photo of it, and try again.")
            % {"name": upload.name},
            code="pdf_unreadable",
        )
    if any(_PDF_ACTIVE.search(_pdf_names(part)) for part in parts):
        raise ValidationError(
            _(
                "%(name)s contains active content (such as JavaScript or embedded files) and cannot be attached. "
                "Save it again as a plain PDF, or take a photo of it, and try again."
            )
            % {"name": upload.name},
            code="pdf_active_content",
        )


def _check_virus(upload: Upload) -> None:
    """The virus scan (KONTAKT_CLAMD_URL), when configured. When the scanner
    cannot be reached the file is refused with a "try again": an unscanned
    file never slips through."""
    if not settings.KONTAKT_CLAMD_URL:
        return
    try:
        found = virusscan.scan(upload, url=settings.KONTAKT_CLAMD_URL, timeout=settings.KONTAKT_CLAMD_TIMEOUT)
    except virusscan.ScanUnavailable:
        raise ValidationError(
            _("%(name)s could not be checked for viruses just now. Try again in a few minutes.")
            % {"name": upload.name},
            code="scan_unavailable",
        )
    finally:
        upload.seek(0)
    if found:
        raise ValidationError(
            _("%(name)s contains a virus or other harmful content and cannot be attached.") % {"name": upload.name},
            code="virus_found",
        )
