"""Draft texts of the pages every portal needs, for the city to complete before publishing.

The accessibility statement follows the structure Polish law requires of public bodies
(ustawa z dnia 4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji
mobilnych podmiotów publicznych, art. 10, and the minister's template of the statement):
introduction, dates, compliance status, inaccessible content, how the statement was prepared,
feedback and contact, the request and complaint procedure, architectural accessibility.
Texts of a city are content, not interface, so they are stored per language here rather than
in the gettext catalogues; languages other than Polish and English start from the English text.
"""

from __future__ import annotations

from dataclasses import dataclass

from ratusz.consultations.branding.models import PageKind

ACCESSIBILITY_PL = """
<p>{city} zobowiązuje się zapewnić dostępność swojej strony internetowej zgodnie z ustawą z dnia
4 kwietnia 2019 r. o dostępności cyfrowej stron internetowych i aplikacji mobilnych podmiotów
publicznych. Deklaracja dostępności dotyczy portalu konsultacji społecznych {city}.</p>
<ul>
<li>Data publikacji strony internetowej: [RRRR-MM-DD].</li>
<li>Data ostatniej istotnej aktualizacji: [RRRR-MM-DD].</li>
</ul>
<h2>Status pod względem zgodności z ustawą</h2>
<p>Strona internetowa jest [zgodna / częściowo zgodna / niezgodna] z ustawą o dostępności
cyfrowej stron internetowych i aplikacji mobilnych podmiotów publicznych [z powodu niezgodności
lub wyłączeń wymienionych poniżej].</p>
<h2>Treści niedostępne</h2>
<ul>
<li>[Wymień treści niedostępne i powód, np. pliki opublikowane przed 23 września 2018 r.,
mapy, nagrania bez napisów, oraz podaj alternatywny sposób dostępu.]</li>
</ul>
<h2>Przygotowanie deklaracji dostępności</h2>
<p>Deklarację sporządzono dnia [RRRR-MM-DD]. Deklarację sporządzono na podstawie
[samooceny przeprowadzonej przez podmiot publiczny / badania przeprowadzonego przez podmiot
zewnętrzny: nazwa].</p>
<p>Deklarację ostatnio przeglądnięto dnia [RRRR-MM-DD].</p>
<h2>Skróty klawiaturowe</h2>
<p>Na stronie można używać standardowych skrótów klawiaturowych przeglądarki. Na początku
każdej strony znajduje się odnośnik „Przejdź do treści”.</p>
<h2>Informacje zwrotne i dane kontaktowe</h2>
<p>W przypadku problemów z dostępnością strony internetowej prosimy o kontakt. Osobą
kontaktową jest [imię i nazwisko], adres poczty elektronicznej [adres], telefon [numer]. Tą samą
drogą można składać wnioski o udostępnienie informacji niedostępnej oraz składać skargi na
brak zapewnienia dostępności.</p>
<h2>Obsługa wniosków i skarg związanych z dostępnością</h2>
<p>Każdy ma prawo do wystąpienia z żądaniem zapewnienia dostępności cyfrowej strony
internetowej lub jakiegoś jej elementu. Można także zażądać udostępnienia informacji za
pomocą alternatywnego sposobu dostępu, na przykład przez odczytanie niedostępnego cyfrowo
dokumentu, opisanie zawartości filmu bez audiodeskrypcji itp. Żądanie powinno zawierać dane
osoby zgłaszającej żądanie, wskazanie, o którą stronę internetową chodzi, oraz sposób kontaktu.
Jeżeli osoba żądająca zgłasza potrzebę otrzymania informacji za pomocą alternatywnego sposobu
dostępu, powinna także określić dogodny dla niej sposób przedstawienia tej informacji.</p>
<p>Podmiot publiczny powinien zrealizować żądanie niezwłocznie, nie później niż w ciągu
7 dni od dnia wystąpienia z żądaniem. Jeżeli dotrzymanie tego terminu nie jest możliwe,
podmiot publiczny niezwłocznie informuje o tym wnoszącego żądanie, kiedy realizacja żądania
będzie możliwa, przy czym termin ten nie może być dłuższy niż 2 miesiące od dnia wystąpienia
z żądaniem. Jeżeli zapewnienie dostępności cyfrowej nie jest możliwe, podmiot publiczny może
zaproponować alternatywny sposób dostępu do informacji.</p>
<p>W przypadku, gdy podmiot publiczny odmówi realizacji żądania zapewnienia dostępności lub
alternatywnego sposobu dostępu do informacji, wnoszący żądanie może złożyć skargę w sprawie
zapewnienia dostępności cyfrowej strony internetowej lub elementu strony internetowej. Po
wyczerpaniu wskazanej wyżej procedury można także złożyć wniosek do Rzecznika Praw
Obywatelskich.</p>
<h2>Dostępność architektoniczna</h2>
<p>[Opisz dostępność budynku urzędu: wejścia, windy, toalety, miejsca parkingowe dla osób
z niepełnosprawnościami, możliwość wejścia z psem asystującym, pętle indukcyjne.]</p>
<h2>Tłumacz języka migowego</h2>
<p>[Opisz, jak skorzystać z tłumacza polskiego języka migowego (PJM) na miejscu lub online.]</p>
<h2>Aplikacje mobilne</h2>
<p>[Wymień aplikacje mobilne urzędu lub napisz, że urząd ich nie udostępnia.]</p>
"""

