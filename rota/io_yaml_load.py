"""Loading YAML as the rota and requirements readers need it: times and dates left as text.

Apart from ``rota.io_yaml`` so that a plain requirements file (``rota.io_requirements``) is
read without importing the pydantic models.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from standby.rota.io_common import RotaFileError, read_text


class YamlLoader(yaml.SafeLoader):
    """SafeLoader that leaves times and dates as text.

    YAML 1.1 reads ``17:00`` as the base-60 number 1020 and ``2026-03-27 09:00:00`` as a
    naive datetime; both must reach our parsers as the text the planner wrote.
    """


YamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
        and not (tag == "tag:yaml.org,2002:int" and ":" in regexp.pattern)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
YamlLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"),
)


def load_yaml(path: Path) -> tuple[Any, str]:
    """The parsed document and its text, or a RotaFileError naming the line."""
    text = read_text(path)
    try:
        document = yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        problem = getattr(error, "problem", None) or str(error)
        raise RotaFileError(
            f"{path}: {where}: not valid YAML ({problem}); check the indentation and that "
            "text containing ': ' is quoted"
        ) from None
    return document, text
