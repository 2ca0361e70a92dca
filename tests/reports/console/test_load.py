"""Twenty browsers post a thousand entries between them: none lost, none recorded twice.

Speed is measured by ``make bench`` (benchmarks/bench_console.py prints the 95th percentile);
this test checks only that every entry arrives exactly once.
"""

from __future__ import annotations

from pathlib import Path

from benchmarks.console_kit import Server, load
from standby.reports.exercise_log_io import read_log


def test_twenty_clients_post_a_thousand_entries_none_lost_none_doubled(
    log_url: str, tmp_path: Path
) -> None:
    with Server(log_url, cwd=tmp_path) as server:
        result = load(server, clients=20, total=1000, repeat_every=10, poll=True)
    assert result.statuses == {201: 1100}  # 1,000 entries and 100 of them sent twice
    assert len(result.acknowledged) == 1000
    log = read_log(log_url)
    decisions = [r for r in log if r.kind == "decision"]
    assert len(decisions) == 1000
    assert [r.id for r in log] == list(range(1, len(log) + 1))
    by_text = {r.text: r.id for r in decisions}
    assert len(by_text) == 1000
    expected = {
        f"Decision {index} from client {client}": result.acknowledged[
            f"load-{client:02d}-{index:05d}"
        ]
        for client in range(20)
        for index in range(50)
    }
    assert by_text == expected