ACCESSIBILITY_EN = """
<p>{city} is committed to making its website accessible in accordance with the Polish Act of
4 April 2019 on the digital accessibility of websites and mobile applications of public
bodies. This accessibility statement applies to the public consultation portal of {city}.</p>
<ul>
<li>Date of publication of the website: [YYYY-MM-DD].</li>
<li>Date of the last major update: [YYYY-MM-DD].</li>
</ul>
<h2>Compliance status</h2>
<p>This website is [fully / partially / not] compliant with the Act [due to the
non-compliances or exemptions listed below].</p>
<h2>Non-accessible content</h2>
<ul><li>[List the content that is not accessible, why, and how else to get it.]</li></ul>
<h2>Preparation of this statement</h2>
<p>This statement was prepared on [YYYY-MM-DD], based on [a self-assessment / an assessment
carried out by: name]. It was last reviewed on [YYYY-MM-DD].</p>
<h2>Keyboard shortcuts</h2>
<p>The standard keyboard shortcuts of your browser work on this website. A “Skip to main
content” link is at the start of every page.</p>
<h2>Feedback and contact information</h2>
<p>If you have a problem with the accessibility of this website, please contact [name],
e-mail [address], phone [number]. The same way you can ask for information that is not
accessible and complain about a lack of accessibility.</p>
<h2>Requests and complaints</h2>
<p>Everyone has the right to request the digital accessibility of the website or any of its
parts, or to receive the information in an alternative way. The request must give the
requester's details, the page concerned and how to reply. We answer without delay and no later
than within 7 days; when that is not possible we say when we will, within 2 months at most. If
we refuse, you may file a complaint, and after that apply to the Commissioner for Human Rights
(Rzecznik Praw Obywatelskich).</p>
<h2>Architectural accessibility</h2>
<p>[Describe the accessibility of the city hall building.]</p>
<h2>Sign language interpreter</h2>
<p>[Describe how to use a Polish Sign Language (PJM) interpreter.]</p>
<h2>Mobile applications</h2>
<p>[List the city's mobile applications, or say there are none.]</p>
"""

_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    PageKind.ABOUT: {
        "pl": (
            "O portalu",
            "<p>Na tym portalu {city} pyta mieszkańców o zdanie. [Opisz, kto "
            "prowadzi konsultacje i co dzieje się z Waszymi opiniami.]</p>",
        ),
        "en": (
            "About",
            "<p>On this portal {city} asks residents what they think. [Say who runs "
            "the consultations and what happens with what people say.]</p>",
        ),
    },
    PageKind.PRIVACY: {
        "pl": (
            "Polityka prywatności",
            "<p>Administratorem danych osobowych jest {city}. "
            "[Podaj dane kontaktowe inspektora ochrony danych, cele i podstawy prawne "
            "przetwarzania, okres przechowywania i prawa osób, których dane dotyczą.]</p>",
        ),
        "en": (
            "Privacy policy",
            "<p>The controller of personal data is {city}. [Give the data "
            "protection officer's contact, purposes and legal bases, retention periods and "
            "the rights of data subjects.]</p>",
        ),
    },
    PageKind.TERMS: {
        "pl": (
            "Regulamin",
            "<p>[Zasady korzystania z portalu: kto może brać udział, jakie "
            "treści są niedozwolone, jak moderujemy.]</p>",
        ),
        "en": (
            "Terms of use",
            "<p>[The rules of the portal: who may take part, what content "
            "is not allowed, how moderation works.]</p>",
        ),
    },
    PageKind.FAQ: {
        "pl": ("Najczęstsze pytania", "<h2>Czy muszę mieć konto?</h2><p>[Odpowiedź.]</p>"),
        "en": ("Frequently asked questions", "<h2>Do I need an account?</h2><p>[Answer.]</p>"),
    },
    PageKind.ACCESSIBILITY: {
        "pl": ("Deklaracja dostępności", ACCESSIBILITY_PL),
        "en": ("Accessibility statement", ACCESSIBILITY_EN),
    },
}

_SLUGS: dict[str, str] = {
    PageKind.ABOUT: "about",
    PageKind.PRIVACY: "privacy",
    PageKind.TERMS: "terms",
    PageKind.FAQ: "faq",
    PageKind.ACCESSIBILITY: "accessibility",
}


@dataclass(frozen=True)
class PageDraft:
    slug: str
    kind: str
    title: dict[str, str]
    body: dict[str, str]


def standard_pages(*, city_name: str, languages: tuple[str, ...]) -> list[PageDraft]:
    drafts = []
    for kind, texts in _TEXTS.items():
        title, body = {}, {}
        for code in languages:
            pair = texts.get(code, texts["en"])
            title[code] = pair[0]
            body[code] = pair[1].format(city=city_name).strip()
        drafts.append(PageDraft(slug=_SLUGS[kind], kind=kind, title=title, body=body))
    return drafts
