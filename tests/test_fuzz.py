"""Fuzzing the importers: random bytes, random CSV dialects and random Unicode never raise anything
but textmine's own errors, and what can be read reads back exactly."""

import csv
import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from textmine.errors import TextmineError
from textmine.survey.reading import answers_of, read_survey

FAST = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _read(name: str, content: bytes):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            table = read_survey(path)
        except TextmineError:
            return None
        answers_of(table, table.columns[-1], table.columns[0]) if table.columns[0] != table.columns[-1] else None
        return table


@FAST
@given(st.binary(max_size=3000), st.sampled_from(["x.csv", "x.xlsx", "x.sav", "x.txt"]))
@example(b"PK\x03\x04" + b"\0" * 100, "x.xlsx")
@example(b"$FL2" + b"\0" * 200, "x.sav")
@example(b"\xef\xbb\xbf", "x.csv")
@example(b'"', "x.csv")
def test_random_bytes_give_a_textmine_error_or_a_table(content, name):
    try:
        _read(name, content)
    except TextmineError:
        pass


def _zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, data in members.items():
            archive.writestr(member, data)
    return buffer.getvalue()


@FAST
@given(st.dictionaries(st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                        "_rels/.rels", "xl/_rels/workbook.xml.rels"]),
                       st.binary(max_size=300) | st.text(max_size=300).map(str.encode), max_size=5))
def test_random_zip_containers_named_xlsx_give_a_textmine_error(members):
    try:
        _read("x.xlsx", _zip_with(members))
    except TextmineError:
        pass


CELL = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=40)


@FAST
@given(st.lists(st.tuples(CELL, CELL), min_size=1, max_size=8), st.sampled_from([",", ";"]),
       st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
def test_random_csv_dialects_read_back_or_are_refused_clearly(rows, sep, encoding, quoting):
    frame = pd.DataFrame({"respondent_id": [f"R{i}" for i in range(len(rows))],
                          "svar": [a for a, _ in rows], "andet": [b for _, b in rows]})
    text = frame.to_csv(index=False, sep=sep, quoting=quoting, lineterminator="\n")
    try:
        content = text.encode(encoding)
    except UnicodeEncodeError:                          # Windows-1252 cannot hold every character
        return
    table = _read("x.csv", content)                     # a well-formed CSV is never refused
    assert table is not None
    assert list(table.columns) == ["respondent_id", "svar", "andet"]
    ambiguous = encoding == "cp1252" and _decodes_as_utf8(content)      # read as UTF-8 first, by design
    if not ambiguous:
        assert [str(v) for v in table["svar"]] == [str(v) for v in frame["svar"]]


def _decodes_as_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
