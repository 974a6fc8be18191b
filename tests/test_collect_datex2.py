"""Kind `datex2`: every payload in tests/fixtures/datex2/ against its .expected.json."""

import pytest

from collectors import datex2
from tests._road_cases import cases, check_case


@pytest.mark.parametrize(("path", "doc", "case"), cases("datex2"))
def test_datex2_fixture_gives_expected_events(path, doc, case):
    check_case(datex2, "datex2", path, doc, case)
