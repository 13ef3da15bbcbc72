"""The admin an administrator uses, in Swedish and without critical or
serious axe-core violations: the index and the lists and change forms of
units, subject areas, answer templates, pause periods, pages and users."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from cases.models import AnswerTemplate, PausePeriod
from cases.permissions import Role, ensure_groups
from portal.models import Page
from tests.e2e.staff import activate_totp, sign_in_staff
from tests.factories import CategoryFactory, UnitFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} e.g. {v['nodes'][0]['html'][:200]}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.fixture
def administrator(db):
    ensure_groups()
    user = UserFactory(email="ada@burlov.example", username="ada@burlov.example", is_staff=True, is_superuser=True)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    user.totp_secret = activate_totp(user)
    return user


def test_the_admin_is_swedish_and_has_no_serious_accessibility_problems(page, administrator):
    unit = UnitFactory(name="Gata och park")
    category = CategoryFactory(name="Gatubelysning", default_unit=unit)
    template = AnswerTemplate.objects.create(category=category, title="Lampan lagas", text="Vi lagar lampan.")
    pause = PausePeriod.objects.create(start=date(2026, 7, 1), end=date(2026, 7, 31), reason="Semester")
    portal_page = Page.objects.get_or_create(
        slug="tillganglighet", defaults={"title": "Tillgänglighet", "body": "Text."}
    )[0]
    sign_in_staff(page, administrator.email, PASSWORD, administrator.totp_secret, next_url="/admin/")
    expect(page).to_have_title("Administration | Kontakt – administration")
    expect(page.locator("#site-name")).to_have_text("Kontakt – administration")
    main = page.locator("#content-main")
    expect(main).not_to_contain_text("Django OAuth Toolkit")
    captions = [c.strip() for c in main.locator("caption").all_inner_texts()]
    assert len(captions) == len(set(captions)), captions
    problems = {"admin index": serious_violations(page)}

    urls = {
        "units": "/admin/cases/unit/",
        "unit": f"/admin/cases/unit/{unit.pk}/change/",
        "new unit": "/admin/cases/unit/add/",
        "subject areas": "/admin/cases/category/",
        "subject area": f"/admin/cases/category/{category.pk}/change/",
        "answer templates": "/admin/cases/answertemplate/",
        "answer template": f"/admin/cases/answertemplate/{template.pk}/change/",
        "pause periods": "/admin/cases/pauseperiod/",
        "pause period": f"/admin/cases/pauseperiod/{pause.pk}/change/",
        "pages": "/admin/portal/page/",
        "page": f"/admin/portal/page/{portal_page.pk}/change/",
        "users": "/admin/accounts/user/",
        "user": f"/admin/accounts/user/{administrator.pk}/change/",
    }
    for what, url in urls.items():
        response = page.goto(url)
        assert response is not None and response.status == 200, what
        problems[what] = serious_violations(page)
    found = {what: found for what, found in problems.items() if found}
    assert not found, "\n".join(f"{what}: {v}" for what, items in found.items() for v in items)
