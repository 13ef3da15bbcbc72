"""The upload rules of core.validators with real hostile files made here: a
144-megapixel PNG, PDFs with active content (plain, with escaped names and
inside a compressed object stream), an empty file; and the optional virus
scan against a small clamd on loopback speaking its INSTREAM protocol."""

from __future__ import annotations

import io
import socket
import struct
import threading
import zlib
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.validators import upload_validate

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header promises width × height pixels: the signature and a
    correct IHDR chunk, then one small IDAT; a bomb never needs its pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))

    ihdr = struct.pack("!IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    )


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(file: SimpleUploadedFile) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        upload_validate(file)
    return caught.value


def real_png(size: tuple[int, int] = (30, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (0, 80, 160)).save(buffer, "PNG")
    return buffer.getvalue()


PLAIN_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_a_144_megapixel_png_is_refused_by_its_header_with_a_message_naming_it():
    error = refusal(upload("karta.png", png_header(12_000, 12_000)))
    assert error.code == "too_many_pixels"
    assert "karta.png" in error.messages[0] and "megapixlar" in error.messages[0]


def test_a_picture_beyond_pillows_own_bomb_limit_gets_the_same_message():
    error = refusal(upload("stor.png", png_header(20_000, 20_000)))
    assert error.code == "too_many_pixels" and "stor.png" in error.messages[0]


def test_the_pixel_limit_is_a_setting(settings):
    settings.KONTAKT_MAX_IMAGE_PIXELS = 500
    assert refusal(upload("liten.png", real_png((30, 20)))).code == "too_many_pixels"
    settings.KONTAKT_MAX_IMAGE_PIXELS = 600
    assert upload_validate(upload("liten.png", real_png((30, 20)))) == "image/png"


def test_an_ordinary_photo_and_pdf_pass():
    assert upload_validate(upload("skiss.png", real_png())) == "image/png"
    assert upload_validate(upload("brev.pdf", PLAIN_PDF)) == "application/pdf"


def test_an_empty_file_is_refused_with_its_name():
    error = refusal(upload("tom.pdf", b""))
    assert error.code == "empty" and "tom.pdf" in error.messages[0]


OPEN_ACTION_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"3 0 obj<</S/JavaScript/JS(app.alert('hej'))>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.mark.parametrize(
    "content",
    [
        OPEN_ACTION_PDF,
        # Names with #xx escapes: /OpenAction and /JavaScript in disguise.
        OPEN_ACTION_PDF.replace(b"/OpenAction", b"/Op#65nAction").replace(b"/JavaScript", b"/J#61vaScript"),
        b"%PDF-1.4\n1 0 obj<</Type/Action/S/Launch/F(calc.exe)>>endobj\n%%EOF\n",
        b"%PDF-1.7\n1 0 obj<</Names<</EmbeddedFiles 2 0 R>>>>endobj\n%%EOF\n",
        b"%PDF-1.7\n1 0 obj<</Type/Page/AA<</O 2 0 R>>>>endobj\n%%EOF\n",
        b"%PDF-1.7\n1 0 obj<</Type/Annot/Subtype/RichMedia>>endobj\n%%EOF\n",
    ],
    ids=["open-action-javascript", "escaped-names", "launch", "embedded-file", "additional-action", "rich-media"],
)
def test_a_pdf_with_active_content_is_refused_with_its_name(content):
    error = refusal(upload("faktura.pdf", content))
    assert error.code == "pdf_active_content"
    assert "faktura.pdf" in error.messages[0] and "aktivt innehåll" in error.messages[0]


def test_active_content_inside_a_compressed_object_stream_is_found():
    objects = b"<</Type/Catalog/OpenAction 4 0 R>> <</S/JavaScript/JS(app.alert(1))>>"
    packed = zlib.compress(b"1 0 4 40 " + objects)
    pdf = (
        b"%PDF-1.7\n5 0 obj<</Type/ObjStm/N 2/First 9/Filter/FlateDecode/Length "
        + str(len(packed)).encode()
        + b">>stream\n"
        + packed
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    assert refusal(upload("packad.pdf", pdf)).code == "pdf_active_content"


def test_names_in_page_content_and_pictures_are_not_taken_for_actions():
    # Binary stream data that happens to hold "/JS " is not a dictionary.
    content = b"BT /F1 12 Tf (text) Tj ET /JS /AA "
    pdf = b"%PDF-1.4\n1 0 obj<</Length " + str(len(content)).encode() + b">>stream\n" + content
    pdf += b"\nendstream\nendobj\n%%EOF\n"
    assert upload_validate(upload("vanlig.pdf", pdf)) == "application/pdf"


class FakeClamd:
    """A clamd on loopback: reads one INSTREAM request (zINSTREAM\\0, chunks
    with a 4-byte length, a zero length at the end) and answers like clamd."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received: list[bytes] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            with connection:
                stream = connection.makefile("rb")
                assert stream.read(10) == b"zINSTREAM\0"
                data = b""
                while (length := struct.unpack("!L", stream.read(4))[0]) > 0:
                    data += stream.read(length)
                self.received.append(data)
                verdict = b"stream: Eicar-Test-Signature FOUND" if EICAR in data else b"stream: OK"
                connection.sendall(verdict + b"\0")

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings) -> Iterator[FakeClamd]:
    server = FakeClamd()
    settings.KONTAKT_CLAMD_URL = f"tcp://127.0.0.1:{server.port}"
    settings.KONTAKT_CLAMD_TIMEOUT = 5
    yield server
    server.close()


def test_a_clean_file_passes_the_virus_scan_whole(clamd):
    content = PLAIN_PDF + b"%" * 200_000 + b"\n"  # several INSTREAM chunks
    assert upload_validate(upload("brev.pdf", content)) == "application/pdf"
    assert clamd.received == [content]


def test_a_file_the_scanner_finds_a_virus_in_is_refused(clamd):
    infected = PLAIN_PDF.replace(b"%%EOF", b"%" + EICAR + b"\n%%EOF")
    error = refusal(upload("bilaga.pdf", infected))
    assert error.code == "virus_found" and "bilaga.pdf" in error.messages[0]


def test_an_unreachable_scanner_refuses_the_file_with_try_again(settings):
    unused = socket.create_server(("127.0.0.1", 0))
    port = unused.getsockname()[1]
    unused.close()
    settings.KONTAKT_CLAMD_URL = f"tcp://127.0.0.1:{port}"
    error = refusal(upload("brev.pdf", PLAIN_PDF))
    assert error.code == "scan_unavailable"
    assert "brev.pdf" in error.messages[0] and "Försök igen" in error.messages[0]
