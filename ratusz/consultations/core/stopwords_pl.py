"""Polish stop words: words that say nothing about a theme (pronouns, conjunctions,
prepositions, particles, common auxiliaries and their forms). Written with diacritics; the
clustering strips diacritics from these and from the texts alike."""

from __future__ import annotations

# fmt: off
POLISH_STOP_WORDS: frozenset[str] = frozenset([
    "a", "aby", "ach", "acz", "aczkolwiek", "aj", "albo", "ale", "alez", "ależ", "ani", "az",
    "aż", "bardziej", "bardzo", "beda", "bede", "bedzie", "bez", "bo", "bowiem", "by", "byc",
    "byl", "byla", "byli", "bylo", "byloby", "byly", "bym", "bys", "być", "był", "była", "było",
    "byłoby", "były", "byś", "będzie", "będą", "będę", "cala", "cale", "caly", "cała", "całe",
    "cały", "chce", "chcemy", "chcielibysmy", "chcielibyśmy", "chcę", "chodzi", "ci", "cie",
    "ciebie", "cię", "co", "cokolwiek", "cos", "coś", "czasami", "czasem", "czemu", "czy",
    "czyli", "daleko", "dla", "dlaczego", "dlatego", "do", "dobrze", "dokad", "dokąd", "dosc",
    "dość", "duzo", "dużo", "dwa", "dwaj", "dwie", "dwoje", "dzis", "dzisiaj", "dziś", "gdy",
    "gdyby", "gdyz", "gdyż", "gdzie", "gdziekolwiek", "gdzies", "gdzieś", "go", "i", "ich",
    "ile", "im", "inna", "inne", "inny", "innych", "iz", "iż", "ja", "jak", "jakas", "jakaś",
    "jakby", "jaki", "jakichs", "jakichś", "jakie", "jakies", "jakieś", "jakis", "jakiz",
    "jakiś", "jakiż", "jakkolwiek", "jako", "jakos", "jakoś", "je", "jeden", "jedna", "jednak",
    "jednakze", "jednakże", "jedno", "jego", "jej", "jemu", "jesli", "jest", "jestem",
    "jeszcze", "jezeli", "jeśli", "jeżeli", "juz", "już", "ją", "kazda", "kazde", "kazdy",
    "każda", "każde", "każdy", "kiedy", "kilka", "kims", "kimś", "kto", "ktokolwiek", "ktora",
    "ktore", "ktorego", "ktorej", "ktory", "ktorych", "ktorym", "ktorzy", "ktos", "ktoś",
    "która", "które", "którego", "której", "który", "których", "którym", "którzy", "ku", "lat",
    "lecz", "lub", "ma", "macie", "maja", "mają", "mam", "mamy", "mi", "miedzy", "mimo",
    "między", "mna", "mnie", "mniej", "mną", "moga", "mogą", "moi", "moim", "moj", "moja",
    "moje", "moze", "mozemy", "mozliwe", "mozna", "może", "możemy", "możliwe", "można", "mu",
    "musi", "my", "mój", "na", "nad", "nam", "nami", "nas", "nasi", "nasz", "nasza", "nasze",
    "naszego", "naszej", "naszych", "naszym", "natomiast", "natychmiast", "nawet", "nia", "nic",
    "nich", "nie", "niech", "niego", "niej", "niemu", "nigdy", "nim", "nimi", "niz", "nią",
    "niż", "no", "o", "obok", "od", "okolo", "około", "on", "ona", "one", "oni", "ono", "oraz",
    "oto", "owszem", "pan", "pana", "pani", "po", "pod", "podczas", "pomimo", "ponad",
    "poniewaz", "ponieważ", "powinien", "powinna", "powinni", "powinno", "powinny", "prosze",
    "proszę", "przed", "przede", "przedtem", "przez", "przy", "roku", "rowniez", "również",
    "sa", "sam", "sama", "same", "sie", "się", "skad", "skąd", "soba", "sobie", "sobą",
    "sposob", "sposób", "swoich", "swoim", "swoj", "swoje", "swojego", "swojej", "swój", "są",
    "ta", "tak", "taka", "taki", "takie", "takze", "także", "tam", "te", "tego", "tej", "temu",
    "ten", "teraz", "tez", "też", "to", "toba", "tobie", "tobą", "totez", "toteż", "troche",
    "trochę", "trzeba", "tu", "tutaj", "twoi", "twoim", "twoj", "twoja", "twoje", "twym",
    "twój", "ty", "tych", "tylko", "tym", "tymi", "tę", "u", "w", "wam", "wami", "was", "wasz",
    "wasza", "wasze", "we", "wedlug", "według", "wiec", "wiecej", "wiele", "wielu", "więc",
    "więcej", "wlasnie", "wszyscy", "wszystkich", "wszystkie", "wszystkim", "wszystko", "wtedy",
    "wy", "właśnie", "z", "za", "zaden", "zadna", "zadne", "zadnych", "zapewne", "zawsze", "ze",
    "zeby", "znow", "znów", "zostac", "zostal", "zostala", "zostaly", "zostać", "został",
    "została", "zostały", "żaden", "żadna", "żadne", "żadnych", "że", "żeby",
])
# fmt: on
