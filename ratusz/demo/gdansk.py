"""Sample content of the demo city Gdańsk: what its office and its residents wrote.

Project and phase texts are in Polish and English (the city's two languages); residents write
their ideas and comments in one language, most in Polish, one neighbour in English. Official
answers come from the project manager, in the style of the city's offices. Places are real
(coordinates inside the city); the people are invented.
"""

from __future__ import annotations

from ratusz.demo.content import (
    PROJECT_MANAGER,
    DemoBallot,
    DemoContent,
    DemoEvent,
    DemoFolder,
    DemoPerson,
    DemoPoll,
    DemoProposal,
    DemoQuestion,
    DemoSkip,
    DemoSurvey,
    DemoSurveyPage,
    DemoSurveyResponse,
)
from ratusz.demo.content import DemoAnswer as Answer
from ratusz.demo.content import DemoComment as Comment
from ratusz.demo.content import DemoIdea as Idea
from ratusz.demo.content import DemoPhase as Phase
from ratusz.demo.content import DemoPlace as Place
from ratusz.demo.content import DemoProject as Project
from ratusz.demo.content import DemoTag as Tag

MANAGER = DemoPerson(
    "tomasz", "Tomasz Wiśniewski", "tomasz.wisniewski@gdansk.example", "pl", PROJECT_MANAGER
)

RESIDENTS = (
    DemoPerson("marta", "Marta Lewandowska", "marta.lewandowska@example.com", "pl"),
    DemoPerson("piotr", "Piotr Kamiński", "piotr.kaminski@example.com", "pl"),
    DemoPerson("agnieszka", "Agnieszka Zielińska", "agnieszka.zielinska@example.com", "pl"),
    DemoPerson("krzysztof", "Krzysztof Wójcik", "krzysztof.wojcik@example.com", "pl"),
    DemoPerson("ola", "Aleksandra Dąbrowska", "ola.dabrowska@example.com", "pl"),
    DemoPerson("michal", "Michał Szymański", "michal.szymanski@example.com", "pl"),
    DemoPerson("ewa", "Ewa Kozłowska", "ewa.kozlowska@example.com", "pl"),
    DemoPerson("jakub", "Jakub Jankowski", "jakub.jankowski@example.com", "pl"),
    DemoPerson("joanna", "Joanna Mazur", "joanna.mazur@example.com", "pl"),
    DemoPerson("pawel", "Paweł Krawczyk", "pawel.krawczyk@example.com", "pl"),
    DemoPerson("hanna", "Hanna Piotrowska", "hanna.piotrowska@example.com", "pl"),
    DemoPerson("zofia", "Zofia Grabowska", "zofia.grabowska@example.com", "pl"),
    DemoPerson("bartek", "Bartosz Nowicki", "bartosz.nowicki@example.com", "pl"),
    DemoPerson("liam", "Liam O'Connor", "liam.oconnor@example.com", "en"),
)

SUPPORTERS = (
    "Łukasz Wróbel", "Magdalena Kaczmarek", "Karolina Pawlak", "Rafał Michalski",
    "Natalia Król", "Grzegorz Wieczorek", "Dorota Jabłońska", "Marcin Majewski",
    "Iwona Olszewska", "Adam Stępień", "Beata Malinowska", "Sebastian Jaworski",
    "Monika Adamczyk", "Wojciech Dudek", "Justyna Nowakowska", "Kamil Pawłowski",
    "Paulina Górska", "Mateusz Witkowski", "Renata Walczak", "Dawid Sikora",
    "Elżbieta Baran", "Szymon Rutkowski", "Weronika Michalak", "Jan Szewczyk",
    "Alicja Ostrowska", "Filip Tomaszewski", "Urszula Pietrzak", "Damian Zalewski",
    "Kinga Wróblewska", "Robert Marciniak",
)  # fmt: skip

TOPICS = (
    Tag("zielen", {"pl": "Zieleń", "en": "Green spaces"}),
    Tag("transport", {"pl": "Transport publiczny", "en": "Public transport"}),
    Tag("rowery", {"pl": "Rowery i piesi", "en": "Cycling and walking"}),
    Tag("bezpieczenstwo", {"pl": "Bezpieczeństwo", "en": "Safety"}),
    Tag("sport", {"pl": "Sport i rekreacja", "en": "Sport and leisure"}),
    Tag("kultura", {"pl": "Kultura", "en": "Culture"}),
    Tag("dzieci", {"pl": "Dzieci i młodzież", "en": "Children and young people"}),
    Tag("seniorzy", {"pl": "Seniorzy", "en": "Older residents"}),
    Tag("srodowisko", {"pl": "Klimat i środowisko", "en": "Climate and environment"}),
)

AREAS = (
    Tag("srodmiescie", {"pl": "Śródmieście"}),
    Tag("wrzeszcz-gorny", {"pl": "Wrzeszcz Górny"}),
    Tag("wrzeszcz-dolny", {"pl": "Wrzeszcz Dolny"}),
    Tag("oliwa", {"pl": "Oliwa"}),
    Tag("przymorze", {"pl": "Przymorze Wielkie"}),
    Tag("zaspa", {"pl": "Zaspa-Młyniec"}),
    Tag("brzezno", {"pl": "Brzeźno"}),
    Tag("stogi", {"pl": "Stogi"}),
    Tag("orunia", {"pl": "Orunia-Św. Wojciech-Lipce"}),
    Tag("jasien", {"pl": "Jasień"}),
)

BUDGET_FOLDER = DemoFolder(
    slug="budzet-obywatelski-2027",
    title={"pl": "Budżet Obywatelski 2027", "en": "Civic Budget 2027"},
    description={
        "pl": "<p>Wszystko o Budżecie Obywatelskim 2027: zgłaszanie pomysłów, weryfikacja "
        "i głosowanie.</p>",
        "en": "<p>Everything about the 2027 Civic Budget: submitting ideas, verification and "
        "the vote.</p>",
    },
)

# --- Budżet Obywatelski 2027: the open idea collection ------------------------------------------

