"""SMS text: GSM characters and the length cap."""

from notifications.rendering import sms_text, to_gsm


def test_sms_text_is_gsm_and_capped():
    assert to_gsm("Tack – ”bra” … ç") == 'Tack - "bra" ... c'
    assert to_gsm("åäöÅÄÖé") == "åäöÅÄÖé"
    long = sms_text("ärende " * 100)
    assert len(long) == 320 and long.endswith("...")
