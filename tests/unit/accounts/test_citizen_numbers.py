import pytest

from accounts.citizen import numbers
from accounts.citizen.provider import account_uid


def test_personnummer_is_kept_as_keyed_hash_and_masked_form():
    number = numbers.parse("191212121212", coordination=False)
    assert number.kind == "personnummer"
    assert number.masked == "19121212-****"
    assert len(number.hash) == 64
    assert "191212121212" not in number.hash
    assert number.hash == numbers.parse("191212121212", coordination=False).hash


def test_samordningsnummer_is_accepted_from_the_coordination_claim():
    number = numbers.parse("197010632391", coordination=True)
    assert number.kind == "samordningsnummer"
    assert number.masked == "19701063-****"


@pytest.mark.parametrize(
    "value",
    [
        "191212121213",  # wrong checksum
        "191213321212",  # no 32nd day of a 13th month
        "19121212-1212",  # the profile sends twelve digits
        "1212121212",
        "",
        191212121212,
        None,
    ],
)
def test_malformed_numbers_are_refused(value):
    with pytest.raises(numbers.InvalidNumber):
        numbers.parse(value, coordination=False)


def test_number_must_match_its_claim():
    with pytest.raises(numbers.InvalidNumber):
        numbers.parse("197010632391", coordination=False)
    with pytest.raises(numbers.InvalidNumber):
        numbers.parse("191212121212", coordination=True)


def test_hash_depends_on_the_key(settings):
    settings.KONTAKT_PIN_HASH_KEY = "one key"
    first = numbers.number_hash("191212121212")
    settings.KONTAKT_PIN_HASH_KEY = "another key"
    assert numbers.number_hash("191212121212") != first


def test_default_key_is_derived_from_secret_key_but_is_not_it(settings):
    settings.KONTAKT_PIN_HASH_KEY = ""
    settings.SECRET_KEY = "s" * 50
    first = numbers.number_hash("191212121212")
    assert numbers.hash_key() != settings.SECRET_KEY.encode()
    settings.SECRET_KEY = "t" * 50
    assert numbers.number_hash("191212121212") != first


def test_same_subject_at_two_issuers_gives_two_accounts():
    assert account_uid("https://broker-a.example", "abc") != account_uid("https://broker-b.example", "abc")
    assert account_uid("https://a.example", "b\nc") != account_uid("https://a.example\nb", "c")
    assert len(account_uid("https://broker-a.example", "x" * 255)) == 64
