"""Run every ``benchmarks/bench_*.py`` module's ``main()`` in name order (``make bench``)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each benchmark; return 1 if any raised, else 0."""
    root = str(HERE.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        print(f"== {path.stem}")
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        # Registered before it runs, as an import would: dataclasses look their module up.
        sys.modules[path.stem] = module
        try:
            spec.loader.exec_module(module)
            module.main()
        except Exception as error:  # a broken benchmark must not hide the others
            failed += 1
            print(f"{path.stem} failed: {error!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
