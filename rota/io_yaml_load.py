"""Loading YAML as the rota and requirements readers need it: times and dates left as text.

Apart from ``rota.io_yaml`` so that a plain requirements file (``rota.io_requirements``) is
read without importing the pydantic models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from standby import yamlfile
from standby.rota.io_common import RotaFileError, read_text
from standby.yamlfile import Document, safe_resolvers

#: YAML 1.1 reads ``17:00`` as the base-60 number 1020 and ``2026-03-27 09:00:00`` as a
#: naive datetime; both must reach our parsers as the text the planner wrote.
_RESOLVERS = safe_resolvers(timestamps=False, sexagesimal=False)


def load_yaml(path: Path, *, fast: bool = True) -> tuple[Any, Document]:
    """The parsed document and where its keys are, or a RotaFileError naming the line.

    Duplicate keys, deep nesting and alias bombs are errors (``standby.yamlfile``);
    ``fast=False`` reads every list through the parser (the same result, slower).
    """
    text = read_text(path)
    try:
        source = yamlfile.load(text, _RESOLVERS, fast=fast)
    except yamlfile.YamlError as error:
        raise RotaFileError(f"{path}: {error.message}") from None
    return source.data, source
