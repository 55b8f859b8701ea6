"""Personal data is masked in what textmine shows and exports; the project file keeps the original."""

import html
import json
import re
import zipfile
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.text.privacy import CPR_MASK, EMAIL_MASK, NAME_MASK, PHONE_MASK, Masker

from .conftest import DATA

MASK = Masker(("Hans Jensen", "Fatima"))


@pytest.mark.parametrize("text,expected", [
    ("Borgeren (cpr 010190-1234) fik job", f"Borgeren (cpr {CPR_MASK}) fik job"),
    ("CPR: 2512851234.", f"CPR: {CPR_MASK}."),
    ("cpr 290200 1234", f"cpr {CPR_MASK}"),
    ("Ring til mig på 22 33 44 55", f"Ring til mig på {PHONE_MASK}"),
    ("tlf 22334455 eller +45 22 33 44 55", f"tlf {PHONE_MASK} eller {PHONE_MASK}"),
    ("Nummeret er 0045 2233 4455", f"Nummeret er {PHONE_MASK}"),
    ("Mit nr. er 8888 1234, ring", f"Mit nr. er {PHONE_MASK}, ring"),
    ("Skriv til hans.jensen@jobcenter.dk.", f"Skriv til {EMAIL_MASK}."),
    ("Hans Jensen og Fatima var gode", f"{NAME_MASK} og {NAME_MASK} var gode"),
    # phone numbers grouped with dashes, dots or a slash (RELIABILITY 2)
    ("Ring 12-34-56-79 i dag", f"Ring {PHONE_MASK} i dag"),
    ("tlf. 23.45.67.88.", f"tlf. {PHONE_MASK}."),
    ("nr. 2345/6789, spørg efter mig", f"nr. {PHONE_MASK}, spørg efter mig"),
    ("+45 22-33-44-55 eller 0045 2233/4455", f"{PHONE_MASK} eller {PHONE_MASK}"),
    ("ring på 22  33  44  55", f"ring på {PHONE_MASK}"),
    # CPR numbers with a slash, dotted dates, a double dash
    ("cpr 040460/1237 ", f"cpr {CPR_MASK} "),
    ("cpr: 05.05.50-1238", f"cpr: {CPR_MASK}"),
    ("(060640--1239)", f"({CPR_MASK})"),
    ("cpr 05-05-50-1238 og 010190 1234", f"cpr {CPR_MASK} og {CPR_MASK}"),
    # e-mail addresses written to dodge spam filters
    ("skriv til jens (at) example.dk i morgen", f"skriv til {EMAIL_MASK} i morgen"),
    ("jens[at]example.dk / jens(snabel-a)example(dot)dk", f"{EMAIL_MASK} / {EMAIL_MASK}"),
    ("mail: Hanne.Hansen @ Example.DK", f"mail: {EMAIL_MASK}"),
])
def test_personal_data_is_masked(text, expected):
    assert MASK(text) == expected


DASHES = ["\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"]


@pytest.mark.parametrize("text,expected", [
    # issue 28.2 (RELIABILITY 8): right after a word and a dot, two numbers joined by / or , a dashed 4-4 number
    ("tlf.22334458", f"tlf.{PHONE_MASK}"),
    ("cpr-nr.0101901246 og cpr.010190-1234", f"cpr-nr.{CPR_MASK} og cpr.{CPR_MASK}"),
    ("ring 22334459/26354460 eller 22334461,26354462.", f"ring {PHONE_MASK}/{PHONE_MASK} eller {PHONE_MASK},{PHONE_MASK}."),
    ("nr/cpr: 22334455/0101901246, 010190-1242,22334455", f"nr/cpr: {PHONE_MASK}/{CPR_MASK}, {CPR_MASK},{PHONE_MASK}"),
    ("tlf 2233-4457", f"tlf {PHONE_MASK}"),
    ("mobil:22334455,hjem/26354460", f"mobil:{PHONE_MASK},hjem/{PHONE_MASK}"),
    ("010190\u20111242 og 010190\u20141243", f"{CPR_MASK} og {CPR_MASK}"),
    *[(f"cpr 010190{d}1234, 01{d}01{d}90{d}1234, tlf 2233{d}4455, +45{d}22{d}33{d}44{d}55",
       f"cpr {CPR_MASK}, {CPR_MASK}, tlf {PHONE_MASK}, {PHONE_MASK}") for d in DASHES],
])
def test_more_forms_of_phone_and_cpr_numbers_are_masked(text, expected):
    assert MASK(text) == expected