BUDGET_IDEAS = (
    Idea(
        author="marta",
        title="Ławki i cień w Parku Jaśkowa Dolina",
        body="<p>Na głównej alei parku, między wejściem od ul. Jaśkowa Dolina a stawem, stoi "
        "tylko jedna ławka. Starsze osoby i rodzice z wózkami nie mają gdzie odpocząć, a latem "
        "cała aleja jest w pełnym słońcu.</p><p>Proponuję sześć ławek z oparciami, ustawionych "
        "co ok. 80 metrów, i kilka drzew (np. lip drobnolistnych) posadzonych przy ławkach od "
        "strony południowej.</p>",
        day=19,
        at="08:40",
        topics=("zielen", "seniorzy"),
        place=Place("54.376600", "18.592400", "Park Jaśkowa Dolina, główna aleja"),
        likes=21,
        comments=(
            Comment(
                "piotr",
                "Bardzo potrzebne. Chodzę tam codziennie z wnukiem i zawsze siadamy na murku "
                "przy stawie.",
                5,
                replies=(
                    Comment(
                        "marta",
                        "Dziękuję! Jeśli ktoś zna inne miejsca w parku, gdzie brakuje ławek, "
                        "proszę dopisać – uwzględnię je w opisie.",
                        6.5,
                    ),
                ),
            ),
            Comment(
                "zofia",
                "A może ławki z podłokietnikami? Mojej mamie dużo łatwiej z takich wstać.",
                26,
            ),
            Comment(
                "tomasz",
                "Dziękujemy za zgłoszenie. Przy weryfikacji sprawdzimy, czy nowe nasadzenia nie "
                "kolidują z wodociągiem biegnącym wzdłuż alei.",
                50,
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Pomysł jest w trakcie weryfikacji. Gdański Zarząd Dróg i Zieleni potwierdził, "
                "że teren jest w zarządzie miasta; trwa szacowanie kosztów (wstępnie ok. "
                "85 tys. zł za ławki i nasadzenia).</p>",
                days=3,
            ),
        ),
    ),
    Idea(
        author="jakub",
        title="Plac zabaw dostępny dla dzieci z niepełnosprawnościami na Zaspie",
        body="<p>Na Zaspie nie ma ani jednego placu zabaw, z którego mogłoby skorzystać dziecko "
        "na wózku. Proponuję przebudować plac przy ul. Pilotów: bezpieczna nawierzchnia zamiast "
        "piasku, karuzela z wjazdem dla wózka, huśtawka typu „bocianie gniazdo” i piaskownica "
        "na podwyższeniu.</p><p>Z takiego placu skorzystają wszystkie dzieci, a rodzice nie "
        "będą musieli jeździć do Parku Reagana.</p>",
        day=18,
        at="21:15",
        topics=("dzieci",),
        place=Place("54.392900", "18.601300", "plac zabaw przy ul. Pilotów"),
        likes=27,
        comments=(
            Comment(
                "joanna",
                "Świetny pomysł. Mam syna na wózku i do tej pory jeździmy na plac integracyjny "
                "do Oliwy.",
                3,
            ),
            Comment(
                "agnieszka",
                "Popieram, tylko prośba o cień – obecny plac jest w pełnym słońcu i latem "
                "zjeżdżalnia parzy.",
                20,
                replies=(
                    Comment(
                        "jakub", "Dobra uwaga, dopiszę żagle przeciwsłoneczne nad piaskownicą.", 22
                    ),
                ),
            ),
            Comment(
                "hanna",
                "Ile może kosztować taka przebudowa? Czy zmieści się w puli dzielnicowej "
                "Zaspy-Młyniec?",
                40,
                replies=(
                    Comment(
                        "tomasz",
                        "Podobne place w Gdańsku kosztowały od 350 do 600 tys. zł. Dokładną kwotę "
                        "podamy po weryfikacji; pula dzielnicowa Zaspy-Młyniec w tej edycji to "
                        "ok. 1,1 mln zł.",
                        47,
                    ),
                ),
            ),
        ),
    ),
    Idea(
        author="hanna",
        title="Poidełka z wodą pitną na pasie nadmorskim w Brzeźnie",
        body="<p>Latem na deptaku między molo w Brzeźnie a Jelitkowem nie ma gdzie nabrać wody. "
        "Proponuję trzy poidełka z kranikiem do napełniania butelek i miską dla psów: przy molo, "
        "przy wejściu na plażę nr 40 i przy Parku Reagana.</p>",
        day=17,
        at="10:05",
        topics=("srodowisko", "sport"),
        place=Place("54.411700", "18.628400", "molo w Brzeźnie"),
        likes=18,
        comments=(
            Comment("pawel", "I koniecznie miska dla psów, bo w upały psy naprawdę cierpią.", 8),
            Comment(
                "liam",
                "Great idea – I run along the seafront every morning and always have to carry "
                "water.",
                30,
            ),
        ),
    ),
    Idea(
        author="joanna",
        title="Siłownia plenerowa i stół do ping-ponga w Parku Oruńskim",
        body="<p>Park Oruński jest pięknie odnowiony, ale brakuje w nim miejsca do ruchu dla "
        "dorosłych i młodzieży. Proponuję kilka urządzeń do ćwiczeń (wioślarz, orbitrek, "
        "drążki) i betonowy stół do tenisa stołowego na polanie przy górnym stawie.</p>",
        day=16,
        at="17:50",
        topics=("sport",),
        place=Place("54.329600", "18.628600", "Park Oruński, polana przy górnym stawie"),
        likes=12,
        comments=(
            Comment(
                "bartek",
                "Stół do ping-ponga to strzał w dziesiątkę, młodzież na Oruni nie ma gdzie się "
                "spotykać.",
                4,
            ),
            Comment(
                "ewa",
                "Prośba, żeby urządzenia stały z dala od stawu i ścieżki dydaktycznej – park jest "
                "też cenny przyrodniczo.",
                28,
                replies=(
                    Comment(
                        "joanna",
                        "Zgadzam się, zaproponowałam polanę właśnie dlatego, że jest z boku.",
                        30,
                    ),
                ),
            ),
        ),
    ),
    Idea(
        author="agnieszka",
        title="Szpaler drzew wzdłuż ul. Chłopskiej",
        body="<p>Na odcinku ul. Chłopskiej od ul. Obrońców Wybrzeża do al. Rzeczypospolitej "
        "przy chodniku nie rośnie ani jedno drzewo. Latem rozgrzany asfalt i beton sprawiają, "
        "że trudno tamtędy dojść do przystanku.</p><p>Proponuję posadzić ok. 30 drzew w pasie "
        "zieleni między jezdnią a chodnikiem, w misach retencyjnych zbierających deszczówkę.</p>",
        day=15,
        at="07:30",
        topics=("zielen", "srodowisko"),
        place=Place("54.405500", "18.594000", "ul. Chłopska, Przymorze"),
        likes=24,
        comments=(
            Comment(
                "ola",
                "Tak! Przymorze bardzo potrzebuje cienia. Może też łąka kwietna pod drzewami?",
                2,
            ),
            Comment(
                "michal",
                "Pamiętajmy o drodze rowerowej wzdłuż Chłopskiej – drzewa nie powinny zawężać "
                "przejazdu.",
                26,
                replies=(
                    Comment(
                        "agnieszka",
                        "Pas zieleni jest między jezdnią a chodnikiem, droga rowerowa zostaje "
                        "bez zmian.",
                        27,
                    ),
                ),
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Gdański Zarząd Dróg i Zieleni sprawdza przebieg sieci podziemnych pod pasem "
                "zieleni. Wstępnie możliwe jest posadzenie ok. 22 drzew; w pozostałych miejscach "
                "przeszkodą jest sieć ciepłownicza. Autorka otrzyma propozycję korekty "
                "zakresu.</p>",
                days=6,
                at="13:10",
            ),
        ),
    ),
    Idea(
        author="pawel",
        title="Wybieg dla psów w Parku Reagana",
        body="<p>W Parku Reagana codziennie spaceruje kilkaset psów, a najbliższy ogrodzony "
        "wybieg jest na Zaspie. Proponuję ogrodzony wybieg (ok. 1500 m²) w północno-zachodniej "
        "części parku, daleko od placów zabaw, z ławkami, koszami na psie odchody i "
        "poidełkiem.</p>",
        day=14,
        at="19:10",
        topics=("zielen",),
        place=Place("54.406800", "18.610500", "Park im. Ronalda Reagana, część północno-zachodnia"),
        likes=16,
        comments=(
            Comment(
                "hanna", "Jako właścicielka psa popieram, ale wybieg musi mieć podwójną furtkę.", 6
            ),
            Comment(
                "krzysztof",
                "Park jest dla wszystkich, nie tylko dla psów. Wolałbym, żeby ta część parku "
                "została naturalna.",
                22,
                replies=(
                    Comment(
                        "pawel",
                        "Rozumiem. Wybieg zajmie mały fragment, a dzięki niemu psy nie będą "
                        "biegać luzem po całym parku.",
                        24,
                    ),
                    Comment(
                        "hanna",
                        "Dokładnie, teraz psy biegają bez smyczy wszędzie, bo nie ma gdzie ich "
                        "puścić.",
                        25,
                    ),
                ),
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Dziękujemy za zgłoszenie. Park im. Ronalda Reagana jest w zarządzie GZDiZ. "
                "Poprosiliśmy o opinię, czy wybieg można zlokalizować w północno-zachodniej "
                "części parku bez wycinki drzew. Wynik weryfikacji opublikujemy na tej "
                "stronie.</p>",
                days=4,
                at="10:20",
            ),
        ),
    ),
    Idea(
        author="michal",
        title="Zadaszone stojaki rowerowe przy przystanku SKM Gdańsk Zaspa",
        body="<p>Przy SKM Zaspa rowery stoją przypięte do barierek i znaków, bo stojaków jest "
        "tylko osiem. Proponuję wiatę na 40 rowerów ze stojakami w kształcie odwróconego U, "
        "z oświetleniem, po stronie osiedla.</p>",
        day=13,
        at="12:20",
        topics=("rowery", "transport"),
        place=Place("54.393800", "18.606300", "przystanek SKM Gdańsk Zaspa"),
        likes=19,
        comments=(
            Comment("liam", "Yes please! My bike was stolen there last winter.", 5),
            Comment("bartek", "Dobrze by było dodać też stację naprawy rowerów z pompką.", 29),
        ),
    ),
    Idea(
        author="ola",
        title="Łąka kwietna zamiast trawnika na al. Hallera",
        body="<p>Pas zieleni na środku al. Hallera jest koszony kilka razy w sezonie i latem "
        "wypala się na brązowo. Zamiast trawnika proponuję łąkę kwietną z rodzimych gatunków: "
        "mniej koszenia, więcej owadów zapylających i mniej pyłu.</p><p>Można zacząć od "
        "odcinka między ul. Mickiewicza a ul. Kościuszki i postawić tabliczki z informacją, "
        "dlaczego łąka nie jest koszona.</p>",
        day=12,
        at="15:45",
        topics=("zielen", "srodowisko"),
        place=Place("54.387900", "18.614900", "al. gen. Józefa Hallera"),
        likes=22,
        comments=(
            Comment(
                "ewa",
                "Ładnie wygląda, ale czy nie będzie problemu z kleszczami?",
                4,
                replies=(
                    Comment(
                        "ola",
                        "Łąki przy ulicach kosi się raz lub dwa razy w roku, a kleszcze wolą "
                        "wysoką trawę w cieniu. W Gdańsku są już takie łąki, np. na Zaspie.",
                        5,
                    ),
                ),
            ),
            Comment(
                "tomasz",
                "Informujemy, że łąki kwietne w pasach drogowych można zgłaszać także do "
                "programu GZDiZ, poza Budżetem Obywatelskim. Zgłoszenie rozpatrzymy w obu "
                "ścieżkach.",
                46,
            ),
        ),
    ),
    Idea(
        author="krzysztof",
        title="Kino plenerowe na Stogach w wakacyjne soboty",
        body="<p>Na Stogach latem brakuje wydarzeń dla rodzin. Proponuję cykl ośmiu seansów "
        "kina plenerowego w soboty lipca i sierpnia na trawniku przy pętli tramwajowej Stogi "
        "Plaża: o 20:00 filmy dla dzieci, po zmroku dla dorosłych.</p>",
        day=11,
        at="20:30",
        topics=("kultura",),
        place=Place("54.370200", "18.715400", "pętla tramwajowa Stogi Plaża"),
        likes=14,
        comments=(
            Comment("joanna", "Super, tylko proszę o leżaki albo chociaż koce do wypożyczenia.", 7),
            Comment(
                "zofia",
                "Chętnie pomogę w wyborze filmów dla dzieci – uczę w szkole na Stogach.",
                31,
            ),
        ),
    ),
    Idea(
        author="piotr",
        title="Gimnastyka dla seniorów w Parku Oliwskim",
        body="<p>Proponuję bezpłatne zajęcia ruchowe dla osób 60+ dwa razy w tygodniu, od maja "
        "do września, prowadzone przez fizjoterapeutę na polanie przy Palmiarni. Takie zajęcia "
        "poprawiają równowagę i zmniejszają ryzyko upadków, a przy okazji są okazją do "
        "spotkań.</p>",
        day=10,
        at="09:15",
        topics=("seniorzy", "sport"),
        place=Place("54.409300", "18.563900", "Park Oliwski, polana przy Palmiarni"),
        likes=17,
        comments=(
            Comment(
                "ewa", "Chętnie się zapiszę! W Śródmieściu też by się przydały takie zajęcia.", 3
            ),
            Comment(
                "marta",
                "Moja mama chodzi na nordic walking w Parku Oliwskim, może dałoby się połączyć "
                "obie grupy?",
                23,
            ),
        ),
    ),
    Idea(
        author="zofia",
        title="Oświetlenie ścieżki wzdłuż Potoku Oliwskiego",
        body="<p>Ścieżka wzdłuż Potoku Oliwskiego, od Parku Oliwskiego w stronę Żabianki, to "
        "codzienna droga wielu uczniów do szkoły. Od listopada do lutego po 16:00 jest tam "
        "zupełnie ciemno. Proponuję niskie lampy LED z czujnikiem ruchu, przyjazne dla "
        "nietoperzy.</p>",
        day=9,
        at="18:00",
        topics=("bezpieczenstwo", "dzieci"),
        place=Place("54.411300", "18.567500", "ścieżka wzdłuż Potoku Oliwskiego"),
        likes=20,
        comments=(
            Comment(
                "piotr",
                "Popieram. Zimą sam omijam tę ścieżkę, chociaż to najkrótsza droga do przystanku.",
                2,
            ),
            Comment(
                "ola",
                "Ważne, żeby światło było ciepłe i skierowane w dół – nad potokiem żyją "
                "nietoperze.",
                20,
            ),
        ),
    ),
    Idea(
        author="bartek",
        title="Warsztaty naprawy rowerów dla młodzieży",
        body="<p>Cykl bezpłatnych warsztatów w pięciu dzielnicach: jak wymienić dętkę, "
        "wyregulować hamulce i przygotować rower do jazdy zimą. Do tego punkt naprawczy z "
        "narzędziami, z którego można korzystać po warsztatach.</p><p>Projekt ogólnomiejski, "
        "koszt ok. 60 tys. zł.</p>",
        day=8,
        at="16:40",
        topics=("rowery", "dzieci"),
        likes=9,
        comments=(
            Comment("michal", "Chętnie poprowadzę jeden z warsztatów jako wolontariusz.", 10),
        ),
    ),
    Idea(
        author="liam",
        title="Secure bike parking at Gdańsk Wrzeszcz station",
        body="<p>Hundreds of people switch from bike to train at Wrzeszcz every day, but there "
        "is no secure parking: bikes are chained to railings and many get stolen. I propose a "
        "covered, lockable bike shelter for about 60 bikes, opened with the city card, on the "
        "Wajdeloty side of the station.</p>",
        day=7,
        at="13:05",
        topics=("rowery", "transport"),
        place=Place("54.380800", "18.605900", "Gdańsk Wrzeszcz station, Wajdeloty side"),
        likes=15,
        comments=(
            Comment("michal", "Bardzo dobry pomysł, na Wrzeszczu rowery giną nagminnie.", 3),
            Comment(
                "marta",
                "Popieram. I think a lot of people would switch to bike + SKM if this existed.",
                27,
            ),
        ),
        answers=(
            Answer(
                "rejected",
                "<p>Dziękujemy za zgłoszenie. Teren przy dworcu Gdańsk Wrzeszcz należy do "
                "PKP S.A., a z Budżetu Obywatelskiego można finansować wyłącznie zadania na "
                "gruncie miasta, dlatego pomysł nie przeszedł weryfikacji. Przekazaliśmy go do "
                "Biura Mobilności Aktywnej, które rozmawia z PKP o parkingach rowerowych przy "
                "stacjach.</p><p><em>In short: the land at Wrzeszcz station belongs to the "
                "national railway company (PKP S.A.), and the Civic Budget can only fund work on "
                "city land. We have passed your idea to the city's active mobility office, which "
                "is discussing bike parking with PKP.</em></p>",
                days=4,
                at="14:45",
            ),
        ),
    ),
    Idea(
        author="ewa",
        title="Ławki z oparciami na Długim Targu i ul. Długiej",
        body="<p>Na Drodze Królewskiej są głównie ogródki kawiarni, a ławek, na których można "
        "usiąść bez zamawiania kawy, jest bardzo mało. Dla seniorów mieszkających w "
        "Śródmieściu spacer bez odpoczynku jest trudny. Proponuję dziesięć ławek z oparciami "
        "i podłokietnikami, w stylu pasującym do zabytkowej zabudowy.</p>",
        day=6,
        at="11:20",
        topics=("seniorzy",),
        place=Place("54.348600", "18.653000", "Długi Targ"),
        anonymous=True,
        likes=13,
        comments=(
            Comment("piotr", "Zgadzam się w stu procentach.", 6),
            Comment(
                "hanna",
                "Trzeba tylko uzgodnić wygląd z konserwatorem zabytków, ale to da się zrobić.",
                25,
            ),
        ),
    ),
    Idea(
        author="ola",
        title="Zielone dachy na przystankach we Wrzeszczu",
        body="<p>Proponuję posadzić rozchodniki na dachach wiat przystankowych we Wrzeszczu. "
        "Takie dachy zatrzymują deszczówkę, chłodzą przystanek i są dobre dla owadów. Na "
        "początek przystanki Brama Oliwska, Miszewskiego i Galeria Bałtycka.</p>",
        day=5,
        at="14:10",
        topics=("zielen", "transport"),
        place=Place("54.377200", "18.611700", "przystanek Brama Oliwska"),
        likes=11,
        comments=(Comment("bartek", "Widziałem takie w Utrechcie, wyglądają świetnie.", 9),),
    ),
    Idea(
        author="michal",
        title="Pumptrack na Jasieniu",
        body="<p>Na Jasieniu mieszka mnóstwo rodzin z dziećmi, a do najbliższego toru dla "
        "rowerów i hulajnóg trzeba jechać kilka kilometrów. Proponuję asfaltowy pumptrack dla "
        "początkujących i zaawansowanych na wolnym terenie miejskim w okolicy pętli Jasień "
        "Pólnicy.</p>",
        day=4,
        at="19:55",
        topics=("sport", "dzieci"),
        place=Place("54.343000", "18.554000", "okolice pętli Jasień Pólnicy"),
        likes=10,
        comments=(Comment("jakub", "Mój syn byłby zachwycony. Na Zaspie też by się przydał.", 5),),
    ),
)

