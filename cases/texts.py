"""The texts the process owner edits: the blocks of the portal's start page,
the receipt page's text for each case type, the staff guide, and service
messages shown at the top of the portal for a time. Changes go through the
services here; pages read the rendered HTML through text_html and
service_messages_now.

Every text exists in every language of the site (settings.LANGUAGES): what
has not been written in a language is the shipped default, in that language
(the start page's and the receipts' defaults are translated with gettext;
the guide's is Swedish). Texts are written in the small markup of
core.markup and stored as typed; they are rendered, cleaned, once per cache
fill.

Reading costs the portal no database query: the rendered texts and the
service messages that have not ended are kept in the cache (Redis in
production) as one entry, which every save deletes after commit. When the
cache cannot be reached the texts are read from the database (two queries),
so the portal works with Redis down, as the public form does."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import DateTimeField, TextField, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from cases.models import CaseType, PublicText, ServiceMessage
from core.markup import markup_html

log = logging.getLogger(__name__)

Key = PublicText.Key

START_KEYS = (Key.START_HANDLED, Key.START_RESPONSE_TIME, Key.START_NOT_HANDLED, Key.START_PUBLIC_RECORD)
RECEIPT_KEYS: dict[str, str] = {
    CaseType.PRAISE: Key.RECEIPT_PRAISE,
    CaseType.COMPLAINT: Key.RECEIPT_COMPLAINT,
    CaseType.SUGGESTION: Key.RECEIPT_SUGGESTION,
    CaseType.QUESTION: Key.RECEIPT_QUESTION,
    CaseType.FAULT_REPORT: Key.RECEIPT_FAULT_REPORT,
}
# Texts with headings of their own (the guide); the others sit under a
# heading of the page.
WITH_HEADINGS = frozenset({Key.STAFF_GUIDE})


# ----------------------------------------------------------------- defaults


def _start_handled() -> str:
    return "\n".join(
        f"- **{label}** – {text}"
        for label, text in (
            (_("Feedback"), _("praise, a complaint or a suggestion about the municipality's services.")),
            (_("Question"), _("about something the municipality is responsible for.")),
            (
                _("Fault report"),
                _(
                    "something broken, dirty or dangerous outdoors, such as a street lamp that does not work, "
                    "a pothole or graffiti."
                ),
            ),
        )
    )


def _start_response_time() -> str:
    days = settings.KONTAKT_RESPONSE_WORKING_DAYS
    answer = ngettext("We answer within %(days)s working day.", "We answer within %(days)s working days.", days)
    summer = _("During the summer holidays it can take longer.")
    anonymous = _("You can stay anonymous, but then we cannot answer you.")
    return f"{answer % {'days': days}} {summer}\n\n{anonymous}"


def _start_not_handled() -> str:
    items = (
        _("political matters, and feedback from political parties – contact the politicians or the party directly"),
        _(
            "reports of incidents in health care and social services (under the Health and Medical Services Act, "
            "HSL, and the Social Services Act, SoL) – the services have their own system"
        ),
        _("reports of abusive treatment (kränkningar), for example in school – the services have their own system"),
        _("feedback from the municipality's own staff – use the internal channels"),
    )
    return (
        _("Some matters have their own ways in. Do not use this service for:")
        + "\n\n"
        + "\n".join(f"- {item}" for item in items)
        + "\n\n"
        + _("If you send such a matter here, we pass it on or tell you where to turn, and close it here.")
    )


def _start_public_record() -> str:
    privacy = reverse("portal:page", args=["personuppgifter"])
    return (
        _(
            "What you send to the municipality becomes a public record (allmän handling). Anyone can ask to read "
            "it, unless secrecy applies. Do not write sensitive details about yourself or others, such as about "
            "health, unless they are needed."
        )
        + "\n\n"
        + _("We use your contact details only to handle and answer your case.")
        + " ["
        + _("Read how we handle personal data")
        + f"]({privacy})."
    )


def _receipt_fault_report() -> str:
    if settings.KONTAKT_PHONE:
        return _(
            "We fix faults as soon as we can. Urgent dangers, such as a fallen tree across a road, you should "
            "also report by calling the municipality on %(phone)s."
        ) % {"phone": settings.KONTAKT_PHONE}
    return _(
        "We fix faults as soon as we can. Urgent dangers, such as a fallen tree across a road, you should also "
        "report by calling the municipality's switchboard."
    )


STAFF_GUIDE_DEFAULT = """## Registrera ett ärende
Alla medarbetare kan registrera ett ärende som någon lämnar muntligt, i telefon, vid ett besök eller i ett brev. Välj **Registrera ärende** i menyn.