@pytest.mark.parametrize("text", [
    "I 2026 og den 01.02.2026, kl. 10.30, fra 2500-3000 kr. og 2500\u20133000 kr., årene 2019\u20132023",
    "Pi er 3.14159265, et beløb 1,22334455 og 1.000.000,22334455",    # decimals: part of a longer number
    "Sag 12345678/2026 og 12345678,12345679",                          # first digit 1: no Danish phone number
])
def test_numbers_next_to_the_new_forms_stay(text):
    assert MASK(text) == text


def test_a_listed_name_is_masked_when_written_decomposed_or_joined_by_an_underscore():
    import unicodedata

    masker = Masker(("Åse Sørensen", "Renée", "Fatima"))
    nfd = unicodedata.normalize("NFD", "Åse Sørensen og Renée kom")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert masker(nfd) == f"{NAME_MASK} og {NAME_MASK} kom"
    assert Masker((unicodedata.normalize("NFD", "Renée"),))("Renée") == NAME_MASK    # a decomposed listed name too
    assert masker("Fatima_B, fatima_b og Åse_Sørensen") == f"{NAME_MASK}_B, {NAME_MASK}_b og {NAME_MASK}"
    assert masker("Fatimah_B og Renéesen") == "Fatimah_B og Renéesen"


@pytest.mark.parametrize("text", [
    "Efter reformen i 2019-2023 har vi 3-5 år til at nå målet",
    "Det koster 25.000 kr. om måneden, 1.000.000 kr. om året",
    "Mødet var den 01-02-2023 kl. 10.30",
    "Over 10 år i jobcentret, 150 borgere, 12345678 er ikke et dansk nummer",
    "Beløbet var 25 000 000 kr",
    "Ikke en dato: 3213901234, og 991299-1234",          # day 32; month 12 but day 99
    "Per måned og hans egen plan",                     # 'hans' alone is no listed name
    "Vi bruger CV'er og jobnet.dk",
    "I 2025 steg andelen fra 12 % til 34,5 %, og 1-2 borgere om ugen fik 3-5 samtaler",
    "Skoleåret 2019/2020 og 2024/2025, perioden 2019-2023 og årene 2019 2020",
    "Budgettet var 2.500-3.000 kr., 2500-3000 kr. eller 12.345.678 kr. i alt",
    "Version 1.2.3.4, kl. 10.30-12.00, den 12.03.21 - 2000 borgere, den 01.02.2023 1500 kr.",
    "Regningen den 01.02.23 1500 kr. og den 15-06-24 2500 kr.",        # a dotted or dashed date, then an amount
    "Mødet er at 10 (at) 12 borgere, ikke en adresse",
    "10 20 30 40 er ikke et nummer, 01-02-03-04 heller ikke",
])
def test_numbers_and_words_that_are_not_personal_data_stay(text):
    assert MASK(text) == text


NAMES = Masker(("Hanne", "Jens Jensen", "Fatima", "Per", "Hans"))


@pytest.mark.parametrize("text,expected", [
    # listed names in any case, in the genitive, with any white space between their parts (issue #16.5, RELIABILITY 2-3)
    ("talte med fatima og FATIMA", f"talte med {NAME_MASK} og {NAME_MASK}"),
    ("Fatimas plan og Hannes mål", f"{NAME_MASK} plan og {NAME_MASK} mål"),
    ("HANNE sagde det", f"{NAME_MASK} sagde det"),
    ("Jens  Jensen og Jens\nJensen og jens\t jensen og Jens\u00a0Jensen", " og ".join([NAME_MASK] * 4)),
    ("Jens Jensens sag", f"{NAME_MASK} sag"),
    ("Per og HANS kom", f"{NAME_MASK} og {NAME_MASK} kom"),
])
def test_listed_names_are_masked_in_any_case_and_form(text, expected):
    assert NAMES(text) == expected


@pytest.mark.parametrize("text", [
    "per måned og hans egen plan",           # a listed name that is a Danish word stays when written as the word
    "Johanne og Hannelore, Fatimah og Jensens Auto",     # other names and longer words are not cut
    "Jens alene er ikke Jens Jensen uden efternavn",
])
def test_listed_names_do_not_hit_other_words(text):
    expected = text.replace("Jens Jensen", NAME_MASK)
    assert NAMES(text) == expected


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=" \t\n\r\u00a0\u2009\u3000\u200b", min_size=1, max_size=6), st.sampled_from(["", "s", "'s"]),
       st.sampled_from([str.title, str.upper, str.lower]))
