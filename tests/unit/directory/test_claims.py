"""Reading an Entra ID token: tenant, object id, groups (and their
overage), and whether the directory performed MFA."""

import pytest

from accounts.citizen.errors import SignInRefused
from directory.entra.views import groups_from_claims, mfa_performed, staff_claims
from directory.errors import StaffSignInRefused

TID = "5f1c2a9e-3b4d-4e6f-8a7b-9c0d1e2f3a4b"
OID = "0b1e2c3d-4a5b-4c7d-8e9f-0a1b2c3d4e5f"


def claims(**extra):
    return {"tid": TID, "oid": OID, "preferred_username": "Anna.A@burlov.example", "name": "Anna Andersson", **extra}


def test_the_claims_kontakt_keeps():
    staff = staff_claims(claims(groups=["g1", "g2"], amr=["pwd", "mfa"]), TID.upper())
    assert (staff.tenant_id, staff.object_id, staff.user_name, staff.email) == (
        TID,
        OID,
        "Anna.A@burlov.example",
        "anna.a@burlov.example",
    )
    assert (staff.given_name, staff.family_name, staff.groups, staff.mfa) == ("Anna", "Andersson", ("g1", "g2"), True)


@pytest.mark.parametrize(
    ("amr", "performed"),
    [
        (["pwd", "mfa"], True),
        (["mfa"], True),
        ("mfa", True),
        (["pwd"], False),
        ([], False),
        (None, False),
        (["rsa"], False),
    ],
)
def test_mfa_is_what_amr_says(amr, performed, settings):
    settings.KONTAKT_ENTRA_MFA_AMR = ["mfa"]
    assert mfa_performed({"amr": amr}) is performed


@pytest.mark.parametrize(
    "overage",
    [
        {"_claim_names": {"groups": "src1"}, "_claim_sources": {"src1": {"endpoint": "https://graph"}}},
        {"hasgroups": True},
    ],
)
def test_group_overage_is_refused(overage):
    with pytest.raises(StaffSignInRefused) as refused:
        groups_from_claims(overage)
    assert refused.value.reason == StaffSignInRefused.GROUP_OVERAGE


def test_no_groups_claim_means_no_groups():
    assert groups_from_claims({}) == ()


@pytest.mark.parametrize(
    ("bad", "reason"),
    [
        ({"tid": "another-tenant"}, StaffSignInRefused.TENANT),
        ({"tid": None}, StaffSignInRefused.TENANT),
        ({"oid": "not-a-guid"}, SignInRefused.TOKEN),
        ({"groups": "g1"}, SignInRefused.TOKEN),
    ],
)
def test_tokens_kontakt_refuses(bad, reason):
    with pytest.raises(StaffSignInRefused) as refused:
        staff_claims(claims(**bad), TID)
    assert refused.value.reason == reason
