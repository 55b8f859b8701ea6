"""Answers about the questionnaire itself or empty of content (text/meta.py): the detector finds them, and
leaves alone real answers that merely use the same words."""

from pathlib import Path

import pandas as pd
import pytest

from textmine.text.meta import EMPTY, SURVEY, meta_answers, meta_kind

DATA = Path(__file__).resolve().parents[1] / "textmine" / "data"


@pytest.mark.parametrize("text", [
    "-", ".", "…", "?", " ", ":-)", "Ved ikke", "ved ikke.", "Det ved jeg ikke", "Ingen kommentarer",
    "ingen kommentar", "Ingen yderligere", "Intet at tilføje.", "intet yderligere at tilføje", "Nej", "nej tak",
    "Nej, ikke udover det nævnte.", "har ingen", "ikke noget", "Se ovenfor", "se tidl. svar",
    "Se tidligere svar", "Har skrevet det hele ovenfor.", "Samme svar som sidste år.", "Ingen anelse", "xx",
])
def test_an_answer_that_says_nothing_is_empty(text):
    assert meta_kind(text) == EMPTY


@pytest.mark.parametrize("text", [
    "Spørgsmålet er for bredt", "Spørgsmålene er for abstrakte til at man kan svare meningsfuldt.",
    "Spørgeskemaet er for langt", "Svært at svare kort på i et spørgeskema.", "Ved ikke hvad der menes",
    "Svært at svare på", "Forstår ikke spørgsmålet", "har svaret på det før i en anden undersøgelse",
    "Godt initiativ med undersøgelsen – ser frem til at se resultaterne.",
    "Det spørgsmål stillede I også sidst. Hvad skete der med svarene?",
    "Vi er midt i en omorganisering, så jeg vil ikke svare på det nu.",
])
def test_an_answer_about_the_questionnaire_or_the_question_is_found(text):
    assert meta_kind(text) == SURVEY


@pytest.mark.parametrize("text", [
    "Spørgsmål om ledighed skal afklares hurtigt",           # questions to citizens, not this survey
    "Spørgsmålet om ledighed er svært og skal afklares hurtigt",
    "Vi skal stille de rigtige spørgsmål til lægerne og kunne bruge svarene",
    "chatbot til de simple spørgsmål om dagpenge, så vi sparer tid",
    "Det er det spørgsmål vi skal stille borgeren igen og igen",
    "Undersøgelsen af borgerens helbred tager for lang tid",  # a medical examination
    "Lægens undersøgelse skal bruges bedre i afklaringen",
    "Mange unge ved ikke hvad de vil",                       # "ved ikke" inside a real answer
    "Jeg ved ikke om AI kan erstatte fagligheden",
    "Nej til mere dokumentation", "Ingen borgere skal parkeres", "Ikke noget med tvang, frivillighed virker",
    "Svært at sige, men relationen er det vigtigste",         # hard to say, and then says it
    "Borgeren kan ikke svare på det", "Spørgeteknikker", "AI", "Relationen",
])
def test_a_real_answer_using_the_same_words_is_left_alone(text):
    assert meta_kind(text) is None


def test_meta_answers_keeps_the_answer_ids_of_the_hits_only():
    texts = pd.Series({3: "Relationen", 7: "-", 9: "Spørgsmålet er for bredt"})
    assert meta_answers(texts) == {7: EMPTY, 9: SURVEY}


def test_on_the_demo_survey_every_hit_is_a_gold_non_answer():
    """Precision on the demo's two questions and the follow-up: no answer with a real gold theme is caught,
    and most of the gold "no real answer" class (K0/C0) is."""
    hits = gold_zero = caught = 0
    for survey, gold in [("baseline_survey.csv", "baseline_survey_gold_labels.csv"),
                         ("followup/followup_survey.csv", "followup/followup_survey_gold_labels.csv")]:
        answers = pd.read_csv(DATA / survey).set_index("respondent_id")
        labels = pd.read_csv(DATA / gold)
        for respondent, question, label in labels[["respondent_id", "question", "labels"]].values:
            found = meta_kind(answers.at[respondent, question]) is not None
            zero = label[1:].split("|")[0] == "0"
            assert zero or not found, answers.at[respondent, question]
            hits, gold_zero, caught = hits + found, gold_zero + zero, caught + (found and zero)
    assert hits == caught and caught >= 40 and gold_zero == 55