def test_a_listed_name_is_masked_whatever_the_white_space_between_its_parts(gap, genitive, case):
    text = f"Det var {case('Jens')}{gap}{case('Jensen')}{genitive} der ringede"
    masked = NAMES(text)
    assert masked == f"Det var {NAME_MASK} der ringede" and "jens" not in " ".join(masked.split()).lower()


def test_masking_can_be_turned_off_and_is_idempotent():
    text = "cpr 010190-1234, hans.jensen@kk.dk"
    assert Masker(enabled=False)(text) == text
    assert MASK(MASK(text)) == MASK(text)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=300), st.text(alphabet="0123456789 -+.@", max_size=40))
def test_masking_never_fails_and_always_hides_a_planted_cpr(prefix, noise):
    text = f"{prefix} {noise} 010190-1234 {noise}"
    masked = MASK(text)
    assert isinstance(masked, str) and "010190-1234" not in masked
    assert MASK(masked) == masked


# -- end to end: planted personal data never reach the exports, the keywords or the saved model ------

PLANTED = {"cpr": "120385-4471", "phone": "41 22 63 90", "email": "mette.holm@jobcenter-demo.dk"}
NAMED = ["Skriv til hanne.hansen@example.dk.", "Hanne hjalp borgeren.", "Det sagde Jens  Jensen.", "Hannes plan."]


def _config_with_names(tmp_path, names) -> str:
    """The demo survey's description with names to mask (its paths made absolute)."""
    text = (DATA / "survey.toml").read_text(encoding="utf-8")
    for key in ("file", "followup_file", "domain_stopwords", "names_file"):
        text = re.sub(rf'^({key} = ")', rf"\g<1>{DATA.as_posix()}/", text, flags=re.M)
    text = re.sub(r"^names = \[\]", "names = " + json.dumps(list(names)), text, flags=re.M)
    (tmp_path / "survey.toml").write_text(text, encoding="utf-8")
    return str(tmp_path / "survey.toml")


@pytest.mark.slow
def test_a_full_export_of_the_demo_project_contains_no_planted_personal_data(tmp_path):
    from textmine.cli import main
    from textmine.project.store import Project

    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False, dtype=str)
    rows = survey.index[survey["kerneopgave"].str.len() > 30]
    survey.loc[rows[0], "kerneopgave"] += f" Min borger (cpr {PLANTED['cpr']}) fik job."
    survey.loc[rows[1], "kerneopgave"] += f" Ring på {PLANTED['phone']} hvis I vil høre mere."
    survey.loc[rows[2], "kerneopgave"] += f" Skriv til {PLANTED['email']}."
    for p, plant in enumerate(NAMED):                    # each in 4 answers, enough to make a keyword
        survey.loc[rows[3 + 4 * p: 7 + 4 * p], "kerneopgave"] += " " + plant
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    config = _config_with_names(tmp_path, ["Hanne", "Jens Jensen"])
    assert main(["discover", str(path), "--question", "kerneopgave", "--out", str(tmp_path / "run"),
                 "--config", config]) == 0
    assert main(["export", str(tmp_path / "run" / "project.sqlite"), "--out", str(tmp_path / "export"),
                 "--config", config]) == 0

    written = {p.name: p for p in (tmp_path / "export").iterdir()}
    assert set(written) == {"kerneopgave_temaer.xlsx", "kerneopgave_temaer.pptx", "kerneopgave_temaer.docx",
                            "kerneopgave_kodebog.json", "kerneopgave_svar.csv"}
    texts = {"clusters.csv": (tmp_path / "run" / "clusters.csv").read_text(encoding="utf-8")}
    for name, file in written.items():
        if name.endswith(("xlsx", "pptx", "docx")):
            with zipfile.ZipFile(file) as archive:             # every XML part, as the office suite reads it
                texts[name] = " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        else:
            texts[name] = file.read_text(encoding="utf-8-sig")
    digits = {k: "".join(ch for ch in v if ch.isalnum() or ch in "@.") for k, v in PLANTED.items()}
    for name, text in texts.items():
        squeezed = "".join(ch for ch in text if ch.isalnum() or ch in "@.")
        for kind, value in PLANTED.items():
            assert value not in text and digits[kind] not in squeezed, f"{kind} found in {name}"
        _assert_clean(name, re.sub(r"<[^>]+>", " ", text), leaked=LEAKED - {"dk"})   # the demo cites jobindsats.dk
    _assert_clean("the saved model", *_model_vocabulary(tmp_path / "run" / "model"), leaked=LEAKED - {"dk"})
    coded = texts["kerneopgave_svar.csv"]
    assert CPR_MASK in coded and PHONE_MASK in coded and EMAIL_MASK in coded and NAME_MASK in coded
    originals = " ".join(Project(tmp_path / "run" / "project.sqlite").answers()["text"])
    assert all(value in originals for value in [*PLANTED.values(), *NAMED])   # the project file keeps the original


