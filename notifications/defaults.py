"""The message templates Kontakt ships with. They are copied into
MessageTemplate rows when missing (after migrate and on first use), and
administrators edit the rows. E-mail and SMS are not secure channels: no
template carries the sender's own text or a personal identity number, and
SMS never carries the answer."""

from __future__ import annotations

from notifications.choices import Channel, TemplateKey
from notifications.models import MessageTemplate

E, S = Channel.EMAIL, Channel.SMS
K = TemplateKey

_SIGN_SV = "\n\nMed vänlig hälsning\n{{ municipality_name }}\n\nDet här meddelandet går inte att svara på."
_SIGN_EN = "\n\nKind regards\n{{ municipality_name }}\n\nPlease do not reply to this message."
# The answer e-mail greets and signs off once: not again when the officer's
# text already does (has_greeting, has_signoff: cases.notices).
_ANSWER_SIGN_SV = (
    "{% if not has_signoff %}\n\nMed vänlig hälsning\n{{ municipality_name }}{% endif %}"
    "\n\nDet här meddelandet går inte att svara på."
)
_ANSWER_SIGN_EN = (
    "{% if not has_signoff %}\n\nKind regards\n{{ municipality_name }}{% endif %}"
    "\n\nPlease do not reply to this message."
)

# The satisfaction survey's link in the closing notice of a case closed as
# answered (survey_url: cases.surveys; empty for every other closing).
_SURVEY_SV = (
    "{% if survey_url %}\n\nHur nöjd är du med hur kommunen tog hand om ditt ärende? "
    "Svara på två korta frågor, utan att logga in: {{ survey_url }}\n"
    "Länken gäller till {{ survey_expires|date:'j F Y' }}.{% endif %}"
)
_SURVEY_EN = (
    "{% if survey_url %}\n\nHow satisfied are you with how the municipality handled your case? "
    "Answer two short questions, without signing in: {{ survey_url }}\n"
    "The link works until {{ survey_expires|date:'j F Y' }}.{% endif %}"
)
_SURVEY_SMS_SV = "{% if survey_url %} Hur nöjd är du? Svara här: {{ survey_url }}{% endif %}"
_SURVEY_SMS_EN = "{% if survey_url %} How satisfied are you? Answer here: {{ survey_url }}{% endif %}"

# The tracking link of a sender who was not signed in (cases.tracking;
# tracking_url is empty for a signed-in sender, who follows on Mina sidor).
_TRACKING_SV = (
    "{% if tracking_url %}\n\nFölj ärendet utan att logga in: {{ tracking_url }}\n"
    "Länken är personlig. Dela den inte med någon.{% endif %}"
)
_TRACKING_EN = (
    "{% if tracking_url %}\n\nFollow the case without signing in: {{ tracking_url }}\n"
    "The link is personal. Do not share it with anyone.{% endif %}"
)

