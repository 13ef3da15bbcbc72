"""A virus scan by ClamAV's clamd over its INSTREAM protocol, on a TCP
(tcp://host:3310) or Unix socket (unix:///run/clamav/clamd.ctl): the
file goes in length-prefixed chunks, clamd answers "stream: OK" or
"stream: <signature> FOUND". Used by core.validators when
KONTAKT_CLAMD_URL is set."""

from __future__ import annotations

import socket
import struct
from typing import IO, Protocol
from urllib.parse import urlsplit

CHUNK = 64 * 1024


class Readable(Protocol):
    def read(self, size: int = -1) -> bytes: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...


class ScanUnavailable(Exception):
    """clamd could not be reached or gave no verdict; nothing is known about the file."""


def _connect(url: str, timeout: float) -> socket.socket:
    parts = urlsplit(url)
    if parts.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(parts.path)
        return sock
    if parts.scheme == "tcp" and parts.hostname:
        return socket.create_connection((parts.hostname, parts.port or 3310), timeout=timeout)
    raise ScanUnavailable(f"KONTAKT_CLAMD_URL must be tcp://host:port or unix:///path, not {parts.scheme}://")


def scan(file: Readable | IO[bytes], *, url: str, timeout: float) -> str:
    """The name of what clamd found in the file, or "" when it is clean.
    Raises ScanUnavailable when clamd cannot be reached or answers otherwise
    (for example when the file exceeds its StreamMaxLength)."""
    file.seek(0)
    try:
        with _connect(url, timeout) as sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := file.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
    except OSError as error:
        raise ScanUnavailable(f"clamd at {url} could not be reached: {error}") from error
    finally:
        file.seek(0)
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith("OK") and not answer.endswith("ERROR"):
        return ""
    if answer.endswith(" FOUND"):
        return answer.removeprefix("stream:").removesuffix(" FOUND").strip()
    raise ScanUnavailable(f"clamd at {url} gave no verdict: {answer[:200]!r}")
