"""Real servers on loopback for the notification tests: an SMTP server
(aiosmtpd) that keeps what it accepts, an HTTP server that answers like
Twilio's Messages API, a private redis-server, and Celery worker processes.
Each can be made to refuse, stall or die, so the tests can break things."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import uuid
from base64 import b64decode
from contextlib import contextmanager
from datetime import UTC, datetime
from email import message_from_bytes
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from bench.servers import free_port, wait_for

BASE_DIR = Path(__file__).resolve().parents[3]


# ------------------------------------------------------------------- SMTP


class SmtpHandler:
    def __init__(self):
        self.messages = []
        self.refuse = {}  # address -> reply, e.g. "550 5.1.1 No such user"
        self.tempfail_data = 0  # answer 451 to this many DATA commands
        self.delay_data = 0.0
        self.stall_before_accept: threading.Event | None = None
        self.stall_after_accept: threading.Event | None = None
        self.data_started = threading.Event()
        self.data_calls = 0
        self.connections = 0  # SMTP sessions opened by clients
        # Drop the connection, without an answer, at the DATA of a message to
        # one of these addresses (each once), and then refuse every new
        # connection while refuse_connections is set.
        self.drop_on: set[str] = set()
        self.refuse_connections = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        loop = asyncio.get_running_loop()
        self.data_calls += 1
        self.data_started.set()
        dropped = self.drop_on.intersection(envelope.rcpt_tos)
        if dropped:
            self.drop_on -= dropped
            self.refuse_connections = True
            server.transport.abort()
            return "421 4.3.2 Going away"
        if self.tempfail_data > 0:
            self.tempfail_data -= 1
            return "451 4.3.0 Try again later"
        if self.delay_data:
            await asyncio.sleep(self.delay_data)
        if self.stall_before_accept is not None:
            await loop.run_in_executor(None, self.stall_before_accept.wait, 60)
            return "451 4.4.2 Timeout, message not accepted"
        message = message_from_bytes(envelope.content)
        message.envelope_to = list(envelope.rcpt_tos)
        message.connection = session.peer
        self.messages.append(message)
        if self.stall_after_accept is not None:
            await loop.run_in_executor(None, self.stall_after_accept.wait, 60)
        return "250 2.0.0 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.envelope_to]


class _Smtp(SMTP):
    def connection_made(self, transport):
        super().connection_made(transport)
        if self.event_handler.refuse_connections:
            transport.abort()  # as a server that has gone away
        else:
            self.event_handler.connections += 1


class _Controller(Controller):
    def factory(self):
        return _Smtp(self.handler, **self.SMTP_kwargs)


@contextmanager
def smtp_server():
    handler = SmtpHandler()
    controller = _Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.connections = 0  # not the controller's own check that it is up
    try:
        yield controller, handler
    finally:
        for event in (handler.stall_before_accept, handler.stall_after_accept):
            if event is not None:
                event.set()
        controller.stop()


# ----------------------------------------------------------------- Twilio

TWILIO_SID = "AC" + "0" * 32
TWILIO_TOKEN = "test-auth-token-0123456789abcdef"
TWILIO_FROM = "+46700000000"


class TwilioState:
    def __init__(self):
        self.messages: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.bad_numbers = {}  # number -> Twilio error code
        self.stall_before_accept: threading.Event | None = None
        self.stall_after_accept: threading.Event | None = None
        self.create_started = threading.Event()
        self.lock = threading.Lock()


def _resource(msg: dict) -> dict:
    base = f"/2010-04-01/Accounts/{TWILIO_SID}/Messages/{msg['sid']}"
    return {
        "account_sid": TWILIO_SID,
        "api_version": "2010-04-01",
        "body": msg["body"],
        "date_created": msg["date_created"],
        "date_sent": None,
        "date_updated": msg["date_created"],
        "direction": "outbound-api",
        "error_code": None,
        "error_message": None,
        "from": msg["from"],
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": "1",
        "price": None,
        "price_unit": "USD",
        "sid": msg["sid"],
        "status": "queued",
        "subresource_uris": {"media": base + "/Media.json"},
        "to": msg["to"],
        "uri": base + ".json",
    }


def _twilio_handler(state: TwilioState):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Basic "):
                return False
            return b64decode(header[6:]).decode() == f"{TWILIO_SID}:{TWILIO_TOKEN}"

        def _reply(self, status: int, payload: dict):
            body = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client died while we stalled
                pass

        def _error(self, status: int, code: int, message: str):
            self._reply(
                status,
                {
                    "code": code,
                    "message": message,
                    "more_info": f"https://www.twilio.com/docs/errors/{code}",
                    "status": status,
                },
            )

        def do_POST(self):
            path = urlparse(self.path).path
            state.requests.append(("POST", path))
            if not self._authorised():
                return self._error(401, 20003, "Authenticate")
            if path != f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
                return self._error(404, 20404, "The requested resource was not found")
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            to = form.get("To", "")
            if to in state.bad_numbers:
                code = state.bad_numbers[to]
                return self._error(400, code, f"The 'To' number {to} is not a valid phone number.")
            if not form.get("Body") or not (form.get("From") or form.get("MessagingServiceSid")):
                return self._error(400, 21602, "Message body is required.")
            state.create_started.set()
            if state.stall_before_accept is not None:
                state.stall_before_accept.wait(60)
                return self._error(503, 20500, "Internal Server Error")
            msg = {
                "sid": "SM" + uuid.uuid4().hex,
                "to": to,
                "from": form.get("From", ""),
                "body": form["Body"],
                "date_created": format_datetime(datetime.now(UTC), usegmt=True),
            }
            with state.lock:
                state.messages.append(msg)
            if state.stall_after_accept is not None:
                state.stall_after_accept.wait(60)
            self._reply(201, _resource(msg))

        def do_GET(self):
            parsed = urlparse(self.path)
            state.requests.append(("GET", parsed.path))
            if not self._authorised():
                return self._error(401, 20003, "Authenticate")
            if parsed.path != f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
                return self._error(404, 20404, "The requested resource was not found")
            query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
            with state.lock:
                found = [m for m in reversed(state.messages) if not query.get("To") or m["to"] == query["To"]]
            size = int(query.get("PageSize", 50))
            uri = parsed.path
            self._reply(
                200,
                {
                    "messages": [_resource(m) for m in found[:size]],
                    "end": max(len(found[:size]) - 1, 0),
                    "first_page_uri": uri,
                    "next_page_uri": None,
                    "page": 0,
                    "page_size": size,
                    "previous_page_uri": None,
                    "start": 0,
                    "uri": uri,
                },
            )

    return Handler


@contextmanager
def twilio_server():
    state = TwilioState()
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _twilio_handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", state
    finally:
        for event in (state.stall_before_accept, state.stall_after_accept):
            if event is not None:
                event.set()
        server.shutdown()
        server.server_close()


# ------------------------------------------------------------------ Redis


class RedisServer:
    """A private redis-server on a spare port that a test may stop and start."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis(port=self.port)
        wait_for(lambda: _ping(client), timeout=15, what="redis-server")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
        self.process = None


