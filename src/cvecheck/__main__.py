"""The ``cvecheck`` command and ``python -m cvecheck``.

``cvecheck --version`` is answered here, before the command line is built: it needs nothing
but the version, so it costs little more than starting Python. Everything else goes to
``cvecheck.cli``.
"""

import sys


def main() -> None:
    """Entry point of the ``cvecheck`` command."""
    if sys.argv[1:] == ["--version"]:
        from cvecheck import __version__

        sys.stdout.write(f"cvecheck {__version__}\n")
        return
    from cvecheck.cli import main as run

    run()


if __name__ == "__main__":
    main()
