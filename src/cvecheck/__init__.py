"""cvecheck: check intervention programme descriptions against the CREST review's recommendations.

Importing the package has no side effects. The Python API (``check_file``,
``check_text``, ``check_data``, ``load_rules``, ``Report``) is loaded on first use, so
``import cvecheck`` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = [
    "Report",
    "RuleSet",
    "__version__",
    "check_data",
    "check_file",
    "check_text",
    "load_rules",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from cvecheck import api

        return getattr(api, name)
    raise AttributeError(f"module 'cvecheck' has no attribute {name!r}")
