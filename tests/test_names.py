"""Readable themes from the start (issue 25, item 1): every discovered theme gets a suggested Danish name and a
description, marked as a suggestion until the analyst renames or accepts it; nothing the analyst wrote is replaced."""

from __future__ import annotations

import re
import sqlite3

import pandas as pd
import pytest

from textmine.project import curation as cur
from textmine.project.store import SCHEMA_VERSION, Project
from textmine.project.themes import snapshot, theme_table
from textmine.project.tree import cut_steps
from textmine.review.names import Suggestion, names_after, suggest_names

from .conftest import DATA, FakeEmbedder

TEXTS = {0: ["virksomheder mangler arbejdskraft", "vi hjælper virksomheder der mangler arbejdskraft",
             "rekruttering til virksomheder der mangler arbejdskraft"],
         1: ["motiverende samtaler med borgeren", "gode motiverende samtaler", "motiverende samtaler om job"],
         2: ["udbetaling af ydelser", "korrekt udbetaling af ydelser", "hurtig udbetaling af ydelser"]}


def make(path, suggested=True) -> Project:
    rows = [(c, f"{t} {k}") for c, texts in TEXTS.items() for k in range(3) for t in texts]
    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(len(rows))], "answer": [t for _, t in rows],
                            "cluster": [c for c, _ in rows]})
    names = {0: "Mangler arbejdskraft", 1: "Motiverende samtaler", 2: "Udbetaling"}
    return Project.create(path, "kerneopgave", answers, vectors=FakeEmbedder(16).embed(answers["answer"].tolist()),
                          names=names, descriptions={c: f"{n} (noget)" for c, n in names.items()},
                          suggested=set(names) if suggested else ())


def test_a_discovery_names_every_theme_with_a_suggested_name_and_description(tmp_path):
    from textmine.app.pipeline import run_discover
    from textmine.config import DiscoverySettings, load_config

    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False, dtype=str)
    survey.head(80).to_csv(tmp_path / "s.csv", index=False)
    run_discover(tmp_path / "s.csv", "kerneopgave", tmp_path / "run", load_config(),
                 DiscoverySettings(n_clusters=4, model=FakeEmbedder()))
    themes = Project(tmp_path / "run" / "project.sqlite").state().themes.values()
    assert len(themes) == 4 and all(t.suggested for t in themes)
    assert not any(cur.DEFAULT_NAME.match(t.name) for t in themes)
    for t in themes:
        assert t.description.startswith(f"{t.name} (") and t.description.endswith(")"), t.description
    assert len({t.name for t in themes}) == 4


def test_a_rename_or_an_accepted_suggestion_ends_the_suggestion_and_undo_brings_it_back(tmp_path):
    p = make(tmp_path / "p.sqlite")
    assert all(t.suggested for t in p.state().themes.values())
    p.apply("rename", theme_id=1, name="Motiverende samtaler")                # accepted as it stands
    p.apply("rename", theme_id=2, name="Ydelser")
    themes = p.state().themes
    assert not themes[1].suggested and not themes[2].suggested and themes[0].suggested
    assert themes[1].description == "Motiverende samtaler (noget)"
    p.undo()
    p.undo()
    assert all(t.suggested for t in Project(p.path).state().themes.values())


