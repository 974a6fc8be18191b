"""Kind `geojson`: every payload in tests/fixtures/geojson/ against its .expected.json."""

import json
import re
from dataclasses import asdict

import pytest

from collectors import geojson
from tests._road_cases import FIXTURES, cases, check_case, run


@pytest.mark.parametrize(("path", "doc", "case"), cases("geojson"))
def test_geojson_fixture_gives_expected_events(path, doc, case):
    check_case(geojson, "geojson", path, doc, case)


# ------------------------------------------------------------------------------ privacy

LITTERALIS = FIXTURES / "geojson" / "litteralis_savoie_cd73_travaux_sample.geojson"
EXPECTED = json.loads(LITTERALIS.with_name(LITTERALIS.name + ".expected.json").read_text())


def _applicant_names() -> set[str]:
    """Every applicant value of the real file, and each name in it.

    "et" and the common noun "Route" (of a company name) are not names.
    """
    doc = json.loads(LITTERALIS.read_text(encoding="utf-8"))
    values = {f["properties"]["emetteurlibelle"] for f in doc["features"]}
    tokens = {t for v in values for t in re.split(r"[\s-]+", v) if t not in ("et", "Route")}
    return values | tokens


_ALL_PROPERTIES = sorted(
    {k for f in json.loads(LITTERALIS.read_text())["features"] for k in f["properties"]}
)
CONFIGS = [case["options"] for case in EXPECTED["cases"]] + [
    {"preset": "litteralis"},
    {  # a careless configuration that asks for everything
        "mapping": {"description": ["emetteurlibelle", "parametresarrete", "titre"],
                    "road": "emetteurlibelle", "commune": "emetteurlibelle",
                    "id": ["emetteurlibelle", "idmesure"]},
        "extra": _ALL_PROPERTIES,
    },
]


@pytest.mark.parametrize("options", CONFIGS, ids=lambda o: ",".join(sorted(o)) or "none")
def test_no_applicant_name_reaches_the_records(options):
    names = _applicant_names()
    assert "MATHIEZ Guy" in names and "Anaïs" in names  # the file still names people
    batch = run(geojson, "geojson", LITTERALIS.read_bytes(), options,
                "Tue, 10 Mar 2026 10:00:00 GMT", "cd73")
    assert batch.road_events
    dump = json.dumps([asdict(e) for e in batch.road_events] + batch.errors, ensure_ascii=False)
    for name in names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", dump, re.IGNORECASE), name


@pytest.mark.parametrize("name", ["emetteurlibelle", "nom_demandeur", "contact_email",
                                  "Telephone", "parametresarrete", "petitionnaire"])
def test_personal_property_names_are_refused(name):
    assert geojson.PERSONAL.search(name)


@pytest.mark.parametrize("name", ["localisations", "mesure", "nommodele", "route", "libelle",
                                  "date_debut", "commune", "gene", "titre"])
def test_road_property_names_are_allowed(name):
    assert not geojson.PERSONAL.search(name)


def test_person_named_in_generic_open_data_is_not_copied():
    path = FIXTURES / "geojson" / "routes_generic_handwritten.geojson"
    assert "Jeanne Exemple" in path.read_text(encoding="utf-8")
    for options in ({}, {"extra": ["nom_demandeur"], "mapping": {"commune": "nom_demandeur"}}):
        batch = run(geojson, "geojson", path.read_bytes(), options, "Tue, 14 May 2024 08:00:00 GMT")
        dump = json.dumps([asdict(e) for e in batch.road_events], ensure_ascii=False)
        assert "Jeanne" not in dump and "Exemple" not in dump