BUDGET_PROJECT = Project(
    slug="bo-2027-pomysly",
    title={
        "pl": "Budżet Obywatelski 2027: zgłoś pomysł",
        "en": "Civic Budget 2027: submit your idea",
    },
    description={
        "pl": "<p>Budżet Obywatelski to pieniądze, o których wydaniu decydują mieszkańcy. "
        "W edycji 2027 do podziału jest <strong>22 mln zł</strong>: 4,4 mln zł w puli "
        "ogólnomiejskiej i 17,6 mln zł w pulach dzielnicowych.</p>"
        "<h2>Kto może zgłosić pomysł?</h2><p>Każda mieszkanka i każdy mieszkaniec Gdańska, bez "
        "względu na wiek. Wystarczy konto z potwierdzonym adresem e-mail.</p>"
        "<h2>Co dalej z pomysłami?</h2><ol><li>Zbieramy pomysły i rozmawiamy o nich tutaj, na "
        "portalu.</li><li>Urzędnicy sprawdzają, czy pomysł da się zrealizować na gruncie miasta, "
        "w ciągu roku i w ramach puli.</li><li>Pomysły, które przejdą weryfikację, trafią pod "
        "głosowanie.</li></ol><p>Status każdego pomysłu i odpowiedź urzędu zobaczysz na jego "
        "stronie.</p>",
        "en": "<p>The Civic Budget is money whose use residents decide. The 2027 edition shares "
        "out <strong>PLN 22 million</strong>: PLN 4.4 million city-wide and PLN 17.6 million for "
        "the districts.</p>"
        "<h2>Who can submit an idea?</h2><p>Anyone who lives in Gdańsk, of any age. All you "
        "need is an account with a confirmed e-mail address.</p>"
        "<h2>What happens to the ideas?</h2><ol><li>We collect ideas and discuss them here, on "
        "the portal.</li><li>City staff check that each idea can be carried out on city land, "
        "within a year and within its budget.</li><li>Ideas that pass go to the vote.</li></ol>"
        "<p>Each idea's page shows its status and the city's answer.</p>",
    },
    topics=("zielen", "rowery", "sport", "dzieci", "seniorzy"),
    folder=BUDGET_FOLDER.slug,
    phases=(
        Phase(
            method="information",
            title={
                "pl": "Spotkania informacyjne w dzielnicach",
                "en": "Information meetings in the districts",
            },
            description={
                "pl": "<p>Spotkania z koordynatorami Budżetu Obywatelskiego w domach sąsiedzkich "
                "i klubach osiedlowych: jak napisać dobry pomysł, ile kosztują typowe inwestycje "
                "i jakie tereny należą do miasta.</p>",
                "en": "<p>Meetings with the Civic Budget coordinators in neighbourhood centres "
                "and community clubs: how to write a good idea, what typical projects cost and "
                "which land belongs to the city.</p>",
            },
            starts=-42,
            ends=-21,
        ),
        Phase(
            method="ideation",
            title={"pl": "Zgłaszanie pomysłów", "en": "Submitting ideas"},
            description={
                "pl": "<p>Opisz, co i gdzie chcesz zmienić, zaznacz miejsce na mapie i wybierz "
                "temat. Komentuj i wspieraj pomysły sąsiadów – to pomaga autorom dopracować "
                "zgłoszenia przed weryfikacją.</p>",
                "en": "<p>Describe what you would change and where, mark the place on the map "
                "and choose a topic. Comment on and support your neighbours' ideas: it helps "
                "authors improve them before verification.</p>",
            },
            starts=-21,
            ends=24,
            options={"anonymous_posting": True},
            permissions={"post": {"who": "confirmed"}},
            ideas=BUDGET_IDEAS,
        ),
    ),
)

# --- Aleja Grunwaldzka: a finished consultation, every idea answered ----------------------------

