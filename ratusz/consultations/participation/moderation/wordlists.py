"""The word filter a new city starts with: a short list of common slurs and vulgar insults.

Matching ignores case and Polish diacritics and looks for whole words (see
`selectors.filtered_words_in`), so the lists name the common forms. A match only holds a post
for a moderator's review; each city edits its own lists.
"""

from __future__ import annotations

DEFAULT_FILTERED_WORDS: dict[str, tuple[str, ...]] = {
    "pl": (
        "chuj",
        "chuja",
        "cwel",
        "debil",
        "jebać",
        "jebany",
        "kurwa",
        "kurwy",
        "pierdolę",
        "pizda",
        "skurwysyn",
        "spierdalaj",
        "zjeb",
    ),
    "en": (
        "asshole",
        "bitch",
        "bullshit",
        "cunt",
        "fuck",
        "fucking",
        "motherfucker",
        "retard",
        "shit",
        "wanker",
    ),
}