- Skriv med personens egna ord vad ärendet gäller.
- Ange när ärendet kom in, om det inte var nyss. Svarstiden räknas från den dagen.
- Fråga hur personen vill ha svar: med e-post, sms, brev eller ett samtal. Skriv in det som behövs: e-postadress, telefonnummer (ett fast nummer går bra för att bli uppringd, men sms går bara till mobilnummer) eller postadress.
- Har en politiker eller en kollega fört ärendet vidare till dig? Ange det under **Förmedlat av**.
- Skanna eller fotografera ett brev och bifoga det.
- Har personen skyddade personuppgifter? Kryssa i rutan. Då blir ärendet sekretessmarkerat direkt.

Personen får samma kvittens som på webben om hen har lämnat en e-postadress eller ett mobilnummer. Du ser hur det går för ärendet under **Ärenden jag registrerat**.

## Skicka ärendet vidare
Ärendet går först till enheten som ansvarar för ämnesområdet. Hör det till en annan enhet, välj **Skicka till en annan enhet** och skriv varför. Medborgarservice hjälper till med ärenden som är svåra att placera.

## Svara
- Svara inom **10 arbetsdagar** (ungefär 14 dagar) från att ärendet kom in. Ärendet visar hur många arbetsdagar som är kvar.
- Under sommarsemestern får svarstiden bli längre. Kommunikationsavdelningen lägger då in ett uppehåll, och svarsdatumen flyttas.
- Svara skriftligt, muntligt, via e-tjänsten eller med e-post. Skriv alltid in svaret i ärendet, också när du har svarat muntligt, och vad som gjordes.
- Har du ett förslag på hur verksamheten kan bli bättre? Skriv det som förbättringsförslag.
- Ett anonymt ärende kan inte besvaras. Läs det, gör det som behövs och avsluta det.

## Avsluta
Avsluta ärendet när det är besvarat eller hanterat. Välj varför: besvarat, överfört till ett annat system eller en annan myndighet (skriv namnet och referensen), hanteras inte här (välj vilken sorts ärende det är), anonymt eller dubblett (skriv numret på ärendet det hör ihop med).

Avsändaren får veta utfallet med enkla ord: vart ärendet gick och dess nummer där, varför vi inte hanterar det och vart hen kan vända sig, eller vilket ärende det hör ihop med. När ett ärende med dubbletter besvaras eller avslutas får dubbletternas avsändare veta det.

## Det här hanteras inte i Kontakt
- synpunkter från politiska partier och ärenden av politisk karaktär
- avvikelser och anmälningar enligt HSL och SoL (eget system)
- avvikelser och anmälningar som rör kränkningar (eget system)
- interna synpunkter från medarbetare

Kommer ett sådant ärende in ändå: flytta det till rätt system eller berätta för personen vart hen kan vända sig, och avsluta det här som **överfört** eller **hanteras inte här**.

## Allmän handling och sekretess
Allt som kommer in är allmän handling. Vem som helst får begära att läsa det, om inte sekretess gäller enligt offentlighets- och sekretesslagen. Var försiktig med personuppgifter och skriv inte mer än ärendet kräver. Sekretessmarkera ärendet eller en bilaga när uppgifterna omfattas av sekretess.

