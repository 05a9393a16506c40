"""cvecheck: check intervention programme descriptions against the CREST review's recommendations.

Importing the package has no side effects. The Python API (``check_file``,
``check_text``, ``check_data``, ``load_rules``, ``Report``, and for many files
``expand_inputs``, ``check_paths`` and ``FileOutcome``) is loaded on first use, so
``import cvecheck`` stays cheap. docs/api.md describes it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing is not imported at run time: `cvecheck --version` loads this only
    from typing import Any

__version__ = "0.1.0"
__all__ = [
    "FileOutcome",
    "InputError",
    "Report",
    "RuleSet",
    "WaiverPolicy",
    "__version__",
    "check_data",
    "check_file",
    "check_paths",
    "check_text",
    "expand_inputs",
    "load_rules",
]

_BATCH = ("FileOutcome", "check_paths", "expand_inputs")


def __getattr__(name: str) -> Any:
    if name in _BATCH:
        from cvecheck import batch

        return getattr(batch, name)
    if name in __all__:
        from cvecheck import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'cvecheck' has no attribute {name!r}")