# -- keywords: masked before lemmatising, so no name or e-mail part becomes a keyword ----------------

def test_mask_placeholders_never_become_keywords():
    from textmine.text.lemmas import DanishLemmatizer

    masked = MASK("Skriv til hans.jensen@jobcenter.dk eller ring 22 33 44 55, cpr 010190-1234, spørg Fatima")
    assert DanishLemmatizer()(masked) == ["skrive", "ring", "cpr", "spørge"]


LISTED = ("Hanne", "Jens Jensen", "Fatima")
PLANTS = ["Skriv til hanne.hansen@example.dk om det", "Hanne hjalp borgeren i job", "Hannes plan virkede",
          "HANNE ringede til virksomheden", "Jens  Jensen fandt praktikken", "jens jensen var god",
          "Jens\nJensen kendte chefen", "Fatima og fatima talte om mål", "Fatimas forløb", "FATIMA svarede",
          "skriv til jens (at) example.dk"]
LEAKED = {"hanne", "hannes", "jens", "jensen", "fatima", "fatimas", "hansen", "example", "dk", "mette", "holm"}
GRAMS = ("hann", "fatim", "jens", "hanse", "xampl")          # the feature space keeps character n-grams


def _words(text: str) -> set[str]:
    return set(re.findall(r"[^\W\d_]+", text.lower()))


def _planted(texts: list[str], plants: list[str], times: int = 4) -> list[str]:
    """Each planted sentence appended to `times` answers."""
    texts = list(texts)
    for p, plant in enumerate(plants):
        for k in range(times):
            i = (p * times + k) % len(texts)
            texts[i] = f"{texts[i]} {plant}"
    return texts


def _model_vocabulary(model_dir) -> tuple[str, set[str]]:
    """Every JSON file of the saved model as text, and the feature space's n-grams."""
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(model_dir.rglob("*.json")))
    grams = set(json.loads((model_dir / "feature_space.json").read_text(encoding="utf-8"))["vocabulary"])
    return text, grams


PLACEHOLDER_WORDS = {"navn", "e-mail", "telefonnr", "cpr-nr"}      # a masked name is no keyword either


def _keywords_of(csv) -> str:
    return " ".join(pd.read_csv(csv, keep_default_na=False)["keywords"])


def _assert_clean(what: str, text: str, grams=(), leaked=LEAKED):
    assert not _words(text) & leaked, f"{sorted(_words(text) & leaked)} in {what}"
    assert not [g for g in grams if any(part in g for part in GRAMS)], f"name n-grams in {what}"


@pytest.fixture
def fake_model():
    """The fake embedder, given to discovery and to the follow-up wave in place of the bundled model."""
    from .conftest import FakeEmbedder

    return FakeEmbedder()


def test_seed_headings_are_masked_in_the_project_and_the_saved_model(tmp_path, fake_model):
    """The analyst's headings to steer answers to name themes and are saved with the model: a name in one is
    masked like a name in an answer."""
    from textmine.app.pipeline import run_discover
    from textmine.config import DiscoverySettings, PrivacySettings, load_config
    from textmine.project.store import Project

    config = replace(load_config(), privacy=PrivacySettings(True, LISTED))
    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False, dtype=str).head(60)
    survey.to_csv(tmp_path / "base.csv", index=False)
    seeds = ("Samarbejde med Jens Jensen", "Hannes virksomhedskontakt")
    run_discover(tmp_path / "base.csv", "kerneopgave", tmp_path / "base", config,
                 DiscoverySettings(model=fake_model, seed_themes=seeds, seed_threshold=0.0))
    names = " ".join(t.name for t in Project(tmp_path / "base" / "project.sqlite").state().themes.values())
    assert "Samarbejde med" in names and "virksomhedskontakt" in names       # the headings are there ...
    _assert_clean("the theme names", names)                                  # ... masked
    _assert_clean("the saved model", _model_vocabulary(tmp_path / "base" / "model")[0])


