"""Standby's shared kernel: version, the user-facing error base and safe file writing.

Every other package (``rota``, ``scenarios``, ``simulator``, ``reports``) may import from here;
this package imports none of them, so it stays cheap to load.
"""

from standby.errors import StandbyError

__version__ = "0.1.0"

__all__ = ["StandbyError", "__version__"]