GRUNWALDZKA_IDEAS = (
    Idea(
        author="michal",
        title="Wydzielone drogi rowerowe po obu stronach alei",
        body="<p>Dziś droga rowerowa biegnie tylko po zachodniej stronie alei i ma kilka przerw, "
        "m.in. przy Galerii Bałtyckiej i na Zaspie. Proponuję jednokierunkowe drogi rowerowe po "
        "obu stronach, oddzielone od chodnika pasem zieleni, na całym odcinku od Bramy Oliwskiej "
        "do Oliwy.</p>",
        day=107,
        at="08:10",
        topics=("rowery", "bezpieczenstwo"),
        place=Place("54.389000", "18.591700", "al. Grunwaldzka na wysokości Zaspy"),
        likes=34,
        dislikes=5,
        comments=(
            Comment(
                "pawel",
                "A gdzie się zmieszczą samochody dostawcze do sklepów?",
                3,
                replies=(
                    Comment(
                        "michal",
                        "Dostawy mogą się odbywać od ulic bocznych, tak jest już przy większości "
                        "sklepów.",
                        4,
                    ),
                    Comment(
                        "marta",
                        "Jeżdżę tędy z dzieckiem w foteliku i obecny przejazd przy Galerii to "
                        "koszmar. Popieram.",
                        6,
                    ),
                ),
            ),
            Comment(
                "tomasz",
                "Dziękujemy. Analizujemy przekroje alei; w szerszych miejscach dwie drogi "
                "jednokierunkowe są możliwe.",
                30,
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Pomysł przekazaliśmy projektantom koncepcji przebudowy. Sprawdzamy, czy na "
                "całym odcinku zmieszczą się dwie jednokierunkowe drogi rowerowe bez wycinki "
                "drzew.</p>",
                days=5,
            ),
            Answer(
                "accepted",
                "<p>Koncepcja przebudowy przewiduje jednokierunkowe drogi rowerowe po obu "
                "stronach alei na odcinku od Bramy Oliwskiej do ul. Kołobrzeskiej (2,4 km). Przy "
                "Zaspie, gdzie przekrój jest węższy, pozostanie dwukierunkowa droga po stronie "
                "zachodniej, poszerzona do 3 m. Budowę planujemy na lata 2027–2028, po uzyskaniu "
                "dofinansowania z funduszy europejskich.</p>",
                days=40,
                at="12:15",
            ),
        ),
    ),
    Idea(
        author="bartek",
        title="Tramwaje częściej w godzinach szczytu",
        body="<p>W szczycie tramwaje na Grunwaldzkiej są tak pełne, że na przystanku "
        "Miszewskiego często nie da się wsiąść. Proponuję zwiększyć częstotliwość linii "
        "jadących aleją do Oliwy tak, żeby w godzinach 7–9 i 15–18 tramwaj przyjeżdżał co "
        "5 minut.</p>",
        day=106,
        at="07:25",
        topics=("transport",),
        likes=29,
        dislikes=1,
        comments=(
            Comment(
                "ola",
                "Zgadzam się, rano jeżdżę na uczelnię i często czekam na drugi tramwaj.",
                2,
            ),
            Comment("krzysztof", "Na Stogach też by się przydało, ale to inna historia.", 20),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Zarząd Transportu Miejskiego przeanalizował napełnienie tramwajów na "
                "Grunwaldzkiej. Od nowego rozkładu jazdy linie 6 i 12 będą kursować w szczycie co "
                "7,5 minuty zamiast co 10, co razem z pozostałymi liniami daje tramwaj średnio co "
                "3–4 minuty na odcinku Brama Oliwska – Oliwa.</p>",
                days=12,
            ),
            Answer(
                "implemented",
                "<p>Nowy rozkład jazdy już obowiązuje. W pierwszym miesiącu napełnienie "
                "tramwajów w porannym szczycie spadło o ok. 15%. Dziękujemy za zgłoszenie!</p>",
                days=60,
                at="09:40",
            ),
        ),
    ),
    Idea(
        author="ewa",
        title="Dłuższe zielone światło dla pieszych przy Galerii Bałtyckiej",
        body="<p>Na przejściu przez al. Grunwaldzką przy Galerii Bałtyckiej zielone światło "
        "trwa tak krótko, że starsza osoba nie zdąży przejść na drugą stronę i zostaje na "
        "wysepce między torami. Proszę o wydłużenie zielonego światła i przycisk, który je "
        "przedłuża dla osób wolniej chodzących.</p>",
        day=104,
        at="13:40",
        topics=("bezpieczenstwo", "seniorzy"),
        place=Place("54.382500", "18.600100", "przejście dla pieszych przy Galerii Bałtyckiej"),
        likes=26,
        comments=(
            Comment("zofia", "To samo z dziećmi idącymi do szkoły. Popieram.", 5),
            Comment(
                "tomasz",
                "Przekazaliśmy zgłoszenie do Gdańskiego Zarządu Dróg i Zieleni, który odpowiada "
                "za programy sygnalizacji.",
                50,
            ),
        ),
        answers=(
            Answer(
                "implemented",
                "<p>GZDiZ zmienił program sygnalizacji: zielone światło dla pieszych trwa teraz "
                "24 s zamiast 15 s, a przejścia przez obie jezdnie alei są skoordynowane, więc nie "
                "trzeba czekać na wysepce.</p>",
                days=21,
                at="10:05",
            ),
        ),
    ),
    Idea(
        author="piotr",
        title="Większe wiaty na przystankach Oliwa i Piastowska",
        body="<p>Na przystankach tramwajowych Oliwa i Piastowska jest po jednej małej wiacie, "
        "w której mieszczą się trzy osoby. Przy deszczu i wietrze od morza reszta pasażerów "
        "moknie. Proponuję większe wiaty z ławkami i tablicami z rzeczywistymi godzinami "
        "odjazdów.</p>",
        day=102,
        at="10:00",
        topics=("transport", "seniorzy"),
        place=Place("54.405400", "18.574500", "przystanek tramwajowy Piastowska"),
        likes=15,
        comments=(
            Comment(
                "hanna",
                "Tablice z godzinami odjazdu są bardzo potrzebne, zwłaszcza wieczorem.",
                20,
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Wymianę wiat na przystankach Oliwa i Piastowska na większe, z ławkami i "
                "tablicami dynamicznej informacji pasażerskiej, wpisaliśmy do planu utrzymania "
                "infrastruktury przystankowej na przyszły rok.</p>",
                days=30,
            ),
        ),
    ),
    Idea(
        author="agnieszka",
        title="Zachować szpaler lip przy Zaspie",
        body="<p>Wzdłuż alei na wysokości Zaspy rośnie szpaler kilkudziesięcioletnich lip. "
        "Proszę, żeby przebudowa je zachowała – to jedyny cień na tym odcinku i naturalna "
        "osłona przed hałasem. Lepiej zwęzić pas ruchu niż wyciąć drzewa.</p>",
        day=100,
        at="21:00",
        topics=("zielen",),
        place=Place("54.394500", "18.586300", "al. Grunwaldzka, szpaler lip przy Zaspie"),
        likes=38,
        dislikes=2,
        comments=(
            Comment("michal", "Zgadzam się, droga rowerowa może je ominąć.", 2),
            Comment("ola", "Lipy mają ponad 60 lat, ich wycinki nie da się odrobić.", 5),
            Comment(
                "pawel",
                "Drzewa są ważne, ale część z nich jest chora i zrzuca gałęzie na chodnik.",
                30,
                replies=(
                    Comment(
                        "agnieszka",
                        "To niech dendrolog oceni każde drzewo osobno, zamiast wycinać cały "
                        "szpaler.",
                        33,
                    ),
                ),
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Po inwentaryzacji dendrologicznej projekt zachowuje 48 z 52 lip. Cztery "
                "drzewa w złym stanie zostaną zastąpione nowymi lipami o obwodzie pnia co "
                "najmniej 20 cm. Droga rowerowa na tym odcinku zostanie poprowadzona za "
                "szpalerem, od strony osiedla.</p>",
                days=25,
            ),
        ),
    ),
    Idea(
        author="pawel",
        title="Więcej miejsc parkingowych zamiast buspasa",
        body="<p>Buspas przy Zaspie przez większość dnia jest pusty, a mieszkańcy nie mają gdzie "
        "zaparkować. Proponuję zamienić go na pas postojowy poza godzinami szczytu.</p>",
        day=98,
        at="18:30",
        topics=("transport",),
        likes=6,
        dislikes=19,
        comments=(
            Comment(
                "bartek",
                "Buspas jest pusty, bo autobusy dzięki niemu szybko przejeżdżają. Właśnie o to "
                "chodzi.",
                1.5,
            ),
            Comment(
                "michal",
                "Parkowanie przy głównej alei tylko spowolni autobusy.",
                3,
                replies=(
                    Comment(
                        "pawel",
                        "Może i tak, ale ktoś musi pomyśleć też o kierowcach, którzy tu mieszkają.",
                        5,
                    ),
                ),
            ),
        ),
        answers=(
            Answer(
                "rejected",
                "<p>Miasto nie planuje likwidacji buspasa. Korzysta z niego ok. 9 tys. pasażerów "
                "autobusów dziennie, a pomiary pokazują, że skraca on czas przejazdu o 3–4 minuty "
                "w szczycie. Parkowanie na pasie przy ruchliwej alei pogorszyłoby też "
                "bezpieczeństwo rowerzystów i pieszych. Brak miejsc postojowych na Zaspie "
                "analizujemy osobno, w ramach strefy płatnego parkowania i parkingów "
                "osiedlowych.</p>",
                days=20,
                at="13:45",
            ),
        ),
    ),
    Idea(
        author="liam",
        title="Raised crossings where side streets meet the avenue",
        body="<p>Cars turn from Grunwaldzka into the side streets (Jaśkowa Dolina, Kołobrzeska "
        "and others) very fast, right across the pavement and the bike path. Raised crossings "
        "at the mouth of each side street would make drivers slow down and give priority to "
        "people walking and cycling, like in the Netherlands or Denmark.</p>",
        day=96,
        at="09:45",
        topics=("bezpieczenstwo", "rowery"),
        place=Place("54.378900", "18.598600", "Jaśkowa Dolina / al. Grunwaldzka"),
        likes=23,
        dislikes=3,
        comments=(
            Comment(
                "marta",
                "Świetny pomysł. W Gdańsku są już takie wyniesione przejścia na kilku osiedlach "
                "i dobrze działają.",
                4,
            ),
            Comment(
                "tomasz",
                "Thank you for the idea. We have asked the designers to check which side streets "
                "can have raised crossings.",
                28,
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Projektanci analizują, na których wlotach ulic bocznych można zastosować "
                "wyniesione przejścia (wymaga to m.in. zmian w odwodnieniu).</p>",
                days=6,
            ),
            Answer(
                "accepted",
                "<p>Koncepcja przebudowy przewiduje wyniesione przejścia i przejazdy na wlotach "
                "ośmiu ulic bocznych, w tym Jaśkowej Doliny i Kołobrzeskiej. Na pozostałych "
                "wlotach zastosujemy zwężenia jezdni i azyle.</p><p><em>The redesign includes "
                "raised crossings at eight side streets, including Jaśkowa Dolina and "
                "Kołobrzeska.</em></p>",
                days=42,
                at="15:00",
            ),
        ),
    ),
    Idea(
        author="ola",
        title="Strefy parkowania dla hulajnóg przy przystankach",
        body="<p>Wypożyczane hulajnogi leżą na środku chodnika przy przystankach i blokują "
        "przejście osobom niewidomym i poruszającym się na wózkach. Proponuję wyznaczyć przy "
        "każdym przystanku na alei oznakowane miejsce, gdzie wolno je zostawiać, a poza nim – "
        "nie.</p>",
        day=94,
        at="16:20",
        topics=("bezpieczenstwo", "rowery"),
        likes=31,
        dislikes=2,
        comments=(
            Comment("ewa", "Tak! Dwa razy potknęłam się o hulajnogę przy Galerii.", 1),
            Comment(
                "liam",
                "Agreed, and operators should be fined when scooters are left outside the zones.",
                26,
            ),
        ),
        answers=(
            Answer(
                "implemented",
                "<p>Wyznaczyliśmy 14 stref parkowania dla hulajnóg i rowerów miejskich przy "
                "przystankach na al. Grunwaldzkiej. Operatorzy wypożyczalni zablokowali w swoich "
                "aplikacjach kończenie wypożyczenia poza strefami na tym odcinku.</p>",
                days=33,
            ),
        ),
    ),
    Idea(
        author="zofia",
        title="Bezpieczniejsze przejście przy skrzyżowaniu z ul. Kołobrzeską",
        body="<p>Codziennie rano przez to skrzyżowanie przechodzi kilkaset dzieci idących do "
        "szkół na Zaspie i Przymorzu. Kierowcy skręcający w prawo często nie ustępują im "
        "pierwszeństwa. Proponuję osobną fazę sygnalizacji dla pieszych, bez kolizji ze "
        "skrętami, i poranne patrole straży miejskiej we wrześniu.</p>",
        day=92,
        at="07:55",
        topics=("bezpieczenstwo", "dzieci"),
        place=Place("54.396000", "18.585000", "skrzyżowanie al. Grunwaldzkiej z ul. Kołobrzeską"),
        likes=27,
        comments=(
            Comment("jakub", "Moja córka przechodzi tędy codziennie. Popieram.", 3),
            Comment(
                "tomasz",
                "Dziękujemy. Sprawdzimy, czy bezkolizyjna faza nie wydłuży za bardzo cyklu "
                "sygnalizacji dla tramwajów.",
                26,
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>GZDiZ przygotowuje symulację ruchu dla skrzyżowania z bezkolizyjną fazą dla "
                "pieszych.</p>",
                days=8,
            ),
            Answer(
                "accepted",
                "<p>GZDiZ wprowadzi bezkolizyjną fazę dla pieszych na przejściu przez "
                "ul. Kołobrzeską w godzinach 7:00–8:30. Na przejściu przez aleję skrętów "
                "kolizyjnych nie ma. Straż Miejska zapowiedziała patrole w pierwszych dwóch "
                "tygodniach roku szkolnego.</p>",
                days=35,
            ),
        ),
    ),
    Idea(
        author="marta",
        title="Zielone torowisko między Zaspą a Oliwą",
        body="<p>Torowisko na środku alei mogłoby być porośnięte trawą albo rozchodnikami, jak "
        "w wielu miastach w Niemczech i we Wrocławiu. Zielone torowisko jest cichsze, "
        "zatrzymuje wodę deszczową i wygląda o wiele lepiej niż tłuczeń.</p>",
        day=90,
        at="12:35",
        topics=("zielen", "transport"),
        likes=24,
        dislikes=4,
        comments=(
            Comment(
                "bartek",
                "Czy po zielonym torowisku mogą jeździć autobusy, gdy tramwaje stoją? To ważne.",
                6,
                replies=(
                    Comment(
                        "marta",
                        "Z tego, co wiem, nie – ale na tym odcinku autobusy i tak mają swój pas.",
                        8,
                    ),
                ),
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Zielone torowisko jest możliwe technicznie na odcinku Zaspa – Oliwa, ale "
                "wymaga wymiany podbudowy torowiska (ok. 18 mln zł). Gdańskie Autobusy i "
                "Tramwaje uwzględniły je we wniosku o dofinansowanie modernizacji torowisk. "
                "Decyzję przekażemy po rozstrzygnięciu naboru.</p>",
                days=45,
            ),
        ),
    ),
    Idea(
        author="krzysztof",
        title="Nocne tramwaje w weekendy",
        body="<p>W piątki i soboty po północy z Wrzeszcza i Oliwy można wrócić do domu tylko "
        "taksówką albo autobusem nocnym, który jeździ raz na godzinę. Proponuję nocne tramwaje "
        "co 30 minut na trasie Oliwa – Wrzeszcz – Śródmieście w weekendy.</p>",
        day=88,
        at="22:10",
        topics=("transport",),
        likes=18,
        dislikes=6,
        comments=(
            Comment("ola", "Studenci na pewno by to docenili.", 2),
            Comment("piotr", "A hałas w nocy? Mieszkam przy torach w Oliwie.", 14),
        ),
        answers=(
            Answer(
                "rejected",
                "<p>Analiza Zarządu Transportu Miejskiego pokazała, że po północy z komunikacji na "
                "tym odcinku korzysta średnio 40–60 osób na godzinę. To wystarcza do utrzymania "
                "autobusu nocnego, ale nie tramwaju; ponadto prace utrzymaniowe torowisk muszą "
                "odbywać się w nocy z soboty na niedzielę. Zamiast tramwaju zwiększymy "
                "częstotliwość nocnej linii autobusowej w piątki i soboty do kursu co "
                "30 minut.</p>",
                days=38,
            ),
        ),
    ),
    Idea(
        author="jakub",
        title="Obniżone krawężniki i równe chodniki wzdłuż alei",
        body="<p>Na chodnikach wzdłuż alei jest dużo wysokich krawężników i płyt, które się "
        "rozeszły. Z wózkiem dziecięcym albo inwalidzkim trzeba zjeżdżać na drogę rowerową. "
        "Proszę o obniżenie krawężników na wszystkich przejściach i wymianę zniszczonych "
        "płyt.</p>",
        day=86,
        at="15:15",
        topics=("bezpieczenstwo",),
        likes=20,
        comments=(
            Comment(
                "joanna",
                "Dokładnie. Na wózku praktycznie nie da się przejechać odcinka przy Zaspie.",
                4,
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Obniżenie krawężników na wszystkich przejściach i ujednolicenie nawierzchni "
                "chodników to część koncepcji przebudowy. Do czasu budowy GZDiZ naprawi "
                "najbardziej zniszczone fragmenty chodnika w ramach bieżącego utrzymania; "
                "zgłoszone miejsca sprawdzimy w tym kwartale.</p>",
                days=28,
            ),
        ),
    ),
)