def test_names_and_e_mail_parts_reach_no_keywords_of_a_discovery_or_a_follow_up_wave(tmp_path, fake_model):
    from textmine.app.pipeline import run_discover
    from textmine.config import DiscoverySettings, PrivacySettings, load_config
    from textmine.project.codebook import from_project
    from textmine.project.store import Project
    from textmine.project.themes import snapshot, theme_table
    from textmine.text.privacy import masker_for
    from textmine.waves.applying import run_apply

    config = replace(load_config(), privacy=PrivacySettings(True, LISTED))
    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False, dtype=str)
    answers = survey["kerneopgave"]
    survey = survey[(answers.str.len() > 30) & ~answers.str.contains(".dk", regex=False)].head(80).copy()
    survey["kerneopgave"] = _planted(survey["kerneopgave"].tolist(), PLANTS)
    survey.to_csv(tmp_path / "base.csv", index=False)
    run_discover(tmp_path / "base.csv", "kerneopgave", tmp_path / "base", config, DiscoverySettings(model=fake_model))

    _assert_clean("clusters.csv", (tmp_path / "base" / "clusters.csv").read_text(encoding="utf-8"))
    _assert_clean("the keywords", _keywords_of(tmp_path / "base" / "clusters.csv"), leaked=PLACEHOLDER_WORDS)
    _assert_clean("the saved model", *_model_vocabulary(tmp_path / "base" / "model"))
    project = Project(tmp_path / "base" / "project.sqlite")
    _assert_clean("the theme list", " ".join(theme_table(snapshot(project, masker_for(config)))["keywords"]))
    assert "Fatima" in " ".join(project.answers()["text"])                  # the project file keeps the original

    # a follow-up wave: answers about a topic the baseline never had, naming the same people
    tools = ["chatbot", "robot", "sprogmodel", "assistent", "skabelon", "app"]
    tasks = ["journalnotater", "breve", "referater", "afgørelser", "mails", "oversættelser"]
    follow = [f"Vores {tools[i % 6]} skriver {tasks[(i // 6) % 6]} hurtigere end før" for i in range(30)]
    pd.DataFrame({"respondent_id": [f"F{i}" for i in range(30)], "kerneopgave": _planted(follow, PLANTS, 2)}) \
        .to_csv(tmp_path / "follow.csv", index=False)
    (tmp_path / "codebook.json").write_text(from_project(project).to_json(), encoding="utf-8")
    wave = run_apply(tmp_path / "base" / "model", tmp_path / "follow.csv", "kerneopgave", tmp_path / "codebook.json",
                     tmp_path / "wave", config, embedder=fake_model)
    assert wave.real()["new"].sum() >= 20
    _assert_clean("new_clusters.csv", (tmp_path / "wave" / "new_clusters.csv").read_text(encoding="utf-8"))
    _assert_clean("the new keywords", _keywords_of(tmp_path / "wave" / "new_clusters.csv"), leaked=PLACEHOLDER_WORDS)
    new_themes = [t.name for t in Project(tmp_path / "wave" / "project.sqlite").state().themes.values()
                  if t.name.startswith("Ny ")]
    assert new_themes and all(":" in name for name in new_themes)
    _assert_clean("the new themes' names", " ".join(new_themes), leaked=LEAKED | PLACEHOLDER_WORDS)
    _assert_clean("the comparison", (tmp_path / "wave" / "comparison.csv").read_text(encoding="utf-8"))


# -- white space: masked before it is collapsed for display (RELIABILITY 3) -----------------------------

SPACED = ["Jens  Jensen hjalp mig", "Det sagde Jens\nJensen", "HANNE og jens \t jensen", "Hannes plan virkede",
          "ring til Jens\u00a0Jensen"]


def test_textmine_answers_shows_no_name_however_it_is_spaced(tmp_path, capsys):
    from textmine.cli import main

    (tmp_path / "survey.toml").write_text('[survey]\nid_column = "id"\n[privacy]\nnames = ["Jens Jensen", "Hanne"]\n',
                                          encoding="utf-8")
    pd.DataFrame({"id": range(len(SPACED)), "q": SPACED}).to_csv(tmp_path / "s.csv", index=False)
    assert main(["answers", str(tmp_path / "s.csv"), "--question", "q", "--config", str(tmp_path / "survey.toml")]) == 0
    shown = capsys.readouterr().out
    assert shown.count(NAME_MASK) == 6 and not _words(shown) & LEAKED, shown


