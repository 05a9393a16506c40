"""JSON, SARIF and JUnit written as streams of per-file parts give the whole documents' bytes.

Each file's part is made as a worker makes it (the rendering job, its result pickled and read
back), written through the real outputs (parts spooled to a temporary file, the head written
first when the run ends), and the file compared byte for byte with the whole-document
functions that ``cvecheck diff``, the schema and the consumers' tests rely on.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from cvecheck.output import opened
from cvecheck.reporters import Rendering, View, junit, render_reports, report_renderer, sarif
from cvecheck.reporters.json_ import document
from cvecheck.results import FileOutcome

from ..reporting import CLEAN_YAML, INVALID_YAML, TRICKY_YAML, check, outcomes

PRIMARY_YAML = """\
programme:
  name: Schools awareness
  stages: [primary]
formers:
  used: false
"""
MIXED_YAML = PRIMARY_YAML.replace("[primary]", "[primary, secondary]")


def whole_json(found: Sequence[FileOutcome]) -> str:
    return json.dumps(document(found), indent=2, ensure_ascii=False) + "\n"


WHOLE: dict[str, Callable[[Sequence[FileOutcome]], str]] = {
    "json": whole_json,
    "sarif": sarif.render,
    "sarif-github": sarif.render_code_scanning,
    "junit": junit.render,
}


def runs() -> dict[str, list[FileOutcome]]:
    """Zero files, one invalid file, one of each kind, and several with repeats."""
    every = outcomes()  # gaps, questions, a programme waiver, a rule error, a notice, invalid
    scoped = [check(PRIMARY_YAML, "primary.yaml"), check(MIXED_YAML, "mixed.yaml")]
    many = [
        check(text, f"folder/{index:03}-{name}.yaml")
        for index in range(12)
        for name, text in (("tricky", TRICKY_YAML), ("clean", CLEAN_YAML), ("bad", INVALID_YAML))
    ]
    return {
        "none": [],
        "invalid only": [check(INVALID_YAML, "broken.yaml")],
        "one clean": [check(CLEAN_YAML, "clean.yaml")],
        "every state": every,
        "scope notes": scoped + every,
        "several": many + scoped,
    }


def streamed(name: str, found: Sequence[FileOutcome], target: Path) -> bytes:
    """The bytes ``check`` writes: parts made by the rendering job and sent as a worker sends
    them, written through the outputs with their spools."""
    job = Rendering(((name, View()),))
    rules = {k: v for o in found if o.report is not None for k, v in o.report.rules.items()}
    with opened([target]) as outputs:
        stream = outputs.stream(0, report_renderer(name, rules=rules))
        stream.begin()
        for position, outcome in enumerate(found):
            done = pickle.loads(pickle.dumps(job(outcome, position)))
            stream.add(done.parts[0])
        stream.end()
    return target.read_bytes()


@pytest.mark.parametrize("run", sorted(runs()))
@pytest.mark.parametrize("name", sorted(WHOLE))
def test_a_streamed_document_has_the_whole_documents_bytes(
    name: str, run: str, tmp_path: Path
) -> None:
    found = runs()[run]
    whole = WHOLE[name](found)
    assert streamed(name, found, tmp_path / "out") == whole.encode("utf-8")
    assert render_reports(name, found) == whole
    assert not list(tmp_path.iterdir())[1:], "a spool was left behind"


def test_the_spools_are_removed_when_a_run_fails(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    renderer = report_renderer("json")
    with pytest.raises(KeyboardInterrupt), opened([target]) as outputs:
        stream = outputs.stream(0, renderer)
        stream.begin()
        stream.add(renderer.part(outcomes()[0], 0))
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_a_worker_sends_back_text_and_counts_never_a_report() -> None:
    formats = ("table", "concise", "github", "json", "sarif", "sarif-github", "junit", "matrix")
    job = Rendering(tuple((name, View()) for name in formats))
    for position, outcome in enumerate(outcomes()):
        done = job(outcome, position)
        sent = pickle.dumps(done)
        assert b"cvecheck.results\nReport" not in sent and b"Rule\n" not in sent
        assert all(not isinstance(part.tally, FileOutcome) for part in done.parts)


def test_a_collected_format_gets_its_reports_back_with_their_rules() -> None:
    found = outcomes()
    job = Rendering((("markdown", View()),))
    rules = {k: v for o in found if o.report is not None for k, v in o.report.rules.items()}
    renderer = report_renderer("markdown", rules=rules)
    written: list[str | bytes] = []
    from cvecheck.reporters import Stream

    stream = Stream(renderer, written.append, lambda: pytest.fail("nothing to spool"))
    stream.begin()
    for position, outcome in enumerate(found):
        stream.add(pickle.loads(pickle.dumps(job(outcome, position))).parts[0])
    stream.end()
    assert "".join(str(w) for w in written) == render_reports("markdown", found)
