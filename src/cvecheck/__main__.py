"""``python -m cvecheck``: the same as the ``cvecheck`` command."""

from cvecheck.cli import main

main()