def test_the_apps_typical_answers_and_theme_list_show_no_name_however_it_is_spaced(tmp_path):
    from textmine.app.choices import theme_choices
    from textmine.app.desk import Desk
    from textmine.app.page import answer_list, theme_info
    from textmine.config import load_config
    from textmine.project.store import Project

    answers = pd.DataFrame({"respondent_id": [str(i) for i in range(len(SPACED))], "answer": SPACED, "cluster": 0})
    path = tmp_path / "p.sqlite"
    Project.create(path, "q", answers)
    desk = Desk(load_config(), Masker(("Jens Jensen", "Hanne")))
    snap = desk.snapshot(str(path))
    themes = desk.themes(snap)
    choices, _, _ = answer_list(snap, 0)
    shown = " ".join(" ".join(label.split()) for label, _ in choices)
    expected = sum(Masker(("Jens Jensen", "Hanne"))(t).count(NAME_MASK) for t in SPACED)
    assert expected >= 6 and shown.count(NAME_MASK) == expected and not _words(shown) & LEAKED, shown
    listed = theme_info(snap, themes, 0) + " ".join(n for n, _ in theme_choices(snap, themes))
    assert not _words(listed) & (LEAKED | {"navn"})


def _project_naming_fatima(tmp_path, embedder):
    """A project discovered with a description whose [privacy] names Fatima, who many answers mention."""
    from textmine.app.pipeline import run_discover
    from textmine.config import DiscoverySettings, load_config
    from textmine.survey.setup import description, propose, save_description

    topics = ["Fatima hjalp mig med ansøgningen om boligstøtte", "Fatima ringede tilbage om min sag med det samme",
              "Ventetiden på telefonen var alt for lang i dag", "Hjemmesiden er svær at finde rundt på som borger"]
    survey = pd.DataFrame({"id": [f"R{i:03d}" for i in range(60)],
                           "tekst": [f"{topics[i % 4]} uge {i}" for i in range(60)]})
    path = tmp_path / "borger.csv"
    survey.to_csv(path, index=False)
    text = description(propose(survey), path, {}) + '\n[privacy]\nnames = ["Fatima"]\n'
    config = load_config(save_description(text, path))
    run_discover(path, "tekst", tmp_path / "ud", config, DiscoverySettings(n_clusters=3, model=embedder))
    (tmp_path / "borger.toml").unlink()                        # the project holds its own copy of the description
    return tmp_path / "ud" / "project.sqlite"


def test_themes_review_and_the_app_mask_with_the_projects_own_description(tmp_path, fake_model, capsys):
    from textmine.app.desk import Desk
    from textmine.cli import main
    from textmine.config import load_config
    from textmine.project.store import Project
    from textmine.project.themes import snapshot

    project = _project_naming_fatima(tmp_path, fake_model)
    assert "Fatima" in " ".join(Project(project).answers()["text"])              # the file keeps the original
    capsys.readouterr()
    assert main(["themes", str(project)]) == 0
    listed = capsys.readouterr().out.lower()
    assert "boligstøtte" in listed and "fatima" not in listed                   # keywords: masked
    shown = " ".join(snapshot(Project(project)).answers["text"])                 # what `review` ranks and reads
    assert "Fatima" not in shown and NAME_MASK in shown
    desk = Desk(load_config())                                                   # an app started on the demo
    assert "Fatima" not in " ".join(desk.snapshot(str(project)).answers["text"])


def test_export_without_a_config_masks_with_the_projects_own_description(tmp_path, fake_model, capsys):
    from textmine.cli import main

    project = _project_naming_fatima(tmp_path, fake_model)
    assert main(["export", str(project), "--out", str(tmp_path / "rapport"), "--formats", "csv,json"]) == 0
    written = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "rapport").iterdir()}
    assert len(written) == 2 and "boligstøtte" in written["tekst_svar.csv"]
    assert not [name for name, text in written.items() if "fatima" in text.lower()]


def _all_text(folder) -> dict[str, str]:
    """Every file an export wrote, as text (an office file: every XML part, as the office suite reads it)."""
    texts = {}
    for file in folder.iterdir():
        if file.suffix in (".xlsx", ".pptx", ".docx"):
            with zipfile.ZipFile(file) as archive:
                texts[file.name] = html.unescape(" ".join(archive.read(n).decode("utf-8", "replace")
                                                          for n in archive.namelist()))
        else:
            texts[file.name] = file.read_text(encoding="utf-8-sig")
    return texts


