"""Kind `wzdx`: every payload in tests/fixtures/wzdx/ against its .expected.json."""

import pytest

from collectors import wzdx
from tests._road_cases import cases, check_case


@pytest.mark.parametrize(("path", "doc", "case"), cases("wzdx"))
def test_wzdx_fixture_gives_expected_events(path, doc, case):
    check_case(wzdx, "wzdx", path, doc, case)
