"""Default texts of the pages an administrator edits. Created after every
migrate (and after a test flush) when missing; never overwritten."""

from portal.models import Page

ACCESSIBILITY_SV = """Kommunen står bakom den här webbtjänsten. Vi vill att så många som möjligt ska kunna använda den. Här beskriver vi hur tjänsten uppfyller lagen om tillgänglighet till digital offentlig service, kända problem och hur du kan rapportera brister till oss.

## Hur tillgänglig är tjänsten?
Tjänsten är gjord för att uppfylla WCAG 2.1 nivå AA. Du kan använda den med enbart tangentbord, med skärmläsare och på en skärm som är 320 pixlar bred. Du kan förstora texten till 200 procent.

## Innehåll som inte är tillgängligt
Vi känner inte till några brister i tjänsten just nu. Om du hittar en, berätta gärna för oss.

## Så har vi testat tjänsten
Vi testar varje sida med automatiska verktyg för tillgänglighet och går igenom formulären med enbart tangentbord, i bred skärm och i 320 pixlars bredd.

## Vad kan du göra om du inte kan använda delar av tjänsten?
Ring kommunens kundtjänst eller besök oss, så registrerar vi ditt ärende åt dig.

## Rapportera brister
Om du upptäcker problem som inte beskrivs här, eller om du anser att vi inte uppfyller lagens krav, kontakta kommunen. Du kan lämna en synpunkt i den här tjänsten.

## Tillsyn
Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Digg."""

ACCESSIBILITY_EN = """The municipality is responsible for this web service. We want as many people as possible to be able to use it. This statement describes how the service meets the Swedish law on accessible digital public services, known problems and how to report them.

## How accessible is the service?
The service is built to meet WCAG 2.1 level AA. You can use it by keyboard alone, with a screen reader and on a screen 320 pixels wide. You can enlarge the text to 200 per cent.

## Content that is not accessible
We know of no problems in the service at the moment. If you find one, please tell us.

## How we tested the service
We test every page with automated accessibility tools and go through the forms by keyboard alone, on a wide screen and 320 pixels wide.

## What can you do if you cannot use parts of the service?
Call or visit the municipality's customer service and we will register your case for you.

## Report problems
If you find problems not described here, or think we do not meet the law's requirements, contact the municipality. You can send feedback through this service.

## Enforcement
The Agency for Digital Government (Digg) is responsible for enforcing the law. If you are not satisfied with how we handle your report, you can contact Digg."""

PRIVACY_SV = """## Ditt ärende blir en allmän handling
Det du skickar till kommunen blir en allmän handling enligt tryckfrihetsförordningen. Det betyder att vem som helst kan begära att få läsa den. Uppgifter som omfattas av sekretess enligt offentlighets- och sekretesslagen lämnas inte ut. Skriv inte känsliga uppgifter om dig själv eller andra, till exempel om hälsa, om du inte behöver.

## Vilka uppgifter vi sparar
Vi sparar det du skriver, bilagor du skickar och de kontaktuppgifter du lämnar: namn, e-postadress och mobilnummer. Om du loggar in med e-legitimation sparar vi en krypterad kod av ditt personnummer för att kunna visa dina ärenden på Mina sidor. Vi frågar aldrig efter personnummer i formuläret.

## Varför vi sparar uppgifterna
Vi behöver uppgifterna för att kunna handlägga och svara på ditt ärende. Den rättsliga grunden är att behandlingen behövs för att utföra en uppgift av allmänt intresse och som ett led i myndighetsutövning.

## Hur länge vi sparar uppgifterna
Uppgifterna sparas så länge kommunens dokumenthanteringsplan säger, vanligen två år efter att ärendet avslutades. Sedan gallras (raderas) kontaktuppgifter, kopplingen till ditt personnummer, det du skrev, bilagor och svaret. Kvar blir bara anonyma uppgifter för statistik, som ärendetyp, ämnesområde och datum. Uppgifter raderas bara genom gallring, eftersom allmänna handlingar inte får förstöras i förtid. Du kan alltså inte få ett ärende raderat tidigare.

## Dina rättigheter
Du har rätt att få veta vilka uppgifter vi har om dig (registerutdrag), och att få fel rättade. Om du har loggat in kan du ladda ner dina uppgifter på Mina sidor. Annars kan du begära ett registerutdrag av kommunen. Kontakta kommunens dataskyddsombud om du har frågor. Du kan klaga till Integritetsskyddsmyndigheten (IMY).

## Lämna anonymt
Du kan lämna ett ärende utan kontaktuppgifter. Då kan vi inte svara dig."""

PRIVACY_EN = """## Your case becomes a public record
What you send to the municipality becomes a public record under the Freedom of the Press Act. Anyone may ask to read it. Information covered by secrecy under the Public Access to Information and Secrecy Act is not released. Do not write sensitive details about yourself or others, such as about health, unless you need to.

## What we store
We store what you write, the files you attach and the contact details you give: name, e-mail address and mobile number. If you sign in with e-legitimation we store an encrypted code of your personal identity number so we can show your cases on Mina sidor. The form never asks for your personal identity number.

## Why we store it
We need the details to handle and answer your case. The legal basis is that the processing is necessary for a task in the public interest and the exercise of official authority.

## How long we keep it
As long as the municipality's records management plan says, usually two years after the case was closed. Then contact details, the link to your personal identity number, what you wrote, files and the answer are disposed of (deleted). Only anonymous figures for statistics remain, such as the type, subject area and dates. Details are deleted only through disposal, as public records may not be destroyed early, so a case cannot be deleted sooner.

## Your rights
You have the right to know what we hold about you (a copy of your data) and to have errors corrected. If you have signed in, you can download your data on Mina sidor. Otherwise you can ask the municipality for a copy. Contact the municipality's data protection officer with questions. You can complain to the Swedish Authority for Privacy Protection (IMY).

## Stay anonymous
You can send a case without contact details. Then we cannot answer you."""


def ensure_pages(**kwargs):
    Page.objects.get_or_create(
        slug="tillganglighet",
        defaults={
            "title": "Tillgänglighetsredogörelse",
            "body": ACCESSIBILITY_SV,
            "title_en": "Accessibility statement",
            "body_en": ACCESSIBILITY_EN,
        },
    )
    Page.objects.get_or_create(
        slug="personuppgifter",
        defaults={
            "title": "Så hanterar vi dina personuppgifter",
            "body": PRIVACY_SV,
            "title_en": "How we handle your personal data",
            "body_en": PRIVACY_EN,
        },
    )