def test_a_theme_named_after_a_listed_person_is_masked_on_the_page_in_the_history_and_in_every_export(
        tmp_path, fake_model, capsys):
    from textmine.app.choices import target_choices, theme_choices
    from textmine.app.desk import Desk, Session
    from textmine.app.history import history, history_filter, undo_labels
    from textmine.app.map import map_groups
    from textmine.app.page import page as page_of
    from textmine.cli import main
    from textmine.config import load_config
    from textmine.project.store import Project

    path = _project_naming_fatima(tmp_path, fake_model)
    project = Project(path)
    project.apply("rename", theme_id=0, name="Fatima hjælper", description="Det Fatima gør")   # as *Brug navnet* could
    project.apply("mark_final", theme_id=0)
    assert project.state().themes[0].name == "Fatima hjælper"                  # the file keeps what was typed
    desk = Desk(load_config())                                        # an app started on the demo
    snap = desk.snapshot(str(path))
    themes = desk.themes(snap)
    page = page_of(desk, Session(project=str(path)), select=0)
    table, points = history(project, snap.texts.shown, mask=snap.masker)
    points_on_map = map_groups(snap, themes)
    shown = " ".join([*(n for n, _ in theme_choices(snap, themes)),
                      *(n for n, _ in target_choices(themes)), *points_on_map["group"], *points_on_map["Tema"],
                      page.name, page.description, page.undo, page.redo, *table["Handling"], *(p for p, _ in points),
                      *(n for n, _ in history_filter(snap))])
    assert "hjælper" in shown and NAME_MASK in shown and "fatima" not in shown.lower(), shown
    assert "fatima" not in undo_labels(project)[0].lower()             # masked by the project's own names
    capsys.readouterr()
    assert main(["export", str(path), "--out", str(tmp_path / "rapport")]) == 0
    written = _all_text(tmp_path / "rapport")
    assert len(written) == 5 and not [name for name, text in written.items() if "hjælper" not in text]
    assert not [name for name, text in written.items() if "fatima" in text.lower()]


def test_a_name_suggestion_is_never_a_listed_name():
    """Even from answers the masking missed, a suggestion the project's masking would change is never made."""
    import tempfile
    from pathlib import Path

    from textmine.project.store import Project
    from textmine.project.themes import Snapshot, texts_of
    from textmine.review.names import suggest_names
    from textmine.text.privacy import NO_MASK

    answers = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(12)],
                            "answer": [f"Hanne Hansen hjalp mig {i}" for i in range(6)] +
                                      [f"Ventetiden var lang {i}" for i in range(6)],
                            "cluster": [0] * 6 + [1] * 6})
    with tempfile.TemporaryDirectory() as tmp:
        data = Project.create(Path(tmp) / "p.sqlite", "q", answers).read()
        unmasked = Snapshot(data, texts_of(data, NO_MASK), masker=NO_MASK)
        assert "hanne hansen" in suggest_names(unmasked)[0].lower()               # what the phrases alone give
        listed = Masker(("Hanne Hansen",))
        names = suggest_names(Snapshot(data, texts_of(data, NO_MASK), masker=listed))
    assert names and all(listed(name) == name for name in names.values()), names
    assert "hanne hansen" not in " ".join(names.values()).lower()


def _model_folder_text(folder) -> dict[str, str]:
    """Every file of a saved model as text: its bytes, and a numpy array also as the values it holds."""
    import numpy as np

    texts = {}
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        texts[file.name] = file.read_bytes().decode("utf-8", "replace")
        if file.suffix == ".npy":
            texts[file.name] += " " + " ".join(map(str, np.load(file, allow_pickle=False).ravel().tolist()))
    return texts


