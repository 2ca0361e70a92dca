"""Reports a person reads: exercise pack, debrief, charts, rendered to HTML, Word, Markdown and JSON."""