def _ping(client) -> bool:
    try:
        return client.ping()
    except Exception:
        return False


# ---------------------------------------------------------------- workers


def database_url_for_subprocess() -> str:
    from django.db import connection

    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# The solo pool, so the task runs in the process a test may kill.
SOLO = ("--pool=solo", "--concurrency=1", "--without-mingle", "--without-gossip")
# As docker-compose.yml runs it: prefork, with mingle and gossip.
PRODUCTION = ("--concurrency=2",)


class WorkerProcess:
    """`celery -A kontakt worker` in its own process."""

    def __init__(self, name: str, env: dict, log_dir: Path, options: tuple[str, ...] = SOLO):
        self.name = name
        self.env = env
        self.options = options
        self.log_path = log_dir / f"worker-{name}.log"
        self.process = None

    def start(self):
        env = {**os.environ, **self.env, "DJANGO_SETTINGS_MODULE": "kontakt.settings", "PYTHONUNBUFFERED": "1"}
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "kontakt",
                "worker",
                *self.options,
                "-n",
                f"{self.name}-{uuid.uuid4().hex[:6]}@%h",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(
            lambda: b"ready." in self.log_path.read_bytes() or self.process.poll() is not None,
            timeout=60,
            what=f"worker {self.name}",
        )
        assert self.process.poll() is None, self.log_path.read_text()
        return self

    def kill(self):
        """SIGKILL: no cleanup, no acknowledgement, as when a machine dies."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if getattr(self, "log", None):
            self.log.close()


@contextmanager
def celery_broker(url: str, transport_options: dict | None = None):
    """Point this process's Celery app (which dispatches after commit) at a
    broker, and back afterwards."""
    from kontakt.celery import app

    def reset():
        app._pool = None
        amqp = app.__dict__.get("amqp")
        if amqp is not None:
            amqp._producer_pool = None

    old_url, old_options = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = url
    app.conf.broker_transport_options = transport_options or {}
    reset()
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.broker_transport_options = old_url, old_options
        reset()
