"""The administrators' text pages (portal.Page): headings, paragraphs and
the meta description taken from the first paragraph."""

from portal.templatetags.portal_tags import simple_markup, summary

TEXT = """## Ditt ärende blir en allmän handling
Det du skickar blir en allmän handling.
Vem som helst kan begära att få läsa den.

## Vilka uppgifter vi sparar
Vi sparar det du skriver <och> dina kontaktuppgifter."""


def test_a_heading_line_is_a_heading_and_the_lines_under_it_a_paragraph():
    assert simple_markup(TEXT) == (
        "<h2>Ditt ärende blir en allmän handling</h2>\n"
        "<p>Det du skickar blir en allmän handling.<br>Vem som helst kan begära att få läsa den.</p>\n"
        "<h2>Vilka uppgifter vi sparar</h2>\n"
        "<p>Vi sparar det du skriver &lt;och&gt; dina kontaktuppgifter.</p>"
    )


def test_the_description_is_the_first_paragraph_in_at_most_160_characters():
    assert summary(TEXT) == "Det du skickar blir en allmän handling. Vem som helst kan begära att få läsa den."
    assert len(summary("Ord. " * 100)) == 160
    assert summary("## Bara en rubrik") == ""
