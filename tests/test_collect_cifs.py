"""Kind `cifs`: every payload in tests/fixtures/cifs/ against its .expected.json."""

import pytest

from collectors import cifs
from tests._road_cases import cases, check_case


@pytest.mark.parametrize(("path", "doc", "case"), cases("cifs"))
def test_cifs_fixture_gives_expected_events(path, doc, case):
    check_case(cifs, "cifs", path, doc, case)