GRUNWALDZKA_PROJECT = Project(
    slug="konsultacje-aleja-grunwaldzka",
    title={
        "pl": "Aleja Grunwaldzka dla pieszych, rowerów i tramwajów",
        "en": "Grunwaldzka Avenue for walking, cycling and trams",
    },
    description={
        "pl": "<p>Aleja Grunwaldzka to najważniejsza oś Wrzeszcza i Oliwy: codziennie "
        "przejeżdża nią ok. 40 tys. samochodów, ponad 600 kursów tramwajów i autobusów i kilka "
        "tysięcy rowerzystów. Miasto przygotowuje koncepcję przebudowy odcinka od Bramy "
        "Oliwskiej do Oliwy.</p><p>Zapytaliśmy mieszkańców, co zmienić, żeby aleja była "
        "bezpieczniejsza i wygodniejsza dla pieszych, rowerzystów i pasażerów komunikacji "
        "miejskiej. Konsultacje się zakończyły; przy każdym pomyśle znajdziesz odpowiedź "
        "urzędu.</p>",
        "en": "<p>Grunwaldzka Avenue is the main street of Wrzeszcz and Oliwa: every day about "
        "40,000 cars, over 600 tram and bus runs and several thousand cyclists use it. The city "
        "is preparing a redesign of the stretch from Brama Oliwska to Oliwa.</p><p>We asked "
        "residents what should change to make the avenue safer and more convenient for people "
        "walking, cycling and riding public transport. The consultation has ended; each idea "
        "shows the city's answer.</p>",
    },
    topics=("rowery", "transport", "bezpieczenstwo", "zielen"),
    area="wrzeszcz-gorny",
    phases=(
        Phase(
            method="information",
            title={"pl": "Diagnoza i spotkanie otwarte", "en": "Findings and open meeting"},
            description={
                "pl": "<p>Przedstawiliśmy wyniki pomiarów ruchu, analizę wypadków z ostatnich "
                "pięciu lat i inwentaryzację zieleni wzdłuż alei. Na spotkanie otwarte w Nowym "
                "Ratuszu przyszło ponad 150 osób.</p>",
                "en": "<p>We presented traffic counts, an analysis of the last five years of "
                "collisions and a survey of the trees along the avenue. Over 150 people came to "
                "the open meeting in the New Town Hall.</p>",
            },
            starts=-130,
            ends=-110,
        ),
        Phase(
            method="ideation",
            title={"pl": "Zbieranie uwag i pomysłów", "en": "Comments and ideas"},
            description={
                "pl": "<p>Zgłaszaj pomysły, zaznacz miejsce na mapie, popieraj lub nie popieraj "
                "pomysłów innych mieszkańców.</p>",
                "en": "<p>Submit ideas, mark places on the map, and show whether you support "
                "other residents' ideas.</p>",
            },
            starts=-110,
            ends=-75,
            options={"reaction_mode": "likes_dislikes"},
            ideas=GRUNWALDZKA_IDEAS,
        ),
        Phase(
            method="information",
            title={"pl": "Raport z konsultacji", "en": "Consultation report"},
            description={
                "pl": "<p>Każdy pomysł otrzymał odpowiedź urzędu – znajdziesz ją na stronie "
                "pomysłu. Rekomendacje z konsultacji trafiły do projektantów przebudowy; projekt "
                "budowlany będzie gotowy w przyszłym roku.</p>",
                "en": "<p>Every idea has received the city's answer, shown on the idea's page. "
                "The recommendations went to the redesign team; the construction design will be "
                "ready next year.</p>",
            },
            starts=-75,
            ends=-20,
        ),
    ),
)

# --- Dolne Miasto: information only -------------------------------------------------------------

