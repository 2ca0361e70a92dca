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