## Sociala medier och kommunens e-post
Ärenden som kommer via sociala medier, till exempel Facebook, eller till kommunens officiella e-postadress besvaras i den kanalen."""


DEFAULTS: dict[str, Callable[[], str]] = {
    Key.START_HANDLED: _start_handled,
    Key.START_RESPONSE_TIME: _start_response_time,
    Key.START_NOT_HANDLED: _start_not_handled,
    Key.START_PUBLIC_RECORD: _start_public_record,
    Key.RECEIPT_PRAISE: lambda: _("Thank you for your praise! We pass it on to the people it concerns."),
    Key.RECEIPT_COMPLAINT: lambda: _("Thank you for telling us. Complaints help us see what we need to do better."),
    Key.RECEIPT_SUGGESTION: lambda: _(
        "Thank you for your suggestion. We read every suggestion and use them when we develop our services."
    ),
    Key.RECEIPT_QUESTION: lambda: _("We answer your question as soon as we can, and within the response time."),
    Key.RECEIPT_FAULT_REPORT: _receipt_fault_report,
    Key.STAFF_GUIDE: lambda: STAFF_GUIDE_DEFAULT,
}


def default_text(key: str, language: str) -> str:
    """The shipped words of a text in a language."""
    with translation.override(language):
        return DEFAULTS[key]()


def _languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


# ------------------------------------------------------------------ reading


@dataclass(frozen=True)
class _Notice:
    starts_at: datetime
    ends_at: datetime
    html: Mapping[str, str]  # language -> rendered text


@dataclass(frozen=True)
class _Snapshot:
    texts: Mapping[tuple[str, str], str]  # (key, language) -> rendered text
    notices: tuple[_Notice, ...]


def _cache_key() -> str:
    """Named after the settings the defaults are made of, so changing one
    (and restarting) never shows a stale default."""
    basis = repr(
        (settings.LANGUAGES, settings.KONTAKT_RESPONSE_WORKING_DAYS, settings.KONTAKT_PHONE, settings.LANGUAGE_CODE)
    )
    return f"kontakt:texts:{hashlib.sha256(basis.encode()).hexdigest()[:16]}"


# A fill is kept this long at most (a service message's start and end are
# checked on every read, so this only bounds how stale a lost delete can be).
CACHE_SECONDS = 3600


def _render(key: str, body: str) -> str:
    return markup_html(body, headings=key in WITH_HEADINGS)


def _rows(now: datetime) -> list[tuple[str, str, str, str, datetime | None, datetime | None]]:
    """The stored texts and the service messages that have not ended, in
    one query: (source, key, language, body, starts_at, ends_at), where a
    message's body is its texts as JSON."""
    stored = PublicText.objects.annotate(
        source=Value("text"),
        starts=Value(None, output_field=DateTimeField()),
        ends=Value(None, output_field=DateTimeField()),
    ).values_list("source", "key", "language", "body", "starts", "ends")
    notices = (
        ServiceMessage.objects.filter(ends_at__gt=now)
        .annotate(
            source=Value("notice"),
            no_key=Value(""),
            no_language=Value(""),
            words=Cast("texts", TextField()),
        )
        .values_list("source", "no_key", "no_language", "words", "starts_at", "ends_at")
    )
    return list(stored.union(notices, all=True))


def _load(now: datetime) -> _Snapshot:
    stored: dict[tuple[str, str], str] = {}
    found: list[tuple[datetime, datetime, dict[str, str]]] = []
    for source, key, language, body, starts_at, ends_at in _rows(now):
        if source == "text":
            stored[key, language] = body
        elif starts_at is not None and ends_at is not None:
            words = json.loads(body) if isinstance(body, str) else body
            found.append((starts_at, ends_at, words or {}))
    texts = {}
    for key in Key.values:
        for language in _languages():
            written = stored.get((key, language))
            texts[key, language] = _render(key, written if written is not None else default_text(key, language))
    notices = tuple(
        _Notice(
            starts_at=starts_at,
            ends_at=ends_at,
            html={language: markup_html(text) for language, text in words.items() if str(text).strip()},
        )
        for starts_at, ends_at, words in sorted(found, key=lambda notice: (notice[0], notice[1]))
    )
    return _Snapshot(texts=texts, notices=notices)


def _snapshot() -> _Snapshot:
    now = timezone.now()
    key = _cache_key()
    try:
        found = cache.get(key)
    except Exception:  # the cache (Redis) is down: read the database
        log.warning("texts: cache unreachable, read from the database", exc_info=True)
        return _load(now)
    if isinstance(found, _Snapshot):
        return found
    snapshot = _load(now)
    try:
        cache.set(key, snapshot, CACHE_SECONDS)
    except Exception:
        log.warning("texts: cache unreachable, not kept", exc_info=True)
    return snapshot