def _page_text(value) -> str:
    """Every text a Page (or a part of it: a list of choices, a tuple) holds."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return " ".join(_page_text(v) for v in value)
    return ""


def test_a_project_made_with_listed_names_shows_writes_and_embeds_no_listed_name(tmp_path, fake_model, capsys):
    """Issue 28's done-when: opened by an app started on the demo's description and exported by a bare
    `textmine export`, nothing shows or holds the listed name, and the vectors are those of the masked text."""
    import numpy as np

    from textmine.app.desk import Desk, Session
    from textmine.app.page import page as page_of
    from textmine.app.review_page import name_slots
    from textmine.cli import main
    from textmine.config import load_config
    from textmine.discovery.topics import load_model
    from textmine.project.store import Project
    from textmine.text.embed import answer_vectors

    from .conftest import FakeEmbedder

    path = _project_naming_fatima(tmp_path, fake_model)
    desk = Desk(load_config())                                               # an app started on the demo
    snap = desk.snapshot(str(path))
    themes = desk.themes(snap)
    pages = [page_of(desk, Session(project=str(path)), select=int(t)) for t in themes["theme_id"]]
    shown = {"the page": " ".join(_page_text(list(p.set_fields().values())) for p in pages),
             "the keywords": " ".join(themes["keywords"]),
             "the name suggestions": " ".join(name for _, name in filter(None, name_slots(snap)))}
    assert "boligstøtte" in shown["the keywords"] and shown["the name suggestions"].strip()
    capsys.readouterr()
    assert main(["export", str(path), "--out", str(tmp_path / "rapport")]) == 0
    written = _all_text(tmp_path / "rapport")
    model = _model_folder_text(tmp_path / "ud" / "model")
    assert len(written) == 5 and "answer_features.npy" in model and "feature_space.json" in model
    leaks = [name for name, text in {**shown, **written, **model}.items() if "fatima" in text.lower()]
    assert not leaks, leaks

    project = Project(path)
    texts = project.answers()["text"].tolist()
    assert sum("Fatima" in t for t in texts) == 30                            # the file keeps the original
    masked = [Masker(("Fatima",))(t) for t in texts]
    space = load_model(tmp_path / "ud" / "model").feature_space
    from_masked = space.transform(masked, answer_vectors(masked, FakeEmbedder().embed))
    from_written = space.transform(masked, answer_vectors(texts, FakeEmbedder().embed))
    assert np.allclose(project.vectors(), from_masked, atol=1e-5)
    assert np.allclose(np.load(tmp_path / "ud" / "model" / "answer_features.npy"), from_masked, atol=1e-5)
    assert not np.allclose(project.vectors(), from_written, atol=1e-3)       # the name would change them


def test_a_follow_up_wave_is_placed_with_the_vectors_of_its_masked_answers(tmp_path, fake_model):
    import numpy as np

    from textmine.config import config_of_project, load_config
    from textmine.discovery.topics import load_model
    from textmine.project.codebook import from_project
    from textmine.project.store import Project
    from textmine.text.embed import answer_vectors
    from textmine.waves.applying import run_apply

    from .conftest import FakeEmbedder

    path = _project_naming_fatima(tmp_path, fake_model)
    config = config_of_project(Project(path).read().meta, load_config())     # the description naming Fatima
    follow = [f"Fatima svarede hurtigt på min mail uge {i}" if i % 2 else f"Ventetiden var lang uge {i}"
              for i in range(24)]
    pd.DataFrame({"id": [f"F{i}" for i in range(24)], "tekst": follow}).to_csv(tmp_path / "f.csv", index=False)
    (tmp_path / "codebook.json").write_text(from_project(Project(path)).to_json(), encoding="utf-8")
    run_apply(tmp_path / "ud" / "model", tmp_path / "f.csv", "tekst", tmp_path / "codebook.json", tmp_path / "wave",
              config, embedder=fake_model)

    wave = Project(tmp_path / "wave" / "project.sqlite")
    texts = wave.answers()["text"].tolist()
    masked = [Masker(("Fatima",))(t) for t in texts]
    assert texts != masked
    space = load_model(tmp_path / "ud" / "model").feature_space
    assert np.allclose(wave.vectors(), space.transform(masked, answer_vectors(masked, FakeEmbedder().embed)),
                       atol=1e-5)


# -- a recorded description that cannot be used is refused, never replaced by the app's (RELIABILITY item 4) --

@pytest.mark.parametrize("privacy", ['names_file = "navne.txt"', 'names = "Hanne Hansen"'])
def test_a_project_whose_recorded_names_cannot_be_read_is_refused_not_shown_unmasked(privacy, tmp_path, capsys):
    """The project's description lists its names in a file that is gone, or lists them wrongly: neither the page
    nor `themes` shows the answers masked with another description's names (or none); each says why, in Danish."""
    from textmine.app.desk import Desk
    from textmine.cli import main
    from textmine.config import DESCRIPTION, DESCRIPTION_PATH, load_config
    from textmine.errors import ConfigError
    from textmine.project.store import Project

    answers = pd.DataFrame({"respondent_id": ["R1", "R2"], "cluster": [0, 1],
                            "answer": ["Hanne Hansen hjalp mig", "Tid til borgerne"]})
    path = tmp_path / "p.sqlite"
    Project.create(path, "kerneopgave", answers, meta={
        DESCRIPTION: f'[survey]\nid_column = "respondent_id"\n[privacy]\n{privacy}\n',
        DESCRIPTION_PATH: str(tmp_path / "flyttet" / "survey.toml")})
    with pytest.raises(ConfigError, match="Beskrivelsen af undersøgelsen, som projektet har gemt, kan ikke bruges"):
        Desk(load_config()).snapshot(str(path))
    assert main(["themes", str(path)]) == 2
    captured = capsys.readouterr()
    assert "kan ikke bruges" in captured.err and "Hanne" not in captured.out and len(captured.err.splitlines()) == 1
