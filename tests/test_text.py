"""Danish lemmas and stop words that feed the keywords."""

import pytest

from textmine.config import load_config
from textmine.text.lemmas import DanishLemmatizer


@pytest.fixture(scope="module")
def lemmatizer():
    return DanishLemmatizer()


@pytest.mark.parametrize("word,lemma", [
    ("borgerne", "borger"), ("borger", "borger"), ("virksomhederne", "virksomhed"),
    ("kompetencer", "kompetence"), ("samtaler", "samtale"), ("arbejdsmarkedet", "arbejdsmarked"),
    ("medarbejdere", "medarbejder"), ("med", "med"), ("jobcentrets", "jobcenter"),
    ("ai-værktøjerne", "ai-værktøj"), ("vk", "virksomhed"),
])
def test_lemmas_of_known_words(lemmatizer, word, lemma):
    assert lemmatizer.lemma(word) == lemma


def test_stop_words_digits_and_case_are_removed(lemmatizer):
    assert lemmatizer("Vi skal hjælpe Borgerne i job i 2025 med AI-værktøjerne!") == \
        ["hjælpe", "borger", "job", "ai-værktøj"]


def test_domain_stop_words_come_from_the_editable_list():
    config = load_config()
    assert "borger" in config.text.domain_stopwords
    assert "borger" not in DanishLemmatizer(config.text.domain_stopwords)("Borgerne skal i job")
