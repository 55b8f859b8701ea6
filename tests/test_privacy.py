"""Personal data is masked in what textmine shows and exports; the project file keeps the original."""

import zipfile

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.privacy import CPR_MASK, EMAIL_MASK, NAME_MASK, PHONE_MASK, Masker

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
])
def test_personal_data_is_masked(text, expected):
    assert MASK(text) == expected


@pytest.mark.parametrize("text", [
    "Efter reformen i 2019-2023 har vi 3-5 år til at nå målet",
    "Det koster 25.000 kr. om måneden, 1.000.000 kr. om året",
    "Mødet var den 01-02-2023 kl. 10.30",
    "Over 10 år i jobcentret, 150 borgere, 12345678 er ikke et dansk nummer",
    "Beløbet var 25 000 000 kr",
    "Ikke en dato: 3213901234, og 991299-1234",          # day 32; month 12 but day 99
    "Per måned og hans egen plan",                     # names are matched as written: 'hans' is a word
    "Vi bruger CV'er og jobnet.dk",
])
def test_numbers_and_words_that_are_not_personal_data_stay(text):
    assert MASK(text) == text


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


# -- end to end: a planted CPR number, phone number and e-mail never reach the exports ------------

PLANTED = {"cpr": "120385-4471", "phone": "41 22 63 90", "email": "mette.holm@jobcenter-demo.dk"}


@pytest.mark.slow
def test_a_full_export_of_the_demo_project_contains_no_planted_personal_data(tmp_path):
    from textmine.cli import main
    from textmine.store import Project

    survey = pd.read_csv(DATA / "baseline_survey.csv", keep_default_na=False, dtype=str)
    rows = survey.index[survey["kerneopgave"].str.len() > 30][:3]
    survey.loc[rows[0], "kerneopgave"] += f" Min borger (cpr {PLANTED['cpr']}) fik job."
    survey.loc[rows[1], "kerneopgave"] += f" Ring på {PLANTED['phone']} hvis I vil høre mere."
    survey.loc[rows[2], "kerneopgave"] += f" Skriv til {PLANTED['email']}."
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    assert main(["discover", str(path), "--question", "kerneopgave", "--out", str(tmp_path / "run")]) == 0
    assert main(["export", str(tmp_path / "run" / "project.sqlite"), "--out", str(tmp_path / "export")]) == 0

    written = {p.name: p for p in (tmp_path / "export").iterdir()}
    assert set(written) == {"themes.xlsx", "themes.pptx", "themes.docx", "codebook.json", "answers.csv"}
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
    assert CPR_MASK in texts["answers.csv"] and PHONE_MASK in texts["answers.csv"] and EMAIL_MASK in texts["answers.csv"]
    originals = " ".join(Project(tmp_path / "run" / "project.sqlite").answers()["text"])
    assert all(value in originals for value in PLANTED.values())           # the project file keeps the original
