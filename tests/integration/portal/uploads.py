"""Files a citizen might upload, good and hostile, built in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg(name="foto.jpg", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def png(name="skiss.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 80, 160)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name="brev.pdf", padding=0) -> SimpleUploadedFile:
    body = b"%PDF-1.4\n1 0 obj << >> endobj\n" + b"%" * padding + b"\n%%EOF\n"
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def executable_named_jpg(name="semester.jpg") -> SimpleUploadedFile:
    # A Windows executable's header, sent under a photo's name and type.
    body = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
    return SimpleUploadedFile(name, body, content_type="image/jpeg")


def empty(name="tom.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"", content_type="image/jpeg")


def svg_with_script(name="karta.svg") -> SimpleUploadedFile:
    body = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return SimpleUploadedFile(name, body, content_type="image/svg+xml")


def truncated_jpeg(name="trasig.jpg") -> SimpleUploadedFile:
    # Starts like a JPEG, but is nothing more.
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64, content_type="image/jpeg")
