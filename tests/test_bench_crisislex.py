"""The CrisisLexT26 reader copes with the files' quirks and says clearly when they are missing."""

from __future__ import annotations

import pytest

from bench.crisislex import DataMissing, load, resolve_dir
from bench.quality import predicted_informative, predicted_type

HEADER = "Tweet ID, Tweet Text, Information Source, Information Type, Informativeness\n"


def test_headers_with_leading_spaces_and_padded_labels(tmp_path):
    (tmp_path / "2099_Test_flood-tweets_labeled.csv").write_text(
        HEADER
        + '"1","Bridge closed, ""stay away""",Government , Caution and advice ,'
          "Related and informative\n"
        + '"2","line\nbreak",Not labeled,Not labeled,Not related\n',
        encoding="utf-8",
    )
    events = load(tmp_path)
    (a, b) = events["2099_Test_flood"]
    assert a.id == "1" and a.text == 'Bridge closed, "stay away"'
    assert (a.source, a.type) == ("Government", "Caution and advice")
    assert a.has_type and a.has_informativeness
    assert b.text == "line\nbreak" and not b.has_type


def test_missing_data_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.delenv("VIGIE_LABELLED", raising=False)
    with pytest.raises(DataMissing, match="VIGIE_LABELLED"):
        resolve_dir(tmp_path / "nowhere")


def test_environment_variable_points_to_the_data(tmp_path, monkeypatch):
    (tmp_path / "x-tweets_labeled.csv").write_text(HEADER, encoding="utf-8")
    monkeypatch.setenv("VIGIE_LABELLED", str(tmp_path))
    assert resolve_dir() == tmp_path


def test_category_mapping_takes_the_first_category_that_maps():
    assert predicted_type(["not_relevant"]) == "(none)"
    assert predicted_type(["roads_traffic", "casualties"]) == "Infrastructure and utilities"
    assert predicted_type(["sympathy"]) == "Sympathy and support"
    assert not predicted_informative(["sympathy"])
    assert predicted_informative(["sympathy", "solidarity"])