# The outcome of the case in plain words, in the closing notice (outcome:
# the resolution; transferred_to, transfer_reference, not_handled_text,
# duplicate_of and duplicate_of_answered for the ways they need: cases.notices).
_OUTCOME_SV = (
    '{% if outcome == "answered" %}Vi har svarat på ditt ärende.\n\n'
    '{% elif outcome == "transferred" %}Vi har lämnat över ditt ärende till '
    "{% if transferred_to %}{{ transferred_to }}{% else %}ett annat system{% endif %}. "
    "{% if transfer_reference %}Där har det nummer {{ transfer_reference }}. Ange det numret om du kontaktar dem. "
    "{% endif %}De hanterar det nu och svarar dig.\n\n"
    '{% elif outcome == "not_handled" %}Vi hanterar inte ditt ärende här. '
    "{% if not_handled_text %}{{ not_handled_text }}{% else %}Kontakta oss om du vill veta vart du kan vända dig."
    "{% endif %}\n\n"
    '{% elif outcome == "duplicate" %}Ditt ärende handlar om samma sak som ärende {{ duplicate_of }}. '
    "Därför hanterar vi dem tillsammans, i ärende {{ duplicate_of }}. "
    "{% if duplicate_of_answered %}Det ärendet har redan fått svar. Svaret är en allmän handling: kontakta oss och "
    "ange ärendenummer {{ duplicate_of }} om du vill läsa det."
    "{% else %}Vi meddelar dig när det ärendet har fått svar.{% endif %}\n\n{% endif %}"
)
_OUTCOME_EN = (
    '{% if outcome == "answered" %}We have answered your case.\n\n'
    '{% elif outcome == "transferred" %}We have passed your case on to '
    "{% if transferred_to %}{{ transferred_to }}{% else %}another system{% endif %}. "
    "{% if transfer_reference %}There it has the number {{ transfer_reference }}. Give that number if you contact "
    "them. {% endif %}They handle it now and will answer you.\n\n"
    '{% elif outcome == "not_handled" %}We do not handle your case here. '
    "{% if not_handled_text %}{{ not_handled_text }}{% else %}Contact us if you want to know where to turn."
    "{% endif %}\n\n"
    '{% elif outcome == "duplicate" %}Your case is about the same thing as case {{ duplicate_of }}. '
    "So we handle them together, in case {{ duplicate_of }}. "
    "{% if duplicate_of_answered %}That case has already been answered. The answer is a public record: contact us "
    "and give the case number {{ duplicate_of }} if you want to read it."
    "{% else %}We will tell you when that case has been answered.{% endif %}\n\n{% endif %}"
)
_OUTCOME_SMS_SV = (
    '{% if outcome == "transferred" %} Vi har lämnat över det till '
    "{% if transferred_to %}{{ transferred_to }}{% else %}ett annat system{% endif %}"
    "{% if transfer_reference %}, nummer {{ transfer_reference }}{% endif %}."
    '{% elif outcome == "not_handled" %} Vi hanterar inte ärendet här. {{ not_handled_text }}'
    '{% elif outcome == "duplicate" %} Det hanteras tillsammans med ärende {{ duplicate_of }}.'
    "{% if not duplicate_of_answered %} Du får besked när det har fått svar.{% endif %}{% endif %}"
)
_OUTCOME_SMS_EN = (
    '{% if outcome == "transferred" %} We have passed it on to '
    "{% if transferred_to %}{{ transferred_to }}{% else %}another system{% endif %}"
    "{% if transfer_reference %}, number {{ transfer_reference }}{% endif %}."
    '{% elif outcome == "not_handled" %} We do not handle it here. {{ not_handled_text }}'
    '{% elif outcome == "duplicate" %} It is handled together with case {{ duplicate_of }}.'
    "{% if not duplicate_of_answered %} We will tell you when that case has been answered.{% endif %}{% endif %}"
)

_FACTS_SV = (
    "Ärendenummer: {{ case_number }}\n"
    "Typ: {{ case_type }}\n"
    "Ämnesområde: {{ category }}\n"
    "Mottaget: {{ received|date:'j F Y' }} kl. {{ received|time:'H:i' }}\n"
    "Du får svar senast: {{ due_date|date:'j F Y' }}"
)
_FACTS_EN = (
    "Case number: {{ case_number }}\n"
    "Type: {{ case_type }}\n"
    "Subject area: {{ category }}\n"
    "Received: {{ received|date:'j F Y' }} at {{ received|time:'H:i' }}\n"
    "We will answer by: {{ due_date|date:'j F Y' }}"
)
_STAFF_FACTS_SV = (
    "Ärendenummer: {{ case_number }}\n"
    "Typ: {{ case_type }}\n"
    "Ämnesområde: {{ category }}\n"
    "Enhet: {{ unit }}\n"
    "Svara senast: {{ due_date|date:'j F Y' }}\n\n"
    "Öppna ärendet: {{ case_url }}"
)
_STAFF_FACTS_EN = (
    "Case number: {{ case_number }}\n"
    "Type: {{ case_type }}\n"
    "Subject area: {{ category }}\n"
    "Unit: {{ unit }}\n"
    "Answer by: {{ due_date|date:'j F Y' }}\n\n"
    "Open the case: {{ case_url }}"
)