def test_a_suggestion_never_replaces_a_name_the_analyst_gave(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("rename", theme_id=0, name="Rekruttering", description="Mit eget")
    p.apply("suggest", names={0: ["Arbejdskraft", "Arbejdskraft (x)"], 1: ["Samtaler", "Samtaler (y)"]})
    themes = p.state().themes
    assert (themes[0].name, themes[0].description, themes[0].suggested) == ("Rekruttering", "Mit eget", False)
    assert (themes[1].name, themes[1].description, themes[1].suggested) == ("Samtaler", "Samtaler (y)", True)


def test_a_suggested_name_counts_as_not_yet_chosen(tmp_path):
    """The tree's cut takes the analyst's name over a larger theme's suggestion; a theme emptied of answers with
    only a suggested name is no theme; the name slots of *Gennemse* offer the stored suggestion to accept."""
    p = make(tmp_path / "p.sqlite")
    p.apply("move", answers=[0], theme_id=1)                                    # theme 1 is now the largest
    p.apply("rename", theme_id=0, name="Rekruttering")
    [(action, merge)] = cut_steps(snapshot(p), 2)                      # which theme joins 0: the fake vectors'
    assert action == "merge" and len(merge["theme_ids"]) == 2 and merge["theme_ids"][-1] == 0     # 0: the smaller
    assert merge["name"] == "Rekruttering"
    assert suggest_names(snapshot(p)) == {1: "Motiverende samtaler", 2: "Udbetaling"}
    p.apply("move", answers=snapshot(p).state.members(2), theme_id=1)
    assert 2 not in set(theme_table(snapshot(p))["theme_id"])


def test_a_merge_keeps_the_suggestion_only_with_the_suggested_name(tmp_path):
    state = make(tmp_path / "p.sqlite").state()
    assert cur.merge(state, [0, 1]).themes[0].suggested
    assert cur.merge(state, [0, 1], "Motiverende samtaler").themes[0].description == "Motiverende samtaler (noget)"
    assert not cur.merge(state, [0, 1], "Mit navn").themes[0].suggested


def test_the_trees_cut_names_each_branch_from_all_its_answers_in_the_same_step(tmp_path):
    p = make(tmp_path / "p.sqlite")
    snap = snapshot(p)
    steps = cut_steps(snap, 2)
    extra = names_after(snap, steps)
    assert [action for action, _ in extra] == ["suggest"]
    kept = steps[0][1]["theme_ids"][0]
    name, description = extra[0][1]["names"][kept]
    assert description.startswith(f"{name} (")
    p.apply_steps("tree_cut", steps + extra, themes=2)
    assert p.state().themes[kept].suggested and p.state().themes[kept].name == name
    p.undo()
    assert p.state() == snap.state


def test_a_follow_up_waves_new_themes_are_named_as_suggestions(tmp_path):
    from textmine.waves.applying import WaveResult
    from textmine.waves.placing import index_from_project

    index = index_from_project(make(tmp_path / "p.sqlite", suggested=False))
    answers = pd.DataFrame({"respondent_id": [f"F{i}" for i in range(4)], "answer": list("abcd"), "is_answer": True,
                            "theme": ["Udbetaling", "Udbetaling", "", ""], "score": 0.9, "new": [False, False, True, True],
                            "new_cluster": pd.array([pd.NA, pd.NA, 0, 0], dtype="Int64")})
    new = pd.DataFrame({"cluster": [0], "size": [2], "keywords": ["se, hurtig, stå"], "examples": [["c"]]})
    result = WaveResult("kerneopgave", answers, new, FakeEmbedder(16).embed(list("abcd")), index,
                        suggestions={0: Suggestion("Kunstig intelligens", "Kunstig intelligens (notater, breve)")})
    themes = result.save_project(tmp_path / "f.sqlite").state().themes.values()
    new_theme = next(t for t in themes if t.name.startswith("Ny "))
    assert new_theme.name == "Ny 1: Kunstig intelligens" and new_theme.suggested
    assert new_theme.description == "Kunstig intelligens (notater, breve)"
    assert "Ny 1: Kunstig intelligens" in result.counts()


def _as_schema_5(path):
    """Turn a new project file into one written by a textmine of schema 5 (no suggested names)."""
    con = sqlite3.connect(path)
    con.executescript("""
        CREATE TABLE old (theme_id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL,
                          final INTEGER NOT NULL, clusters TEXT NOT NULL, quotes TEXT NOT NULL DEFAULT '[]');
        INSERT INTO old SELECT theme_id, name, description, final, clusters, quotes FROM themes;
        DROP TABLE themes; ALTER TABLE old RENAME TO themes;
        UPDATE meta SET value = '5' WHERE key = 'schema_version';""")
    con.commit()
    con.close()


def test_a_schema_5_file_opens_with_every_name_the_analysts_and_its_old_actions_still_undo(tmp_path):
    path = tmp_path / "p.sqlite"
    p = make(path, suggested=False)
    p.apply("rename", theme_id=0, name="Rekruttering")                          # logged before suggestions existed
    _as_schema_5(path)
    migrated = Project(path)
    assert migrated.meta("schema_version") == str(SCHEMA_VERSION) == "6"
    assert (tmp_path / "p.sqlite.v5.bak").is_file()
    assert migrated.state().themes[0].name == "Rekruttering"
    assert not any(t.suggested for t in migrated.state().themes.values())
    migrated.apply("suggest", names={1: ["Samtaler", "Samtaler (x)"]})         # a name of schema 5 is the analyst's
    assert migrated.state().themes[1].name == "Motiverende samtaler"
    migrated.undo()
    migrated.undo()
    assert migrated.state().themes[0].name == "Mangler arbejdskraft"


@pytest.mark.parametrize("text", ["Hanne Hansen hjalp mig", "ring til Hanne Hansen"])
def test_a_discovered_name_is_never_a_listed_person(text):
    from textmine.review.names import name_clusters
    from textmine.text.lemmas import DanishLemmatizer
    from textmine.text.privacy import Masker

    mask = Masker(("Hanne Hansen",))
    texts = [mask(f"{text} {i}") for i in range(6)] + [f"ventetiden var lang {i}" for i in range(6)]
    found = name_clusters(texts, [0] * 6 + [1] * 6, DanishLemmatizer(), mask)      # as discovery: masked answers
    said = " ".join(f"{s.name} {s.description}" for s in found.values()).lower()
    assert not re.search(r"hanne|hansen|navn", said) and "ventetid" in found[1].description


def test_the_theme_list_and_the_themes_panel_say_which_names_are_suggestions(tmp_path):
    from textmine.app.choices import SUGGESTED, theme_choices
    from textmine.app.page import theme_info
    from textmine.app.review_page import name_text

    p = make(tmp_path / "p.sqlite")
    p.apply("rename", theme_id=2, name="Udbetaling")                             # accepted
    snap = snapshot(p)
    themes = theme_table(snap)
    listed = dict((t, label) for label, t in theme_choices(snap, themes))
    assert listed["1"].startswith("Motiverende samtaler" + SUGGESTED + " · ") and listed["1"].endswith("\u00a0%")
    assert SUGGESTED not in listed["2"] and SUGGESTED not in listed["-2"]
    assert "textmines forslag" in theme_info(snap, themes, 1) and "forslag" not in theme_info(snap, themes, 2)
    assert name_text(snap, (1, "Motiverende samtaler")) == "**Motiverende samtaler** (forslag)"


def test_two_themes_get_two_names_the_larger_keeps_the_one_both_would_get():
    from textmine.review.names import name_clusters
    from textmine.text.lemmas import DanishLemmatizer

    texts = ["virksomheder"] * 10 + ["folk"] * 2 + ["virksomheder"] * 9 + ["kolleger"] * 2
    found = name_clusters(texts, [0] * 12 + [1] * 11, DanishLemmatizer())
    assert found[0].name == "Virksomhed" and found[1].name == "Kolleger"
    assert found[1].description == "Kolleger (virksomhed)"


def test_a_theme_whose_only_word_names_a_larger_theme_gets_no_name_rather_than_the_same(tmp_path):
    """An own survey's two small clusters were both named "Bus" (one answer of each wrote "bus"); *Gennemse* then
    said "Nu: Bus → forslag: Bus"."""
    from textmine.review.names import name_clusters
    from textmine.text.lemmas import DanishLemmatizer

    texts = ["Flere busser i landområderne", "Flere parkeringspladser i midtbyen", "Grønne områder og parker",
             "Flere træer i byen", "Mere politi i nærområdet", "Mindre indbrud i området",
             "Bedre offentlig transport om aftenen", "Bussen kører for sjældent hvor jeg bor",
             "Bedre vedligeholdelse af vejene", "Tryghed i gaderne om natten", "Bedre gadebelysning"]
    found = name_clusters(texts, [0] * 6 + [1] * 5, DanishLemmatizer())
    assert found[0].name == "Bus" and 1 not in found                  # the cluster keeps its default name


def test_the_history_says_an_accepted_suggestion_was_accepted(tmp_path):
    p = make(tmp_path / "p.sqlite")
    p.apply("rename", theme_id=1, name="Motiverende samtaler")
    assert p.next_undo() == "godkendte navnet »Motiverende samtaler«"
    p.apply("rename", theme_id=1, name="Motiverende samtaler", description="Anden")
    assert p.next_undo() == "ændrede beskrivelsen af »Motiverende samtaler«"
    p.apply("rename", theme_id=2, name="Udbetaling", description="Ny")
    assert p.next_undo() == "godkendte navnet »Udbetaling« med en ny beskrivelse"


def test_an_abbreviation_is_named_in_capitals():
    from textmine.review.names import name_clusters
    from textmine.text.lemmas import DanishLemmatizer

    texts = [f"vi bruger ai til notater {i}" for i in range(4)] + [f"ventetid og sagsbehandling {i}" for i in range(4)]
    found = name_clusters(texts, [0] * 4 + [1] * 4, DanishLemmatizer())
    words = re.findall(r"\w+", found[0].description)
    assert "AI" in words and "ai" not in words, found[0]


def test_a_word_counts_the_answers_that_write_it_in_a_compound():
    """"sport" stands in the answers also as "sportsgren" and "sportsbegivenhed": the general word the theme's
    answers share is among its key concepts, not only the rarer words written alike more often."""
    from textmine.review.names import name_clusters, parts
    from textmine.text.lemmas import DanishLemmatizer

    lemmas = DanishLemmatizer()
    assert {"sport", "skole"} <= parts("sportsgren", lemmas.known) | parts("folkeskole", lemmas.known)
    assert "ring" not in parts("regering", lemmas.known)          # a part is 5 letters or more
    texts = ["olympiske lege med golf", "olympiske lege med rugby", "golf og rugby", "sport for alle",
             "sport hver dag", "en ny sportsgren", "hans sportsgren", "en stor sportsbegivenhed",
             "den store sportsbegivenhed", "sportsgrenen vinder"]
    other = ["regeringen vil have valg", "valg til regeringen", "regeringen og valg", "nyt valg", "valg i år"]
    found = name_clusters(texts + other, [0] * len(texts) + [1] * len(other), lemmas)
    assert "sport" in found[0].description.lower().replace("sportsgren", "").replace("sportsbegivenhed", "")


def test_an_adverb_that_names_nothing_is_no_key_concept():
    from textmine.review.names import name_clusters
    from textmine.text.lemmas import DanishLemmatizer

    texts = ["helt klart rekruttering", "rekruttering helt klart", "rekruttering og fastholdelse helt",
             "virksomhedsservice helt", "mere jobformidling"]
    other = ["samtaler med borgeren", "gode samtaler", "samtaler hver uge"]
    found = name_clusters(texts + other, [0] * len(texts) + [1] * len(other), DanishLemmatizer())
    assert "helt" not in found[0].description.lower()



def test_a_clipped_word_is_no_key_concept():
    texts = ["aktivitetsparate i udd og job", "aktivitetsparate og meningsfuldt arb", "udd til aktivitetsparate",
             "job og udd for aktivitetsparate", "meningsfuldt arb og job", "aktivitetsparate i job"]
    concepts = _concepts(_named(texts))
    assert concepts and not {"udd", "arb"} & {c.split()[-1] for c in concepts}, concepts


OTHER = ["kaffe og kage", "god kaffe", "kaffe hver dag", "kage til kaffen", "kaffe igen", "kaffe nu"]


def _named(texts: list[str]):
    """The suggestion for a theme of `texts` beside a theme of coffee."""
    from textmine.review.names import name_clusters
    from textmine.text.lemmas import DanishLemmatizer

    return name_clusters(texts + OTHER, [0] * len(texts) + [1] * len(OTHER), DanishLemmatizer())[0]


def _concepts(suggestion) -> list[str]:
    return suggestion.description.removeprefix(suggestion.name).strip(" ()").split(", ")


def test_a_word_its_answers_write_mostly_in_compounds_names_no_theme():
    """"politik" stands in 9 answers, 7 of them compounds ("handicappolitik", "kulturpolitik"): the compound most
    answers write names the theme, not the general word its compounds lift."""
    found = _named(["ny handicappolitik", "handicappolitik for kommunen", "vedtagelse af handicappolitik",
                    "sundhedspolitik i kommunen", "kulturpolitik", "politik for alle", "erhvervspolitik nu",
                    "boligpolitik", "politik og mere"])
    assert found.name == "Handicappolitik", found


def test_of_two_words_nearly_as_good_the_one_its_answers_write_themselves_names_the_theme():
    """"politik" (3 answers and 2 "skolepolitik") and "told" (5 answers) score alike: "told" names the theme."""
    found = _named(["politik nu", "politik igen", "mere politik", "skolepolitik", "ny skolepolitik", "told nu",
                    "told igen", "mere told", "lav told", "høj told"])
    assert found.name == "Told", found


def test_a_verb_and_its_object_do_not_name_a_theme_beside_a_word_nearly_as_good():
    """"presse folk" holds "folk", but "fællesskab" is as good a word: the name is a word, not the verb's phrase."""
    found = _named(["vi må ikke presse folk", "ikke presse folk ud", "folk skal have det godt", "folk i job",
                    "glade folk", "fællesskab på jobbet", "fællesskab med andre", "et fællesskab", "fællesskabet",
                    "fællesskab og mening"])
    assert found.name in ("Folk", "Fællesskab") and "fællesskab" in found.description.lower(), found


FLY = ["flyselskabet er billigt", "et nyt flyselskab", "flyselskabet flyver", "flyselskabet aflyser",
       "flyselskabet igen"]


def test_a_description_never_holds_two_parts_of_one_compound():
    """The answers write "transportsystem"; "system", which they write mostly in it, never stands beside
    "transport"."""
    found = _named(FLY + ["transportsystemet virker", "transportsystemet i byen", "transport", "transport i dag",
                          "transport nu", "system", "system nu"])
    assert not {"transport", "system"} <= set(_concepts(found)), found


def test_a_concept_is_shown_as_the_compound_most_of_its_answers_write():
    found = _named(FLY + ["transportsystemet virker", "transportsystemet i byen", "transportsystemet er nyt",
                          "transportsystemet igen", "transport", "transport nu", "system", "system nu"])
    assert found.name == "Flyselskab" and _concepts(found) == ["transportsystem"], found


def test_each_concept_is_chosen_for_the_answers_it_adds():
    """"regnskab" stands only in answers that say "budget" (the name); "moms" adds answers of its own."""
    found = _named(["budget, regnskab"] * 4 + ["budget"] * 2 + ["moms"] * 3)
    assert found.name == "Budget" and _concepts(found)[0] == "moms", found


def test_a_weak_single_word_name_gets_a_second_word():
    """"reform" and "kontrol" stand in 3 answers each of 18: the name holds both."""
    found = _named(["reformen kommer", "ny reform", "en reform igen", "kontrol af borgere", "mindre kontrol",
                    "kontrol hele tiden", "tillid", "dialog", "samtaler", "respekt", "ejerskab", "motivation",
                    "empowerment", "mentor", "netværk", "fleksibilitet", "livskvalitet", "medbestemmelse"])
    assert found.name in ("Kontrol og reform", "Reform og kontrol"), found


def test_a_phrase_names_a_theme_by_a_word_its_answers_write_mostly_in_compounds():
    """"affald" stands mostly in compounds and names no theme alone, but "farligt affald" is written whole."""
    found = _named(["farligt affald", "farligt affald igen", "erhvervsaffald", "nyt erhvervsaffald",
                    "erhvervsaffald nu", "husholdningsaffald", "husholdningsaffald igen", "haveaffald"]
                   + [f"regulativ {word}" for word in ("nu", "igen", "her", "der", "i dag", "i år")])
    assert found.name == "Farligt affald", found
