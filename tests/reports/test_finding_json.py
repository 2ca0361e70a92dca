"""A finding written straight to JSON reads as the JSON module writes its dictionary.

``reports.coverage.finding_json`` writes a year's findings without building dictionaries; the
oracle is ``json.dumps`` of ``Finding.to_json_dict``, character for character, over findings
with any text (quotes, backslashes, control characters, non-ASCII) and any excess (none,
whole numbers, floats, infinities and NaN).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from standby.clock import iso_z
from standby.reports.coverage import Written, finding_json, json_text
from standby.rota.model import Finding

instants = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC)
)
findings = st.builds(
    Finding,
    kind=st.sampled_from(["working_time", "double_booking", "no_primary", "gap"]),
    person=st.text(),
    start=instants,
    end=instants,
    detail=st.text(),
    role=st.none() | st.text(),
    rule=st.none() | st.sampled_from(["reg 4", "reg 10", "local limit"]) | st.text(),
    excess=st.none() | st.floats() | st.integers(-(10**20), 10**20),
)


@given(findings)
def test_a_finding_is_written_as_json_dumps_writes_its_dictionary(finding: Finding) -> None:
    assert finding_json(finding, iso_z) == json.dumps(finding.to_json_dict(iso_z))


def test_written_lists_are_copied_into_the_document_as_they_are() -> None:
    finding = Finding(
        "working_time",
        'Jo "JJ" O\'Neill',
        datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
        datetime(2026, 3, 29, 13, 0, tzinfo=UTC),
        "reg 10 daily rest: 12.5 h \u2013 a tab\there",
        "Duty Officer",
        "reg 10",
        1.25,
    )
    document = {"window": {"start": "x"}, "findings": [finding.to_json_dict(iso_z)]}
    written = {"window": {"start": "x"}, "findings": Written([finding_json(finding, iso_z)])}
    assert json_text(written) == json_text(document)
    assert json.loads(json_text(written))["findings"][0]["detail"].endswith("a tab\there")