_DIGEST_SV = """Hej {{ recipient_name }}!

Det här är dagens ärenden som behöver svar snart.
{% if overdue %}
Försenade ({{ overdue|length }}):
{% for c in overdue %}- {{ c.number }}, {{ c.type }}, {{ c.category }}, skulle ha besvarats {{ c.due_date|date:'j F' }} ({{ c.unit }}{% if c.assignee %}, {{ c.assignee }}{% endif %})
  {{ c.url }}
{% endfor %}{% endif %}{% if near %}
Nära svarstiden ({{ near|length }}):
{% for c in near %}- {{ c.number }}, {{ c.type }}, {{ c.category }}, svara senast {{ c.due_date|date:'j F' }} ({{ c.unit }}{% if c.assignee %}, {{ c.assignee }}{% endif %})
  {{ c.url }}
{% endfor %}{% endif %}
Med vänlig hälsning
{{ service_name }}"""

_DIGEST_EN = """Hello {{ recipient_name }},

These are today's cases that need an answer soon.
{% if overdue %}
Overdue ({{ overdue|length }}):
{% for c in overdue %}- {{ c.number }}, {{ c.type }}, {{ c.category }}, was due {{ c.due_date|date:'j F' }} ({{ c.unit }}{% if c.assignee %}, {{ c.assignee }}{% endif %})
  {{ c.url }}
{% endfor %}{% endif %}{% if near %}
Near the deadline ({{ near|length }}):
{% for c in near %}- {{ c.number }}, {{ c.type }}, {{ c.category }}, answer by {{ c.due_date|date:'j F' }} ({{ c.unit }}{% if c.assignee %}, {{ c.assignee }}{% endif %})
  {{ c.url }}
{% endfor %}{% endif %}
Kind regards
{{ service_name }}"""