def _forget() -> None:
    """Drop the cached texts now and again after the saving transaction
    commits (a page read in between may have filled it with the old ones)."""

    def delete() -> None:
        try:
            cache.delete(_cache_key())
        except Exception:
            log.warning("texts: cache unreachable; the old texts show until it expires", exc_info=True)

    delete()
    transaction.on_commit(delete)


def _language(language: str | None) -> str:
    language = (language or translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in _languages() else settings.LANGUAGE_CODE


def text_html(key: str, language: str | None = None) -> SafeString:
    """A text, rendered and cleaned, in the current language."""
    return mark_safe(_snapshot().texts.get((key, _language(language)), ""))


def receipt_html(case_type: str, language: str | None = None) -> SafeString:
    return text_html(RECEIPT_KEYS[case_type], language)


def service_messages_now(language: str | None = None, now: datetime | None = None) -> list[SafeString]:
    """The service messages shown now, rendered, in the current language (or
    the site's default language where one has no words in it)."""
    now = now or timezone.now()
    language = _language(language)
    shown = []
    for notice in _snapshot().notices:
        if notice.starts_at <= now < notice.ends_at:
            html = notice.html.get(language) or notice.html.get(settings.LANGUAGE_CODE) or ""
            if html:
                shown.append(mark_safe(html))
    return shown


# ----------------------------------------------------------------- editing


@dataclass(frozen=True)
class TextVersion:
    """One language of a text on the edit page: what is stored (empty when
    the default is used) and the default."""

    language: str
    language_name: str
    stored: str
    default: str

    @property
    def current(self) -> str:
        return self.stored or self.default


def text_versions(key: str) -> list[TextVersion]:
    stored = dict(PublicText.objects.filter(key=key).values_list("language", "body"))
    return [
        TextVersion(
            language=code,
            language_name=str(name),
            stored=stored.get(code, ""),
            default=default_text(key, code),
        )
        for code, name in settings.LANGUAGES
    ]


@transaction.atomic
def public_text_save(*, key: str, bodies: Mapping[str, str], by: User) -> list[str]:
    """Store the words of a text per language. An empty text, or the default
    word for word, goes back to the default (which then follows later
    changes of the shipped words). Returns the languages that changed."""
    changed = []
    existing = {t.language: t for t in PublicText.objects.select_for_update().filter(key=key)}
    for language in _languages():
        if language not in bodies:
            continue
        body = bodies[language].replace("\r\n", "\n").strip()
        row = existing.get(language)
        if not body or body == default_text(key, language).strip():
            if row is not None:
                row.delete()
                changed.append(language)
            continue
        if row is None:
            PublicText.objects.create(key=key, language=language, body=body, updated_by=by)
            changed.append(language)
        elif row.body != body:
            row.body, row.updated_by = body, by
            row.save(update_fields=["body", "updated_by", "updated_at"])
            changed.append(language)
    if changed:
        _forget()
    return changed


@transaction.atomic
def service_message_save(
    *,
    starts_at: datetime,
    ends_at: datetime,
    texts: Mapping[str, str],
    by: User,
    message: ServiceMessage | None = None,
) -> ServiceMessage:
    """Create or change a service message (already validated: it ends after
    it starts and has words in the site's default language)."""
    message = message or ServiceMessage(created_by=by)
    message.starts_at, message.ends_at = starts_at, ends_at
    message.texts = {language: texts.get(language, "").replace("\r\n", "\n").strip() for language in _languages()}
    message.save()
    _forget()
    return message


@transaction.atomic
def service_message_end(*, message: ServiceMessage, now: datetime | None = None) -> bool:
    """Take a service message down now: one that is shown ends now, one that
    has not started is deleted. Returns False when it had already ended."""
    now = now or timezone.now()
    if message.ends_at <= now:
        return False
    if message.starts_at > now:
        message.delete()
    else:
        message.ends_at = now
        message.save(update_fields=["ends_at", "updated_at"])
    _forget()
    return True


def service_messages_for_editing(*, now: datetime | None = None, ended: int = 5) -> tuple[list, list]:
    """(shown now or planned, the last few that ended) for the editing page."""
    now = now or timezone.now()
    current = list(ServiceMessage.objects.filter(ends_at__gt=now).order_by("starts_at", "id"))
    past = list(ServiceMessage.objects.filter(ends_at__lte=now).order_by("-ends_at", "-id")[:ended])
    return current, past
