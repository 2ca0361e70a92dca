"""Everything a person reads: charts, HTML pages, JSON summaries and the demo run."""