COURTYARDS_PROJECT = Project(
    slug="zielone-podworka-dolne-miasto",
    title={
        "pl": "Zielone podwórka na Dolnym Mieście: harmonogram prac",
        "en": "Green courtyards in Dolne Miasto: schedule of works",
    },
    description={
        "pl": "<p>Miasto przebudowuje pięć podwórek na Dolnym Mieście w ramach programu "
        "rewitalizacji. Projekty powstały podczas warsztatów z mieszkańcami w ubiegłym roku. "
        "Na tej stronie opisujemy, co się zmieni, kiedy i jakich utrudnień można się "
        "spodziewać.</p>"
        "<h2>Zakres prac</h2><ul>"
        "<li><strong>ul. Łąkowa 35–38</strong>: ogród deszczowy, ławki i stoły, nowe "
        "oświetlenie;</li>"
        "<li><strong>ul. Dobra 1–3</strong>: plac zabaw dla młodszych dzieci i suszarnie na "
        "pranie;</li>"
        "<li><strong>ul. Jaskółcza 12–15</strong>: rozbiórka komórek, wiata na rowery;</li>"
        "<li><strong>ul. Kieturakisa 4–8</strong>: zieleń, nowa altana śmietnikowa;</li>"
        "<li><strong>ul. Reduta Wyskok 1–3</strong>: ogródki sąsiedzkie i ścieżki z kostki "
        "z odzysku.</li></ul>"
        "<h2>Harmonogram</h2><ol>"
        "<li><strong>I kwartał</strong>: przygotowanie terenu i przełożenie sieci;</li>"
        "<li><strong>II kwartał</strong>: ogrody deszczowe i nawierzchnie;</li>"
        "<li><strong>III kwartał</strong>: ławki, plac zabaw, nasadzenia drzew i krzewów;</li>"
        "<li><strong>IV kwartał</strong>: odbiory i przekazanie podwórek mieszkańcom.</li></ol>"
        "<h2>Utrudnienia</h2><p>Prace trwają w dni robocze w godzinach 7:00–17:00. Dojście i "
        "dojazd do budynków są zapewnione przez cały czas. Wjazdy na podwórka będą zamykane "
        "najwyżej na dwa dni; informację wywieszamy na klatkach schodowych z tygodniowym "
        "wyprzedzeniem.</p>"
        '<h2>Kontakt</h2><p>Pytania o przebudowę: <a href="mailto:rewitalizacja@gdansk.example'
        '">rewitalizacja@gdansk.example</a>. Koordynatorka programu ma dyżur we wtorki w '
        "godzinach 16:00–18:00 w Domu Sąsiedzkim przy ul. Dobrej.</p>",
        "en": "<p>The city is rebuilding five courtyards in Dolne Miasto as part of its "
        "regeneration programme. The designs came out of workshops with residents last year. "
        "This page explains what will change, when, and what disruption to expect.</p>"
        "<h2>Scope</h2><ul>"
        "<li><strong>ul. Łąkowa 35–38</strong>: rain garden, benches and tables, new "
        "lighting;</li>"
        "<li><strong>ul. Dobra 1–3</strong>: playground for younger children and drying "
        "lines;</li>"
        "<li><strong>ul. Jaskółcza 12–15</strong>: sheds removed, covered bike parking;</li>"
        "<li><strong>ul. Kieturakisa 4–8</strong>: planting and a new bin shelter;</li>"
        "<li><strong>ul. Reduta Wyskok 1–3</strong>: community gardens and paths of reclaimed "
        "paving.</li></ul>"
        "<h2>Schedule</h2><ol>"
        "<li><strong>Q1</strong>: site preparation and moving utilities;</li>"
        "<li><strong>Q2</strong>: rain gardens and surfaces;</li>"
        "<li><strong>Q3</strong>: benches, playground, trees and shrubs;</li>"
        "<li><strong>Q4</strong>: inspections and handover to residents.</li></ol>"
        "<h2>Disruption</h2><p>Work takes place on weekdays from 7:00 to 17:00. Access to the "
        "buildings is kept at all times. Courtyard entrances will be closed for at most two "
        "days; notices go up in the stairwells a week in advance.</p>"
        '<h2>Contact</h2><p>Questions about the works: <a href="mailto:rewitalizacja@gdansk.'
        'example">rewitalizacja@gdansk.example</a>. The programme coordinator holds office '
        "hours on Tuesdays from 16:00 to 18:00 at the Neighbourhood House on ul. Dobra.</p>",
    },
    topics=("zielen", "srodowisko"),
    area="srodmiescie",
    phases=(
        Phase(
            method="information",
            title={"pl": "Informacja o pracach", "en": "About the works"},
            description={
                "pl": "<p>Na bieżąco aktualizujemy harmonogram i informacje o utrudnieniach.</p>",
                "en": "<p>We keep the schedule and the notices about disruption up to date.</p>",
            },
            starts=-20,
            ends=None,
        ),
    ),
)

# --- Stogi: a consultation that has not started yet ---------------------------------------------

STOGI_PROJECT = Project(
    slug="park-nadmorski-stogi",
    title={
        "pl": "Park nadmorski na Stogach: jak ma wyglądać?",
        "en": "A seaside park in Stogi: what should it look like?",
    },
    description={
        "pl": "<p>Między pętlą tramwajową Stogi Plaża a lasem nadmorskim leży 6 hektarów "
        "nieużytków, które miasto chce zamienić w park. Zanim zamówimy projekt, chcemy "
        "wiedzieć, czego potrzebują mieszkańcy Stogów i Przeróbki: miejsc do sportu, cienia, "
        "placu zabaw, a może miejsca na wydarzenia?</p><p>Zapraszamy na spacer badawczy po "
        "terenie, a potem do zgłaszania pomysłów na portalu.</p>",
        "en": "<p>Between the Stogi Plaża tram loop and the coastal forest lie six hectares of "
        "unused land that the city wants to turn into a park. Before we commission a design, "
        "we want to know what the residents of Stogi and Przeróbka need: places for sport, "
        "shade, a playground, or perhaps space for events?</p><p>Join us for a walk around the "
        "site, then share your ideas on the portal.</p>",
    },
    topics=("zielen", "sport", "dzieci"),
    area="stogi",
    phases=(
        Phase(
            method="information",
            title={"pl": "Spacer badawczy i spotkanie", "en": "Site walk and meeting"},
            description={
                "pl": "<p>Spotykamy się w sobotę o 11:00 przy pętli tramwajowej Stogi Plaża. "
                "Spacer potrwa około dwóch godzin.</p>",
                "en": "<p>We meet on Saturday at 11:00 at the Stogi Plaża tram loop. The walk "
                "takes about two hours.</p>",
            },
            starts=9,
            ends=16,
        ),
        Phase(
            method="ideation",
            title={"pl": "Zbieranie pomysłów", "en": "Collecting ideas"},
            description={
                "pl": "<p>Zgłaszaj pomysły na park i zaznaczaj miejsca na mapie.</p>",
                "en": "<p>Share your ideas for the park and mark places on the map.</p>",
            },
            starts=16,
            ends=46,
        ),
    ),
)

# --- Zielony Budżet 2026: ideas accepted, now the budget vote -----------------------------------

GREEN_BUDGET_IDEAS = (
    Idea(
        author="joanna",
        title="Łąka kwietna zamiast trawnika przy ul. Chłopskiej",
        body="<p>Pas trawnika między ul. Chłopską a blokami jest koszony co dwa tygodnie i latem "
        "wypala się na brązowo. Proponuję zamienić go w łąkę kwietną z rodzimych gatunków: "
        "mniej koszenia, więcej owadów zapylających i chłodniej przy upale.</p><p>Przy "
        "chodniku warto zostawić metrowy pas koszony, żeby łąka nie wchodziła na przejście.</p>",
        day=74,
        at="19:20",
        topics=("zielen", "srodowisko"),
        place=Place("54.407200", "18.587000", "ul. Chłopska, Przymorze"),
        likes=18,
        comments=(
            Comment("ewa", "Świetnie! Na Oruni taka łąka przyjęła się w drugim roku.", 4),
            Comment(
                "pawel",
                "Tylko niech ktoś pomyśli o tabliczce z wyjaśnieniem, bo sąsiedzi będą dzwonić, "
                "że miasto przestało kosić.",
                27,
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Pomysł przeszedł weryfikację. Teren należy do miasta, a Gdański Zarząd Dróg "
                "i Zieleni wycenił założenie łąki z tablicą informacyjną na 95 000 zł. Pomysł "
                "trafia pod głosowanie.</p>",
                days=36,
            ),
        ),
    ),
    Idea(
        author="pawel",
        title="Ogród deszczowy na skwerze przy ul. Pilotów",
        body="<p>Po każdej ulewie na skwerze przy ul. Pilotów stoi ogromna kałuża, a woda "
        "spływa na parking. Ogród deszczowy, czyli obniżenie z roślinami, które lubią wilgoć, "
        "zatrzymałby wodę na miejscu i odciążył kanalizację.</p>",
        day=70,
        at="07:55",
        topics=("zielen", "srodowisko"),
        place=Place("54.390500", "18.599000", "skwer przy ul. Pilotów, Zaspa"),
        likes=15,
        comments=(
            Comment(
                "jakub",
                "Popieram. Przy okazji przydałaby się ławka, bo to jedyny skwer w okolicy.",
                9,
            ),
        ),
        answers=(
            Answer(
                "under-consideration",
                "<p>Sprawdzamy z Gdańskimi Wodami, czy grunt pozwala na rozsączanie wody.</p>",
                days=12,
            ),
            Answer(
                "accepted",
                "<p>Gdańskie Wody potwierdziły, że ogród deszczowy jest tu możliwy. Koszt z "
                "nasadzeniami i jedną ławką: 180 000 zł. Pomysł trafia pod głosowanie.</p>",
                days=33,
            ),
        ),
    ),
    Idea(
        author="krzysztof",
        title="Szpaler lip wzdłuż ul. Kartuskiej",
        body="<p>Na odcinku ul. Kartuskiej od Siedlec do Zakopiańskiej chodnik nie ma ani "
        "jednego drzewa. Proponuję posadzić ok. 40 lip w specjalnych skrzyniach korzeniowych, "
        "które chronią drzewa przed zasoleniem i uszkodzeniem przez auta.</p>",
        day=66,
        at="21:10",
        topics=("zielen",),
        place=Place("54.344000", "18.610000", "ul. Kartuska, Siedlce"),
        likes=24,
        comments=(
            Comment("marta", "Tak! Latem ten odcinek to patelnia.", 3),
            Comment(
                "tomasz",
                "Dziękujemy. Sprawdzimy kolizje z sieciami podziemnymi, to zwykle decyduje o "
                "liczbie drzew, które da się posadzić.",
                30,
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Po uzgodnieniach z zarządcami sieci zmieści się 36 drzew. Koszt z "
                "systemami korzeniowymi i trzyletnią pielęgnacją: 320 000 zł. Pomysł trafia pod "
                "głosowanie.</p>",
                days=31,
            ),
        ),
    ),
    Idea(
        author="liam",
        title="A green roof on the Brama Oliwska tram shelter",
        body="<p>Cities like Utrecht have planted sedum roofs on their bus and tram shelters. "
        "They cool the stop in summer, soak up rain and look lovely. The Brama Oliwska stop is "
        "busy and completely exposed to the sun: it would be a great pilot.</p>",
        day=60,
        at="12:35",
        topics=("zielen", "transport"),
        place=Place("54.359000", "18.639000", "Brama Oliwska tram stop"),
        likes=13,
        comments=(
            Comment(
                "ola",
                "Bardzo fajny pomysł, widziałam takie przystanki w Holandii.",
                6,
            ),
        ),
        answers=(
            Answer(
                "accepted",
                "<p>Thank you for the idea. The shelter's structure can carry a sedum roof; "
                "with a second shelter on the opposite platform the cost is PLN 140,000. The "
                "idea goes to the vote.</p>",
                days=30,
            ),
        ),
    ),
    Idea(
        author="zofia",
        title="Budki lęgowe i hotele dla owadów w Parku Reagana",
        body="<p>W Parku Reagana jest dużo młodych drzew, w których ptaki nie mają jeszcze "
        "dziupli. Proponuję 30 budek lęgowych dla sikor i szpaków oraz kilka hoteli dla "
        "owadów, z tablicami dla dzieci, co w nich mieszka.</p>",
        day=55,
        at="10:05",
        topics=("zielen", "dzieci"),
        place=Place("54.401000", "18.624000", "Park Reagana, Przymorze"),
        likes=14,
        answers=(
            Answer(
                "accepted",
                "<p>Pomysł przeszedł weryfikację bez zastrzeżeń. Koszt z montażem i "
                "tablicami: 25 000 zł. Pomysł trafia pod głosowanie.</p>",
                days=18,
            ),
        ),
    ),
    Idea(
        author="michal",
        title="Kurtyna wodna na Targu Węglowym",
        body="<p>W upalne dni na Targu Węglowym nie ma się gdzie schłodzić. Stała kurtyna "
        "wodna (mgiełka) przy fontannie byłaby ulgą dla turystów i mieszkańców.</p>",
        day=50,
        at="15:45",
        topics=("zielen",),
        place=Place("54.349700", "18.648900", "Targ Węglowy"),
        likes=9,
        answers=(
            Answer(
                "rejected",
                "<p>Dziękujemy za pomysł. Targ Węglowy jest w strefie ochrony konserwatorskiej, "
                "a stała instalacja wymagałaby przyłącza wody i zgody konserwatora, których nie "
                "da się uzyskać w ciągu roku. Latem miasto ustawia tam przenośne kurtyny wodne; "
                "przekazaliśmy Pana sugestię, by stały tam dłużej.</p>",
                days=21,
            ),
        ),
    ),
)

