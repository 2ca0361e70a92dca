"""Every limit on what Standby reads, in one place, so that no file can take the machine.

A file that goes over a limit is an error whose message names the limit and how to raise
it; docs/safety.md lists them all with the reasons for their values. The values are read
when a file is read (``limits.MAX_NESTING``, never copied), so a Python user can raise
one for a session; ``max_shifts`` can also be given per call (``--max-shifts``).
"""

from __future__ import annotations

#: Shifts in one rota, all told: written out, made by patterns, repeated by RRULEs, or in
#: a spreadsheet (``--max-shifts``, ``read_rota(..., max_shifts=)``). A year of 30 roles at
#: two levels in 12-hour shifts is 44,000; a million is 20 years of that.
MAX_SHIFTS = 1_000_000

#: Levels of nesting in a YAML file (a rota nests four, a scenario six).
MAX_NESTING = 64

#: Values that YAML aliases (``*name``) may repeat in one file, all told; an alias that
#: repeats a list of a thousand repeats a thousand values ("billion laughs" files).
MAX_ALIAS_VALUES = 1_000_000

#: Days one rota check may cover (ten years). A window (or a rota's span, when no window is
#: given) of a thousand years would make a page of gigabytes; a typo such as 3026 for 2026
#: is the usual cause.
MAX_WINDOW_DAYS = 3653

#: Columns of a spreadsheet sheet that may hold something (column ALL); a rota grid has a
#: column per role, a long-format sheet eight.
MAX_SHEET_COLUMNS = 1000

#: Bytes a workbook may unpack to (256 MB, or 256 bytes per shift of a higher shift limit);
#: a few kilobytes can unpack to gigabytes.
MAX_WORKBOOK_BYTES = 256 * 2**20
