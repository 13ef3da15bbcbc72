"""A known set of cases for the satisfaction survey and extended due dates,
made through cases.services and cases.surveys in September and October
2025 (no public holiday, no pause period: ten working days after a Monday
is the Monday two weeks later). The expected figures were counted by hand;
see the table in tests/integration/stats/test_loop_figures.py.

case  received     unit/subject  type       channel  contact  what happened
S1    Mon  1 Sep   U1 / K1       complaint  web      e-mail   answered and closed 5 Sep; survey 5, yes, a comment
S2    Tue  2 Sep   U1 / K1       question   web      e-mail   answered and closed 10 Sep; survey 4, partly
S3    Wed  3 Sep   U1 / K1       fault      phone    SMS      answered (SMS) and closed 12 Sep; survey 2, no
S4    Mon  8 Sep   U2 / K2       praise     e-mail   e-mail   answered and closed 9 Sep; survey not answered
S5    Mon  8 Sep   U2 / K2       question   web      e-mail   due 22 Sep, extended on 19 Sep to 6 Oct; answered
                                                              and closed 1 Oct (late against 22 Sep); survey 3, partly
S6    Tue  9 Sep   U2 / K2       question   web      none     closed as anonymous 10 Sep; not asked
S7    Mon  6 Oct   U1 / K1       suggestion letter   address  answered by letter, closed 8 Oct; not asked (no e-mail or SMS)
S8    Mon  6 Oct   U1 / K1       complaint  web      e-mail   due 20 Oct, extended on 17 Oct to 3 Nov; answered and
                                                              closed 24 Oct (late against 20 Oct); survey 5, yes
S9    Tue  7 Oct   U2 / K2       question   web      e-mail   due 21 Oct, extended on 20 Oct to 4 Nov; still open
S10   Wed  8 Oct   U2 / K2       question   web      e-mail   closed as transferred 9 Oct; not asked
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from cases import services, surveys
from cases.models import Answer, Case, SatisfactionSurvey
from tests.factories import CategoryFactory, DepartmentFactory, UnitFactory, UserFactory


def at(y: int, m: int, d: int, hh: int = 8) -> datetime:
    return datetime(y, m, d, hh, 0, tzinfo=UTC)


@dataclass
class Loop:
    u1: object
    u2: object
    k1: object
    k2: object
    cases: dict


def build() -> Loop:
    officer = UserFactory(email="handlaggare@burlov.example")
    d1, d2 = DepartmentFactory(name="Samhällsbyggnad"), DepartmentFactory(name="Kultur och fritid")
    u1 = UnitFactory(department=d1, name="Gata", email="")
    u2 = UnitFactory(department=d2, name="Bibliotek", email="")
    k1 = CategoryFactory(name="Gator", default_unit=u1, position=1)
    k2 = CategoryFactory(name="Böcker", default_unit=u2, position=2)
    email = services.ContactData(name="Siv Svensson", email="siv@example.se", preferred="email")
    sms = services.ContactData(name="Siv Svensson", phone="+46701234567", preferred="sms")
    letter = services.ContactData(name="Siv Svensson", address="Storgatan 1, 232 00 Arlöv", preferred="letter")

    def reg(category, subtype, received, *, channel="web", contact=email):
        kind, feedback_type = {
            "complaint": ("feedback", "complaint"),
            "praise": ("feedback", "praise"),
            "suggestion": ("feedback", "suggestion"),
            "question": ("question", ""),
            "fault_report": ("fault_report", ""),
        }[subtype]
        return services.case_register(
            kind=kind,
            feedback_type=feedback_type,
            category=category,
            channel=channel,
            description="Något som behöver göras.",
            contact=contact,
            received_at=received,
        )

    def done(case, when, *, channel=Answer.Channel.EMAIL):
        services.case_answer(case=case, text="Tack, nu är det gjort.", channel=channel, by=officer, at=when)
        return services.case_close(case=case, resolution=Case.Resolution.ANSWERED, by=officer, at=when)

    def survey(case, score, got, when, comment=""):
        surveys.survey_answer(
            survey=SatisfactionSurvey.objects.get(case=case), score=score, got_answer=got, comment=comment, at=when
        )

    cases = {}
    s1 = cases["S1"] = reg(k1, "complaint", at(2025, 9, 1))
    done(s1, at(2025, 9, 5))
    survey(s1, 5, "yes", at(2025, 9, 6), comment="Bra bemött, tack!")
    s2 = cases["S2"] = reg(k1, "question", at(2025, 9, 2))
    done(s2, at(2025, 9, 10))
    survey(s2, 4, "partly", at(2025, 9, 11))
    s3 = cases["S3"] = reg(k1, "fault_report", at(2025, 9, 3), channel="phone", contact=sms)
    done(s3, at(2025, 9, 12), channel=Answer.Channel.SMS)
    survey(s3, 2, "no", at(2025, 9, 20))
    s4 = cases["S4"] = reg(k2, "praise", at(2025, 9, 8), channel="email")
    done(s4, at(2025, 9, 9))
    s5 = cases["S5"] = reg(k2, "question", at(2025, 9, 8))
    services.case_extend(
        case=s5, due_date=date(2025, 10, 6), reason="Den som kan svara är borta.", by=officer, at=at(2025, 9, 19)
    )
    done(s5, at(2025, 10, 1))
    survey(s5, 3, "partly", at(2025, 10, 2))
    s6 = cases["S6"] = reg(k2, "question", at(2025, 9, 9), contact=None)
    services.case_close(case=s6, resolution=Case.Resolution.ANONYMOUS, by=officer, at=at(2025, 9, 10))
    s7 = cases["S7"] = reg(k1, "suggestion", at(2025, 10, 6), channel="letter", contact=letter)
    done(s7, at(2025, 10, 8), channel=Answer.Channel.LETTER)
    s8 = cases["S8"] = reg(k1, "complaint", at(2025, 10, 6))
    services.case_extend(
        case=s8, due_date=date(2025, 11, 3), reason="Vi väntar på en entreprenör.", by=officer, at=at(2025, 10, 17)
    )
    done(s8, at(2025, 10, 24))
    survey(s8, 5, "yes", at(2025, 10, 25))
    s9 = cases["S9"] = reg(k2, "question", at(2025, 10, 7))
    services.case_extend(
        case=s9, due_date=date(2025, 11, 4), reason="Vi behöver fråga en annan enhet.", by=officer, at=at(2025, 10, 20)
    )
    s10 = cases["S10"] = reg(k2, "question", at(2025, 10, 8))
    services.case_close(
        case=s10,
        resolution=Case.Resolution.TRANSFERRED,
        transfer_reference="Lex-7",
        by=officer,
        at=at(2025, 10, 9),
    )
    return Loop(u1, u2, k1, k2, cases)