GREEN_BUDGET_PROJECT = Project(
    slug="zielony-budzet-2026",
    title={"pl": "Zielony Budżet 2026: głosowanie", "en": "Green Budget 2026: the vote"},
    description={
        "pl": "<p>Zielony Budżet to <strong>500 000 zł</strong> na zieleń, wodę i przyrodę w "
        "mieście. Mieszkańcy zgłosili pomysły, urzędnicy je sprawdzili, a teraz Ty decydujesz, "
        "które z nich zrealizujemy.</p><h2>Jak głosować?</h2><p>Dodaj do koszyka pomysły, które "
        "chcesz wesprzeć, tak aby ich łączny koszt nie przekroczył puli, i wyślij swój głos. "
        "Do końca głosowania możesz go wycofać i zmienić.</p>",
        "en": "<p>The Green Budget is <strong>PLN 500,000</strong> for greenery, water and "
        "nature in the city. Residents submitted ideas, city staff checked them, and now you "
        "decide which ones we carry out.</p><h2>How to vote</h2><p>Put the ideas you support in "
        "your basket, keeping their total cost within the budget, and submit your vote. You can "
        "withdraw and change it until the vote closes.</p>",
    },
    topics=("zielen", "srodowisko"),
    phases=(
        Phase(
            method="ideation",
            title={"pl": "Zgłaszanie pomysłów", "en": "Submitting ideas"},
            description={
                "pl": "<p>Zgłoś pomysł na zieleń w swojej okolicy i zaznacz miejsce na mapie.</p>",
                "en": "<p>Submit an idea for greenery near you and mark the place on the map.</p>",
            },
            starts=-80,
            ends=-35,
            ideas=GREEN_BUDGET_IDEAS,
        ),
        Phase(
            method="information",
            title={"pl": "Weryfikacja i wycena", "en": "Checks and costing"},
            description={
                "pl": "<p>Urzędnicy sprawdzają, czy pomysły da się zrealizować w ciągu roku na "
                "terenie miasta, i wyceniają je.</p>",
                "en": "<p>City staff check that each idea can be carried out on city land within "
                "a year, and cost it.</p>",
            },
            starts=-35,
            ends=-8,
        ),
        Phase(
            method="voting",
            title={"pl": "Głosowanie", "en": "Voting"},
            description={
                "pl": "<p>Wybierz pomysły w ramach puli 500 000 zł. Wyniki ogłosimy po "
                "zakończeniu głosowania.</p>",
                "en": "<p>Choose ideas within the PLN 500,000 budget. Results are announced "
                "when the vote closes.</p>",
            },
            starts=-8,
            ends=13,
            options={
                "voting_mode": "budget",
                "budget": 500_000,
                "min_spend": 0,
                "live_results": False,
                "public_results": True,
            },
            ballot=DemoBallot(
                costs={
                    "Łąka kwietna zamiast trawnika przy ul. Chłopskiej": 95_000,
                    "Ogród deszczowy na skwerze przy ul. Pilotów": 180_000,
                    "Szpaler lip wzdłuż ul. Kartuskiej": 320_000,
                    "A green roof on the Brama Oliwska tram shelter": 140_000,
                    "Budki lęgowe i hotele dla owadów w Parku Reagana": 25_000,
                },
                baskets=(
                    (
                        "marta",
                        (
                            "Łąka kwietna zamiast trawnika przy ul. Chłopskiej",
                            "Szpaler lip wzdłuż ul. Kartuskiej",
                            "Budki lęgowe i hotele dla owadów w Parku Reagana",
                        ),
                    ),
                    (
                        "piotr",
                        (
                            "Szpaler lip wzdłuż ul. Kartuskiej",
                            "A green roof on the Brama Oliwska tram shelter",
                            "Budki lęgowe i hotele dla owadów w Parku Reagana",
                        ),
                    ),
                    (
                        "agnieszka",
                        (
                            "Ogród deszczowy na skwerze przy ul. Pilotów",
                            "Łąka kwietna zamiast trawnika przy ul. Chłopskiej",
                            "A green roof on the Brama Oliwska tram shelter",
                        ),
                    ),
                    (
                        "ewa",
                        (
                            "Łąka kwietna zamiast trawnika przy ul. Chłopskiej",
                            "Ogród deszczowy na skwerze przy ul. Pilotów",
                            "Budki lęgowe i hotele dla owadów w Parku Reagana",
                        ),
                    ),
                    (
                        "hanna",
                        (
                            "Szpaler lip wzdłuż ul. Kartuskiej",
                            "Łąka kwietna zamiast trawnika przy ul. Chłopskiej",
                        ),
                    ),
                    (
                        "bartek",
                        (
                            "Ogród deszczowy na skwerze przy ul. Pilotów",
                            "A green roof on the Brama Oliwska tram shelter",
                            "Budki lęgowe i hotele dla owadów w Parku Reagana",
                        ),
                    ),
                    (
                        "liam",
                        (
                            "A green roof on the Brama Oliwska tram shelter",
                            "Ogród deszczowy na skwerze przy ul. Pilotów",
                            "Łąka kwietna zamiast trawnika przy ul. Chłopskiej",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

# --- A short survey on everyday journeys, with a skip rule ---------------------------------------

MOBILITY_SURVEY_PROJECT = Project(
    slug="ankieta-codzienne-podroze",
    title={
        "pl": "Ankieta: jak podróżujesz na co dzień?",
        "en": "Survey: how do you get around every day?",
    },
    description={
        "pl": "<p>Przygotowujemy nowy Plan Mobilności Gdańska. Powiedz nam, jak dojeżdżasz do "
        "pracy i szkoły i co utrudnia Ci codzienne podróże. Ankieta zajmie ok. 3 minut.</p>",
        "en": "<p>We are preparing Gdańsk's new Mobility Plan. Tell us how you get to work and "
        "school and what makes your daily journeys harder. The survey takes about 3 minutes.</p>",
    },
    topics=("transport", "rowery"),
    phases=(
        Phase(
            method="survey",
            title={"pl": "Ankieta", "en": "Survey"},
            description={
                "pl": "<p>Odpowiedzi są zbierane do końca miesiąca.</p>",
                "en": "<p>Answers are collected until the end of the month.</p>",
            },
            starts=-10,
            ends=18,
            options={"results_public": True},
            survey=DemoSurvey(
                intro={
                    "pl": "Dziękujemy, że poświęcasz nam chwilę. Pytania o rower zobaczysz tylko, "
                    "jeśli jeździsz rowerem.",
                    "en": "Thank you for your time. You will only see the cycling questions if "
                    "you cycle.",
                },
                thank_you={
                    "pl": "Dziękujemy! Wyniki ankiety opublikujemy na tej stronie.",
                    "en": "Thank you! We will publish the results on this page.",
                },
                pages=(
                    DemoSurveyPage(
                        title={"pl": "Twoje podróże", "en": "Your journeys"},
                        questions=(
                            DemoQuestion(
                                "single",
                                {
                                    "pl": "Jak najczęściej dojeżdżasz do pracy lub szkoły?",
                                    "en": "How do you usually get to work or school?",
                                },
                                choices=(
                                    {"pl": "Samochodem", "en": "By car"},
                                    {"pl": "Tramwajem lub autobusem", "en": "By tram or bus"},
                                    {"pl": "Rowerem", "en": "By bike"},
                                    {"pl": "Pieszo", "en": "On foot"},
                                    {"pl": "SKM lub pociągiem", "en": "By SKM or train"},
                                ),
                                required=True,
                            ),
                            DemoQuestion(
                                "single",
                                {
                                    "pl": "Czy jeździsz rowerem po mieście przynajmniej raz "
                                    "w tygodniu?",
                                    "en": "Do you cycle in the city at least once a week?",
                                },
                                choices=({"pl": "Tak", "en": "Yes"}, {"pl": "Nie", "en": "No"}),
                                required=True,
                            ),
                        ),
                        # Those who do not cycle skip the cycling page.
                        skips=(DemoSkip(question=1, value="c2", to_page=2),),
                    ),
                    DemoSurveyPage(
                        title={"pl": "Rower", "en": "Cycling"},
                        questions=(
                            DemoQuestion(
                                "scale",
                                {
                                    "pl": "Jak bezpiecznie czujesz się na gdańskich drogach "
                                    "rowerowych?",
                                    "en": "How safe do you feel on Gdańsk's cycle routes?",
                                },
                                scale=(1, 5),
                                scale_labels=(
                                    {"pl": "Bardzo niebezpiecznie", "en": "Very unsafe"},
                                    {"pl": "Bardzo bezpiecznie", "en": "Very safe"},
                                ),
                            ),
                            DemoQuestion(
                                "multiple",
                                {
                                    "pl": "Co zachęciłoby Cię do częstszej jazdy rowerem?",
                                    "en": "What would make you cycle more often?",
                                },
                                choices=(
                                    {
                                        "pl": "Więcej wydzielonych dróg rowerowych",
                                        "en": "More separated cycle lanes",
                                    },
                                    {
                                        "pl": "Bezpieczne parkingi rowerowe przy przystankach",
                                        "en": "Secure bike parking at stops",
                                    },
                                    {
                                        "pl": "Odśnieżanie dróg rowerowych zimą",
                                        "en": "Cycle lanes cleared of snow in winter",
                                    },
                                    {
                                        "pl": "Prysznice i szatnie w pracy",
                                        "en": "Showers and lockers at work",
                                    },
                                ),
                            ),
                        ),
                    ),
                    DemoSurveyPage(
                        title={"pl": "Na koniec", "en": "Finally"},
                        questions=(
                            DemoQuestion(
                                "long_text",
                                {
                                    "pl": "Jaka jedna zmiana najbardziej ułatwiłaby Ci codzienne "
                                    "podróże?",
                                    "en": "What one change would make your daily journeys easiest?",
                                },
                            ),
                        ),
                    ),
                ),
                responses=(
                    DemoSurveyResponse(
                        "marta", ("c2", "c2", "Częstsze tramwaje linii 8 wieczorem."), day=9
                    ),
                    DemoSurveyResponse(
                        "piotr",
                        ("c3", "c1", 3, ("c1", "c3"), "Dokończenie drogi rowerowej na Kartuskiej."),
                        day=8,
                    ),
                    DemoSurveyResponse("agnieszka", ("c1", "c2", None), day=8),
                    DemoSurveyResponse("krzysztof", ("c3", "c1", 4, ("c2",), None), day=7),
                    DemoSurveyResponse(
                        "ola",
                        ("c4", "c1", 2, ("c1", "c2"), "Szersze chodniki na Długich Ogrodach."),
                        day=6,
                    ),
                    DemoSurveyResponse(
                        "michal",
                        ("c5", "c2", "Lepsze przesiadki z SKM na autobusy w Oliwie."),
                        day=5,
                    ),
                    DemoSurveyResponse("ewa", ("c2", "c1", 3, ("c3",), None), day=4),
                    DemoSurveyResponse(
                        "liam",
                        ("c3", "c1", 4, ("c1", "c4"), "Bike racks at every SKM station, please."),
                        day=3,
                    ),
                ),
            ),
        ),
    ),
)

# --- A poll: the name of a new square ----------------------------------------------------------

SQUARE_NAME_PROJECT = Project(
    slug="sonda-nazwa-skweru",
    title={
        "pl": "Sonda: jak nazwać nowy skwer na Dolnym Mieście?",
        "en": "Poll: what should the new square in Dolne Miasto be called?",
    },
    description={
        "pl": "<p>Między ul. Szopy a Kamienną Groblą powstaje nowy skwer z ławkami i zielenią. "
        "Rada Dzielnicy zaproponowała cztery nazwy; wynik sondy przekażemy Radzie Miasta razem "
        "z projektem uchwały.</p>",
        "en": "<p>A new square with benches and greenery is being built between Szopy Street "
        "and Kamienna Grobla. The District Council proposed four names; the result of the poll "
        "goes to the City Council with the draft resolution.</p>",
    },
    area="srodmiescie",
    phases=(
        Phase(
            method="poll",
            title={"pl": "Sonda", "en": "Poll"},
            description={
                "pl": "<p>Jeden głos na osobę.</p>",
                "en": "<p>One vote per person.</p>",
            },
            starts=-6,
            ends=15,
            options={"show_results": "after_vote"},
            polls=(
                DemoPoll(
                    question={
                        "pl": "Którą nazwę wybierasz dla nowego skweru?",
                        "en": "Which name do you choose for the new square?",
                    },
                    choices=(
                        {"pl": "Skwer Stoczniowców", "en": "Shipyard Workers' Square"},
                        {"pl": "Skwer Daniela Gralatha", "en": "Daniel Gralath Square"},
                        {"pl": "Skwer Sąsiedzki", "en": "Neighbours' Square"},
                        {"pl": "Skwer Bursztynników", "en": "Amber Makers' Square"},
                    ),
                    votes=(11, 7, 9, 5),
                ),
            ),
        ),
    ),
)

# --- Residents' proposals collecting support ---------------------------------------------------

INITIATIVES_PROJECT = Project(
    slug="inicjatywy-mieszkancow",
    title={"pl": "Inicjatywy mieszkańców", "en": "Residents' initiatives"},
    description={
        "pl": "<p>Masz pomysł, którym powinna zająć się Rada Miasta? Złóż inicjatywę. Jeśli w "
        "ciągu 90 dni poprze ją 50 osób, urząd przygotuje oficjalną odpowiedź, a inicjatywa "
        "trafi pod obrady właściwej komisji.</p>",
        "en": "<p>Have an idea the City Council should take up? Submit an initiative. If 50 "
        "people support it within 90 days, the city prepares an official answer and the "
        "initiative goes to the relevant council committee.</p>",
    },
    phases=(
        Phase(
            method="proposals",
            title={"pl": "Zbieranie poparcia", "en": "Collecting support"},
            description={
                "pl": "<p>Każda osoba z kontem może poprzeć dowolną liczbę inicjatyw.</p>",
                "en": "<p>Anyone with an account can support as many initiatives as they like.</p>",
            },
            starts=-40,
            ends=None,
            options={"threshold": 50, "days": 90},
            proposals=(
                DemoProposal(
                    author="hanna",
                    title="Poidełka z wodą pitną przy wejściach na plażę w Brzeźnie i na Stogach",
                    body="<p>Latem na plażach w Brzeźnie i na Stogach jedyną wodą jest ta "
                    "kupowana w plastikowych butelkach. Proponuję, by miasto razem z Gdańskimi "
                    "Wodami ustawiło poidełka przy każdym głównym wejściu na plażę, tak jak w "
                    "parkach w Śródmieściu.</p><p>Mniej plastiku na plaży, a dzieci i seniorzy "
                    "mają wodę pod ręką w upał.</p>",
                    day=12,
                    supporters=23,
                ),
                DemoProposal(
                    author="bartek",
                    title="Całoroczna toaleta przy pętli tramwajowej w Oliwie",
                    body="<p>Pętla w Oliwie obsługuje kilka linii, a najbliższa toaleta jest "
                    "czynna tylko w sezonie. Motorniczy i pasażerowie czekający na przesiadkę "
                    "potrzebują toalety przez cały rok.</p>",
                    day=5,
                    supporters=8,
                ),
            ),
        ),
    ),
)

# --- City-wide events ---------------------------------------------------------------------------

CITY_EVENTS = (
    DemoEvent(
        title={
            "pl": "Spacer badawczy: Aleja Grunwaldzka po konsultacjach",
            "en": "Research walk: Grunwaldzka Avenue after the consultation",
        },
        description={
            "pl": "<p>Przejdziemy razem odcinek od Galerii Bałtyckiej do Zaspy i na miejscu "
            "pokażemy, jak uwagi mieszkańców zmieniły projekt przebudowy. Spacer prowadzi "
            "projektant z GZDiZ.</p><p>Wygodne buty wskazane; spacer odbędzie się bez względu "
            "na pogodę.</p>",
            "en": "<p>We walk together from Galeria Bałtycka to Zaspa and show on site how "
            "residents' comments changed the redesign. The walk is led by the designer from "
            "the city's roads and greenery office.</p><p>Wear comfortable shoes; the walk takes "
            "place whatever the weather.</p>",
        },
        place={
            "pl": "Zbiórka przy Galerii Bałtyckiej, wejście od al. Grunwaldzkiej",
            "en": "Meet at Galeria Bałtycka, Grunwaldzka Avenue entrance",
        },
        days=5,
        at="17:00",
        hours=2,
        capacity=12,
        latitude="54.383000",
        longitude="18.599000",
        registrations=15,  # full: three people wait for a seat
    ),
    DemoEvent(
        title={
            "pl": "Warsztaty: jak napisać dobry pomysł do Budżetu Obywatelskiego",
            "en": "Workshop: how to write a good Civic Budget idea",
        },
        description={
            "pl": "<p>Koordynatorzy Budżetu Obywatelskiego podpowiedzą, jak opisać pomysł, "
            "sprawdzić, czy teren należy do miasta, i oszacować koszt. Przynieś swój pomysł "
            "– popracujemy nad nim razem.</p>",
            "en": "<p>The Civic Budget coordinators show how to describe an idea, check that "
            "the land belongs to the city and estimate the cost. Bring your idea and we will "
            "work on it together.</p>",
        },
        place={
            "pl": "Urząd Miejski w Gdańsku, ul. Nowe Ogrody 8/12, sala 101",
            "en": "Gdańsk City Hall, Nowe Ogrody 8/12, room 101",
        },
        days=9,
        at="18:00",
        hours=2,
        capacity=40,
        latitude="54.349700",
        longitude="18.642500",
        registrations=9,
    ),
)

CONTENT = DemoContent(
    manager=MANAGER,
    residents=RESIDENTS,
    supporters=SUPPORTERS,
    supporter_language="pl",
    topics=TOPICS,
    areas=AREAS,
    folders=(BUDGET_FOLDER,),
    projects=(GRUNWALDZKA_PROJECT, COURTYARDS_PROJECT, STOGI_PROJECT, BUDGET_PROJECT),
    participation=(GREEN_BUDGET_PROJECT, MOBILITY_SURVEY_PROJECT, SQUARE_NAME_PROJECT,
                   INITIATIVES_PROJECT),
    events=CITY_EVENTS,
)  # fmt: skip
