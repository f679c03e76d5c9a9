"""The clustering itself: diacritics-insensitive words, stop words, deterministic themes."""

from __future__ import annotations

from ratusz.consultations.core.clustering import cluster_texts, fold, words
from ratusz.consultations.core.stopwords_pl import POLISH_STOP_WORDS
from tests.consultations.insight.conftest import IDEAS

TEXTS = [f"{title}. {body}" for title, body in IDEAS]


def test_words_ignore_diacritics_case_and_stop_words():
    assert fold("Ławka ŻÓŁW") == "lawka zolw"
    assert words("Ławki są w parku, a the park IS nice") == ["lawki", "parku", "park", "nice"]
    assert words("Lawki") == words("Ławki")


def test_the_polish_stop_words_are_a_module_of_words():
    assert {"się", "że", "jest", "oraz"} <= POLISH_STOP_WORDS


def test_ideas_on_three_subjects_make_three_themes():
    result = cluster_texts(TEXTS)
    assert result.k == 3
    groups = sorted(sorted(c.members) for c in result.clusters)
    assert groups == [[0, 1, 2], [3, 4, 5], [6, 7, 8]]
    top = {c.members[0]: [w for w, _ in c.top_words] for c in result.clusters}
    assert "rowerowa" in top[3]
    assert "drzewa" in top[6]
    assert any(word.startswith("ławk") for word in top[0])  # shown as written, diacritics kept


def test_clustering_is_deterministic():
    first, second = cluster_texts(TEXTS), cluster_texts(list(TEXTS))
    assert [c.members for c in first.clusters] == [c.members for c in second.clusters]
    assert first.silhouette == second.silhouette


def test_few_or_empty_texts_do_not_break_it():
    assert cluster_texts([]).clusters == []
    only_stop_words = cluster_texts(["i w na", "the and of"])
    assert only_stop_words.clusters == [] and only_stop_words.unclustered == [0, 1]
    small = cluster_texts(["Ławki w parku", "Drzewa przy szkole"])
    assert [c.members for c in small.clusters] == [[0, 1]]  # too few to compare: one theme