# (key, channel, language): (subject, body_text)
DEFAULT_TEMPLATES: dict[tuple[str, str, str], tuple[str, str]] = {
    (K.RECEIPT, E, "sv"): (
        "Vi har tagit emot ditt ärende {{ case_number }}",
        "Hej!\n\nTack för att du hör av dig till {{ municipality_name }}. Vi har tagit emot ditt ärende.\n\n"
        + _FACTS_SV
        + _TRACKING_SV
        + "\n\n{% if signed_in %}Du kan följa ärendet på Mina sidor: {{ mina_sidor_url }}"
        "{% else %}Ärenden som du skickar när du är inloggad med e-legitimation kan du följa på Mina sidor: "
        "{{ mina_sidor_url }}{% endif %}\n"
        "Ange ärendenumret om du kontaktar oss om ärendet." + _SIGN_SV,
    ),
    (K.RECEIPT, E, "en"): (
        "We have received your case {{ case_number }}",
        "Hello,\n\nThank you for contacting {{ municipality_name }}. We have received your case.\n\n"
        + _FACTS_EN
        + _TRACKING_EN
        + "\n\n{% if signed_in %}You can follow the case on Mina sidor: {{ mina_sidor_url }}"
        "{% else %}Cases you send while signed in with e-identification can be followed on Mina sidor: "
        "{{ mina_sidor_url }}{% endif %}\n"
        "Please give the case number if you contact us about it." + _SIGN_EN,
    ),
    (K.RECEIPT, S, "sv"): (
        "",
        "{{ municipality_name }}: Vi har tagit emot ditt ärende {{ case_number }} ({{ case_type }}). "
        "Du får svar senast {{ due_date|date:'j F' }}. "
        "{% if signed_in %}Följ det på Mina sidor: {{ mina_sidor_url }}{% elif tracking_url %}Följ det här: {{ tracking_url }}"
        "{% else %}Ange ärendenumret om du kontaktar oss.{% endif %}",
    ),
    (K.RECEIPT, S, "en"): (
        "",
        "{{ municipality_name }}: We have received your case {{ case_number }} ({{ case_type }}). "
        "We will answer by {{ due_date|date:'j F' }}. "
        "{% if signed_in %}Follow it on Mina sidor: {{ mina_sidor_url }}{% elif tracking_url %}Follow it here: {{ tracking_url }}"
        "{% else %}Please give the case number if you contact us.{% endif %}",
    ),
    (K.ANSWERED, E, "sv"): (
        "Svar på ditt ärende {{ case_number }}",
        "{% if not has_greeting %}Hej!\n\n{% endif %}"
        "Vi har besvarat ditt ärende {{ case_number }} ({{ case_type }}, {{ category }}).\n\n"
        "{% if answer_text %}Vårt svar:\n\n{{ answer_text }}\n\n{% endif %}"
        "{% if signed_in %}Du kan läsa {% if answer_text %}svaret{% else %}vårt svar{% endif %} på Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Ange ärendenumret om du kontaktar oss om ärendet." + _ANSWER_SIGN_SV,
    ),
    (K.ANSWERED, E, "en"): (
        "Answer to your case {{ case_number }}",
        "{% if not has_greeting %}Hello,\n\n{% endif %}"
        "We have answered your case {{ case_number }} ({{ case_type }}, {{ category }}).\n\n"
        "{% if answer_text %}Our answer:\n\n{{ answer_text }}\n\n{% endif %}"
        "{% if signed_in %}You can read {% if answer_text %}the answer{% else %}our answer{% endif %} on Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Please give the case number if you contact us about it." + _ANSWER_SIGN_EN,
    ),
    (K.ANSWERED, S, "sv"): (
        "",
        "{{ municipality_name }}: Ditt ärende {{ case_number }} har besvarats. "
        "{% if signed_in %}Läs svaret på Mina sidor: {{ mina_sidor_url }}{% else %}Kontakta oss och ange ärendenumret om du vill veta mer.{% endif %}",
    ),
    (K.ANSWERED, S, "en"): (
        "",
        "{{ municipality_name }}: Your case {{ case_number }} has been answered. "
        "{% if signed_in %}Read the answer on Mina sidor: {{ mina_sidor_url }}{% else %}Contact us and give the case number to learn more.{% endif %}",
    ),
    (K.CLOSED, E, "sv"): (
        "Ditt ärende {{ case_number }} är avslutat",
        "Hej!\n\nDitt ärende {{ case_number }} ({{ case_type }}, {{ category }}) är nu avslutat.\n\n"
        + _OUTCOME_SV
        + "{% if signed_in %}Du kan se ärendet på Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Om du har frågor, kontakta oss och ange ärendenumret." + _SURVEY_SV + _SIGN_SV,
    ),
    (K.CLOSED, E, "en"): (
        "Your case {{ case_number }} is closed",
        "Hello,\n\nYour case {{ case_number }} ({{ case_type }}, {{ category }}) is now closed.\n\n"
        + _OUTCOME_EN
        + "{% if signed_in %}You can see the case on Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "If you have questions, contact us and give the case number." + _SURVEY_EN + _SIGN_EN,
    ),
    (K.CLOSED, S, "sv"): (
        "",
        "{{ municipality_name }}: Ditt ärende {{ case_number }} är avslutat."
        + _OUTCOME_SMS_SV
        + " Kontakta oss och ange ärendenumret om du har frågor."
        + _SURVEY_SMS_SV,
    ),
    (K.CLOSED, S, "en"): (
        "",
        "{{ municipality_name }}: Your case {{ case_number }} is closed."
        + _OUTCOME_SMS_EN
        + " Contact us and give the case number if you have questions."
        + _SURVEY_SMS_EN,
    ),
    # A due date moved later (a pause period, or a unit head's extension):
    # the new date and why; old_due_date and reason in the context.
    (K.DELAYED, E, "sv"): (
        "Nytt datum för svar på ditt ärende {{ case_number }}",
        "Hej!\n\nVi behöver mer tid för ditt ärende {{ case_number }} ({{ case_type }}, {{ category }}).\n\n"
        "Du får svar senast {{ due_date|date:'j F Y' }} i stället för {{ old_due_date|date:'j F Y' }}.\n"
        "{% if reason %}Skäl: {{ reason }}\n{% endif %}\n"
        "{% if signed_in %}Du kan följa ärendet på Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Ange ärendenumret om du kontaktar oss om ärendet." + _SIGN_SV,
    ),
    (K.DELAYED, E, "en"): (
        "New date for the answer to your case {{ case_number }}",
        "Hello,\n\nWe need more time for your case {{ case_number }} ({{ case_type }}, {{ category }}).\n\n"
        "We will answer by {{ due_date|date:'j F Y' }} instead of {{ old_due_date|date:'j F Y' }}.\n"
        "{% if reason %}Reason: {{ reason }}\n{% endif %}\n"
        "{% if signed_in %}You can follow the case on Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Please give the case number if you contact us about it." + _SIGN_EN,
    ),
    (K.DELAYED, S, "sv"): (
        "",
        "{{ municipality_name }}: Vi behöver mer tid för ditt ärende {{ case_number }}. "
        "Du får svar senast {{ due_date|date:'j F' }} i stället för {{ old_due_date|date:'j F' }}."
        "{% if reason %} Skäl: {{ reason }}{% endif %}",
    ),
    (K.DELAYED, S, "en"): (
        "",
        "{{ municipality_name }}: We need more time for your case {{ case_number }}. "
        "We will answer by {{ due_date|date:'j F' }} instead of {{ old_due_date|date:'j F' }}."
        "{% if reason %} Reason: {{ reason }}{% endif %}",
    ),
    # The due date passed without an answer: told once per case.
    (K.OVERDUE, E, "sv"): (
        "Svaret på ditt ärende {{ case_number }} är försenat",
        "Hej!\n\nVi skulle ha svarat på ditt ärende {{ case_number }} ({{ case_type }}, {{ category }}) "
        "senast {{ due_date|date:'j F Y' }}, men vi har inte hunnit. Vi ber om ursäkt för det. "
        "Du får svar så snart vi kan.\n\n"
        "{% if signed_in %}Du kan följa ärendet på Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Ange ärendenumret om du kontaktar oss om ärendet." + _SIGN_SV,
    ),
    (K.OVERDUE, E, "en"): (
        "The answer to your case {{ case_number }} is late",
        "Hello,\n\nWe should have answered your case {{ case_number }} ({{ case_type }}, {{ category }}) "
        "by {{ due_date|date:'j F Y' }}, but we have not managed to. We apologise. "
        "You will get an answer as soon as we can.\n\n"
        "{% if signed_in %}You can follow the case on Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Please give the case number if you contact us about it." + _SIGN_EN,
    ),
    (K.OVERDUE, S, "sv"): (
        "",
        "{{ municipality_name }}: Svaret på ditt ärende {{ case_number }} är försenat. "
        "Vi skulle ha svarat senast {{ due_date|date:'j F' }}. Du får svar så snart vi kan.",
    ),
    (K.OVERDUE, S, "en"): (
        "",
        "{{ municipality_name }}: The answer to your case {{ case_number }} is late. "
        "It was due {{ due_date|date:'j F' }}. You will get an answer as soon as we can.",
    ),
    # An officer asks the sender for more information (komplettering): the
    # e-mail carries the question; the SMS only says there is one. The link
    # is a new tracking link (it replaces the earlier one), or Mina sidor.
    (K.INFO_REQUEST, E, "sv"): (
        "Vi behöver veta mer om ditt ärende {{ case_number }}",
        "Hej!\n\nVi behöver veta mer för att kunna hantera ditt ärende {{ case_number }} "
        "({{ case_type }}, {{ category }}).\n\nVår fråga:\n\n{{ question }}\n\n"
        "{% if tracking_url %}Svara här, utan att logga in: {{ tracking_url }}\n"
        "Länken är personlig och ersätter länken i våra tidigare meddelanden. Dela den inte med någon.\n"
        "{% elif signed_in %}Svara på Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Ange ärendenumret om du kontaktar oss om ärendet." + _SIGN_SV,
    ),
    (K.INFO_REQUEST, E, "en"): (
        "We need to know more about your case {{ case_number }}",
        "Hello,\n\nWe need to know more to handle your case {{ case_number }} "
        "({{ case_type }}, {{ category }}).\n\nOur question:\n\n{{ question }}\n\n"
        "{% if tracking_url %}Answer here, without signing in: {{ tracking_url }}\n"
        "The link is personal and replaces the link in our earlier messages. Do not share it with anyone.\n"
        "{% elif signed_in %}Answer on Mina sidor: {{ mina_sidor_url }}\n{% endif %}"
        "Please give the case number if you contact us about it." + _SIGN_EN,
    ),
    (K.INFO_REQUEST, S, "sv"): (
        "",
        "{{ municipality_name }}: Vi har en fråga om ditt ärende {{ case_number }}. "
        "{% if tracking_url %}Läs den och svara här: {{ tracking_url }}"
        "{% elif signed_in %}Läs den och svara på Mina sidor: {{ mina_sidor_url }}"
        "{% else %}Kontakta oss och ange ärendenumret.{% endif %}",
    ),
    (K.INFO_REQUEST, S, "en"): (
        "",
        "{{ municipality_name }}: We have a question about your case {{ case_number }}. "
        "{% if tracking_url %}Read it and answer here: {{ tracking_url }}"
        "{% elif signed_in %}Read it and answer on Mina sidor: {{ mina_sidor_url }}"
        "{% else %}Contact us and give the case number.{% endif %}",
    ),
    # Staff revoked the tracking link and made a new one.
    (K.TRACKING_LINK, E, "sv"): (
        "Ny länk för att följa ditt ärende {{ case_number }}",
        "Hej!\n\nHär är en ny länk för att följa ditt ärende {{ case_number }} ({{ case_type }}, {{ category }}):\n"
        "{{ tracking_url }}\n\nDen tidigare länken fungerar inte längre. Länken är personlig. Dela den inte med någon."
        + _SIGN_SV,
    ),
    (K.TRACKING_LINK, E, "en"): (
        "A new link to follow your case {{ case_number }}",
        "Hello,\n\nHere is a new link to follow your case {{ case_number }} ({{ case_type }}, {{ category }}):\n"
        "{{ tracking_url }}\n\nThe earlier link no longer works. The link is personal. Do not share it with anyone."
        + _SIGN_EN,
    ),
    (K.TRACKING_LINK, S, "sv"): (
        "",
        "{{ municipality_name }}: Ny länk för att följa ditt ärende {{ case_number }}: {{ tracking_url }} "
        "Den tidigare länken fungerar inte längre.",
    ),
    (K.TRACKING_LINK, S, "en"): (
        "",
        "{{ municipality_name }}: A new link to follow your case {{ case_number }}: {{ tracking_url }} "
        "The earlier link no longer works.",
    ),
    # The case a duplicate joined (original_number) has been answered or
    # closed (news: "answered" or "closed"): told to the duplicate's sender,
    # once per duplicate and news. Never the other sender's words or answer.
    (K.DUPLICATE_NEWS, E, "sv"): (
        "Nytt i ärende {{ original_number }}, som ditt ärende {{ case_number }} hör ihop med",
        "Hej!\n\nDitt ärende {{ case_number }} ({{ case_type }}, {{ category }}) handlar om samma sak som "
        "ärende {{ original_number }}, och vi hanterar dem tillsammans.\n\n"
        '{% if news == "answered" %}Nu har vi svarat i ärende {{ original_number }}.'
        "{% else %}Nu är ärende {{ original_number }} avslutat.{% endif %} "
        "Svaret är en allmän handling. Om du vill läsa det, kontakta oss och ange ärendenummer {{ original_number }}."
        + _SIGN_SV,
    ),
    (K.DUPLICATE_NEWS, E, "en"): (
        "News in case {{ original_number }}, which your case {{ case_number }} joined",
        "Hello,\n\nYour case {{ case_number }} ({{ case_type }}, {{ category }}) is about the same thing as "
        "case {{ original_number }}, and we handle them together.\n\n"
        '{% if news == "answered" %}We have now answered case {{ original_number }}.'
        "{% else %}Case {{ original_number }} is now closed.{% endif %} "
        "The answer is a public record. If you want to read it, contact us and give the case number "
        "{{ original_number }}." + _SIGN_EN,
    ),
    (K.DUPLICATE_NEWS, S, "sv"): (
        "",
        "{{ municipality_name }}: Ärende {{ original_number }}, som ditt ärende {{ case_number }} hör ihop med, "
        '{% if news == "answered" %}har fått svar{% else %}är avslutat{% endif %}. '
        "Kontakta oss och ange {{ original_number }} om du vill läsa svaret.",
    ),
    (K.DUPLICATE_NEWS, S, "en"): (
        "",
        "{{ municipality_name }}: Case {{ original_number }}, which your case {{ case_number }} joined, "
        '{% if news == "answered" %}has been answered{% else %}is closed{% endif %}. '
        "Contact us and give {{ original_number }} if you want to read the answer.",
    ),
    (K.STAFF_NEW_CASE, E, "sv"): (
        "Nytt ärende {{ case_number }} till {{ unit }}",
        "Ett nytt ärende har kommit till {{ unit }}.\n\n" + _STAFF_FACTS_SV,
    ),
    (K.STAFF_NEW_CASE, E, "en"): (
        "New case {{ case_number }} for {{ unit }}",
        "A new case has arrived for {{ unit }}.\n\n" + _STAFF_FACTS_EN,
    ),
    (K.STAFF_ROUTED, E, "sv"): (
        "Ärende {{ case_number }} har skickats till {{ unit }}",
        "Ärendet har skickats vidare till {{ unit }}.\n\n" + _STAFF_FACTS_SV,
    ),
    (K.STAFF_ROUTED, E, "en"): (
        "Case {{ case_number }} has been routed to {{ unit }}",
        "The case has been routed to {{ unit }}.\n\n" + _STAFF_FACTS_EN,
    ),
    (K.STAFF_ASSIGNED, E, "sv"): (
        "Du har fått ärende {{ case_number }}",
        "Hej {{ recipient_name }}!\n\nDu är nu handläggare för ärende {{ case_number }}.\n\n" + _STAFF_FACTS_SV,
    ),
    (K.STAFF_ASSIGNED, E, "en"): (
        "You have been given case {{ case_number }}",
        "Hello {{ recipient_name }},\n\nYou are now the case officer for case {{ case_number }}.\n\n" + _STAFF_FACTS_EN,
    ),
    (K.STAFF_CITIZEN_MESSAGE, E, "sv"): (
        "Nytt meddelande från avsändaren i ärende {{ case_number }}",
        "Avsändaren har skrivit ett nytt meddelande i ärendet. Läs det i Kontakt.\n\n" + _STAFF_FACTS_SV,
    ),
    (K.STAFF_CITIZEN_MESSAGE, E, "en"): (
        "New message from the sender in case {{ case_number }}",
        "The sender has written a new message in the case. Read it in Kontakt.\n\n" + _STAFF_FACTS_EN,
    ),
    (K.STAFF_DIGEST, E, "sv"): (
        "Ärenden att svara på: {{ overdue|length }} försenade, {{ near|length }} nära svarstiden",
        _DIGEST_SV,
    ),
    (K.STAFF_DIGEST, E, "en"): (
        "Cases to answer: {{ overdue|length }} overdue, {{ near|length }} near the deadline",
        _DIGEST_EN,
    ),
    # The statistics' monthly report: figures only, never personal data.
    # figures is a list of [label, value]; url the report page for the month.
    (K.STATS_MONTHLY, E, "sv"): (
        "Statistik för {{ period }} – {{ municipality_name }}",
        "Ärenden mottagna i {{ period }} ({{ dates }}), hela kommunen.\n\n"
        "{% for label, value in figures %}{{ label }}: {{ value }}\n{% endfor %}\n"
        "Hur varje siffra räknas, och siffrorna per förvaltning, enhet, ämnesområde med mera:\n{{ url }}",
    ),
    (K.STATS_MONTHLY, E, "en"): (
        "Statistics for {{ period }} – {{ municipality_name }}",
        "Cases received in {{ period }} ({{ dates }}), the whole municipality.\n\n"
        "{% for label, value in figures %}{{ label }}: {{ value }}\n{% endfor %}\n"
        "How each figure is counted, and the figures by department, unit, subject area and more:\n{{ url }}",
    ),
    # The monthly summary of a department to its heads: figures and links
    # only, never personal data. figures is a list of [label, value];
    # satisfaction is empty until the senders' survey gives a result.
    (K.STATS_DEPARTMENT, E, "sv"): (
        "Kontaktärenden i {{ department }}, {{ period }}",
        "Hej {{ recipient_name }}!\n\n"
        "Här är kontaktärendena i {{ department }} som kom in i {{ period }} ({{ dates }}).\n\n"
        "{% for label, value in figures %}{{ label }}: {{ value }}\n{% endfor %}"
        "{% if satisfaction %}Nöjdhet: {{ satisfaction }}\n{% endif %}\n"
        "Försenade just nu, alla öppna ärenden i förvaltningen: {{ overdue_now }}\n"
        "{% if overdue_now %}Se de försenade ärendena: {{ overdue_url }}\n{% endif %}\n"
        "Siffrorna för månaden och hur de räknas: {{ stats_url }}\n"
        "Per enhet: {{ units_url }}\n\n"
        "Som förvaltningschef ansvarar du för att information om {{ service_name }} sprids i förvaltningen.\n\n"
        "Med vänlig hälsning\n{{ service_name }}",
    ),
    (K.STATS_DEPARTMENT, E, "en"): (
        "Contact cases in {{ department }}, {{ period }}",
        "Hello {{ recipient_name }},\n\n"
        "These are the contact cases of {{ department }} received in {{ period }} ({{ dates }}).\n\n"
        "{% for label, value in figures %}{{ label }}: {{ value }}\n{% endfor %}"
        "{% if satisfaction %}Satisfaction: {{ satisfaction }}\n{% endif %}\n"
        "Overdue right now, all open cases of the department: {{ overdue_now }}\n"
        "{% if overdue_now %}See the overdue cases: {{ overdue_url }}\n{% endif %}\n"
        "The month's figures and how they are counted: {{ stats_url }}\n"
        "By unit: {{ units_url }}\n\n"
        "As head of department you see to it that the information about {{ service_name }} reaches the department.\n\n"
        "Kind regards\n{{ service_name }}",
    ),
}


def ensure_templates() -> int:
    """Create the shipped templates that are missing; never overwrite an
    administrator's edits. Returns how many were created."""
    existing = set(MessageTemplate.objects.values_list("key", "channel", "language"))
    missing = [
        MessageTemplate(key=key, channel=channel, language=language, subject=subject, body_text=body)
        for (key, channel, language), (subject, body) in DEFAULT_TEMPLATES.items()
        if (str(key), str(channel), language) not in existing
    ]
    MessageTemplate.objects.bulk_create(missing, ignore_conflicts=True)
    return len(missing)
