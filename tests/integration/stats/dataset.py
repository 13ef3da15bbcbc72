"""A known set of cases, made through cases.services, received and closed
on known dates across Easter, Midsummer, National Day, Ascension Day and a
summer pause period (2025-07-07 – 2025-08-01). The expected figures were
counted by hand from the calendar; see the comments per case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from cases import services
from cases.models import Answer, Case, PausePeriod
from tests.factories import CategoryFactory, DepartmentFactory, UnitFactory, UserFactory

UTC = UTC
SECRET_NAME = "Ingrid Hemligsson"
SECRET_EMAIL = "ingrid.hemligsson@example.se"
SECRET_PHONE = "+46701234567"
SECRET_ADDRESS = "Hemliga gatan 7, 232 00 Arlöv"
SECRET_TEXT = "Min granne Bertil Exempelsson spelar trumpet"


def at(y, m, d, hh=8, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


@dataclass
class Dataset:
    d1: object
    d2: object
    u1: object
    u2: object
    u3: object
    c1: object
    c2: object
    c3: object
    officer: object
    cases: dict


def build() -> Dataset:
    officer = UserFactory(email="officer@burlov.example")
    d1 = DepartmentFactory(name="Samhällsbyggnad")
    d2 = DepartmentFactory(name="Kultur och fritid")
    u1 = UnitFactory(department=d1, name="Gata")
    u2 = UnitFactory(department=d1, name="Park")
    u3 = UnitFactory(department=d2, name="Bibliotek")
    c1 = CategoryFactory(name="Gator", default_unit=u1, position=1)
    c2 = CategoryFactory(name="Parker", default_unit=u2, position=2)
    c3 = CategoryFactory(name="Böcker", default_unit=u3, position=3)
    services.pause_period_save(period=PausePeriod(start=date(2025, 7, 7), end=date(2025, 8, 1), reason="Sommar"))

    email = services.ContactData(name=SECRET_NAME, email=SECRET_EMAIL, preferred="email")
    phone = services.ContactData(name=SECRET_NAME, phone=SECRET_PHONE, preferred="sms")
    letter = services.ContactData(name=SECRET_NAME, address=SECRET_ADDRESS, preferred="letter")

    def reg(category, kind, received, *, feedback_type="", channel="web", contact=None):
        return services.case_register(
            kind=kind,
            feedback_type=feedback_type,
            category=category,
            channel=channel,
            description=SECRET_TEXT,
            contact=contact,
            received_at=received,
        )

    def answer(case, when, channel=Answer.Channel.EMAIL):
        services.case_answer(case=case, text="Tack, vi har lagat det.", channel=channel, by=officer, at=when)

    def close(case, when, resolution=Case.Resolution.ANSWERED, **kw):
        return services.case_close(case=case, resolution=resolution, by=officer, at=when, **kw)

    cases = {}
    # A: complaint, received Wed 16 Apr (due 5 May across Easter and 1 May);
    # answered 24 Apr (4 working days), closed 25 Apr (5), both in time.
    a = cases["A"] = reg(c1, "feedback", at(2025, 4, 16), feedback_type="complaint", contact=email)
    answer(a, at(2025, 4, 24))
    close(a, at(2025, 4, 25))
    # B: question by phone, received Mon 16 Jun (due 1 Jul across Midsummer
    # Eve); answered 2 Jul (11) and closed 3 Jul (12), both late.
    b = cases["B"] = reg(c1, "question", at(2025, 6, 16), channel="phone", contact=phone)
    answer(b, at(2025, 7, 2), channel=Answer.Channel.SMS)
    close(b, at(2025, 7, 3))
    # C: praise by e-mail, received Tue 24 Jun (due 5 Aug across the pause);
    # answered and closed Mon 4 Aug (9), in time.
    c = cases["C"] = reg(c2, "feedback", at(2025, 6, 24), feedback_type="praise", channel="email", contact=email)
    answer(c, at(2025, 8, 4))
    close(c, at(2025, 8, 4, 9))
    # D: anonymous fault report, received Thu 15 May (due 30 May across
    # Ascension Day); closed as anonymous 10 Jun (16, across National Day), late.
    d = cases["D"] = reg(c3, "fault_report", at(2025, 5, 15))
    close(d, at(2025, 6, 10), resolution=Case.Resolution.ANONYMOUS)
    # E: suggestion at a visit with a postal address, received Mon 7 Apr
    # (due 23 Apr); never answered, still open: overdue.
    cases["E"] = reg(c3, "feedback", at(2025, 4, 7), feedback_type="suggestion", channel="visit", contact=letter)
    # F: question, received 20 May (due 4 Jun); answered 22 May (2), in time,
    # but still open: overdue for closing.
    f = cases["F"] = reg(c2, "question", at(2025, 5, 20), contact=email)
    answer(f, at(2025, 5, 22))
    # G: complaint by letter, received Mon 2 Jun (due 17 Jun); transferred
    # 5 Jun (3) without an answer, closed in time.
    g = cases["G"] = reg(c1, "feedback", at(2025, 6, 2), feedback_type="complaint", channel="letter", contact=email)
    close(g, at(2025, 6, 5), resolution=Case.Resolution.TRANSFERRED, transfer_reference="EDP-1")
    # H: question, received Tue 1 Apr (due 15 Apr); answered 2 Apr (1), closed
    # 3 Apr in time, then reopened: open and overdue; its verdicts stay.
    h = cases["H"] = reg(c2, "question", at(2025, 4, 1), contact=email)
    answer(h, at(2025, 4, 2))
    h = close(h, at(2025, 4, 3))
    services.case_reopen(case=h, reason="Mer att göra", by=officer)
    # The time-zone boundary: 22:30 UTC on 31 Jan is 23:30 in Sweden (January),
    # 23:30 UTC is 00:30 on 1 Feb (February). 22:30 UTC on 30 Jun is 1 Jul.
    cases["J1"] = reg(c3, "question", at(2025, 1, 31, 22, 30))
    cases["J2"] = reg(c3, "question", at(2025, 1, 31, 23, 30))
    cases["K"] = reg(c3, "question", at(2025, 6, 30, 22, 30))
    return Dataset(d1, d2, u1, u2, u3, c1, c2, c3, officer, cases)
