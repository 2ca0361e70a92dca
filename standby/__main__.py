"""``python -m standby``: the same as the ``standby`` command."""

from standby.cli import main

main()
