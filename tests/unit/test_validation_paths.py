"""The two ways of validating a programme give one answer.

``check`` validates a file against the shipped validation schema with jsonschema-rs and builds
the evaluation view in plain code; the pydantic models are the reference (and still explain a
refused file). Over every example, every fixture, every rule example, a generated corpus and
fuzzed input (mutated examples, random documents, and documents built from the schema with
odd values mixed in), both paths must accept and refuse the same data, and on accepted data
give the same evaluation view (so the same derived facts), the same completed view for open
lists and the same waivers.
"""

from __future__ import annotations

import copy
import math
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from cvecheck.loader import Loaded, SourceMap, decode, load_text
from cvecheck.pipeline import check_data
from cvecheck.programme import facts, model
from cvecheck.programme.introspection import declaration_order, model_paths, nested_model
from cvecheck.programme.layout import (
    WAIVER_FILE_SCHEMA,
    field_order,
    programme_paths,
    sections,
    validation_schema,
)
from cvecheck.programme.openness import completed_view
from cvecheck.programme.sections import WaiverFile
from cvecheck.programme.validation import is_valid, stated_data, validated
from cvecheck.programme.view import evaluation_view
from cvecheck.results import InputError, Waiver
from cvecheck.rules import RuleSet, load_rules
from cvecheck.waivers import PROGRAMME, programme_waivers, read_waiver_file

from ..paths import EXAMPLES_DIR, FIXTURES, REPO, SHIPPED_RULES
from .test_fuzz import documents, keys, mutated_examples

RULESET = load_rules([SHIPPED_RULES])  # for its rule ids only: no verdict is read here


def reference_waivers(programme: model.Programme, source: SourceMap) -> list[Waiver]:
    """The programme's waivers read from the model, as they were before the plain path."""
    return [
        Waiver(
            entry.rule,
            entry.reason,
            entry.approved_by,
            entry.expires,
            source.locate(("waivers", index, "rule")),
            PROGRAMME,
        )
        for index, entry in enumerate(programme.waivers or [])
    ]


def assert_one_answer(loaded: Loaded) -> bool:
    """Both paths agree on ``loaded``; returns whether it is valid."""
    fast = is_valid(loaded.data)
    try:
        programme = model.parse_programme(loaded)
    except InputError:
        assert not fast, "the schema accepts what the models refuse"
        with pytest.raises(InputError):
            validated(loaded)  # and the check refuses it, with the models' issues
        return False
    assert fast, "the schema refuses what the models accept"
    assert validated(loaded) is loaded.data
    view = evaluation_view(loaded.data)
    assert view == model.evaluation_view(programme)
    completed = completed_view(view)
    stated = stated_data(copy.deepcopy(completed))
    assert is_valid(stated), "a completed list left the schema"
    assert completed == model.evaluation_view(model.Programme.model_validate(stated))
    assert_same_waivers(loaded, programme)
    return True


def assert_same_waivers(loaded: Loaded, programme: model.Programme) -> None:
    known = RULESET.by_id()
    ids = [entry.rule for entry in programme.waivers or []]
    if all(rule in known for rule in ids) and len(set(ids)) == len(ids):
        plain = programme_waivers(loaded.data, loaded.source_map, RULESET)
        assert plain == reference_waivers(programme, loaded.source_map)
    else:
        with pytest.raises(InputError):
            programme_waivers(loaded.data, loaded.source_map, RULESET)


def loaded_file(path: Path) -> Loaded | None:
    try:
        return load_text(decode(path.read_bytes(), path.name), path.name)
    except InputError:
        return None


# --- every file and example --------------------------------------------------------------

FILES = sorted(
    [
        *EXAMPLES_DIR.glob("*.yaml"),
        *FIXTURES.rglob("*.yaml"),
        *(REPO / "docs" / "examples").glob("*.yaml"),
    ]
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_file_gets_one_answer(path: Path) -> None:
    loaded = loaded_file(path)
    if loaded is not None:
        assert_one_answer(loaded)


def test_the_shipped_examples_are_valid_both_ways() -> None:
    for path in sorted(EXAMPLES_DIR.glob("*.yaml")):
        loaded = loaded_file(path)
        assert loaded is not None and assert_one_answer(loaded), path.name


def rule_examples() -> list[Any]:
    found: list[Any] = []
    packs = [SHIPPED_RULES, *(p.parent for p in FIXTURES.glob("*/pack.yaml"))]
    for pack in packs:
        try:
            ruleset = load_rules([pack])
        except InputError:
            continue  # a fixture pack that is broken on purpose
        for compiled in ruleset.rules:
            for examples in compiled.rule.examples.by_outcome().values():
                found += examples
    return found


def test_every_rule_example_gets_one_answer() -> None:
    examples = rule_examples()
    assert len(examples) > 100
    assert all(assert_one_answer(Loaded(example, SourceMap("x.yaml"))) for example in examples)


@pytest.mark.slow
def test_a_generated_corpus_gets_one_answer(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "bench"))
    from corpus import generate

    for path in generate(200, tmp_path, seed=7):
        loaded = loaded_file(path)
        assert loaded is not None and assert_one_answer(loaded), path.name


# --- what the schema states explicitly ---------------------------------------------------

ODD = [
    ({"staff": [{"role": "mentor", "count": 2.0}]}, False),  # 2.0 is a number, not a count
    ({"staff": [{"role": "mentor", "count": True}]}, False),
    ({"staff": [{"role": "mentor", "count": 10**19}]}, True),
    ({"staff": [{"role": "mentor", "count": 10**20}]}, True),  # past 64 bits, as the loader allows
    ({"staff": [{"role": "mentor", "count": -(10**20)}]}, False),
    ({"target_population": {"age_range": {"min": 10**20}}}, False),
    ({"target_population": {"age_range": {"min": 121}}}, False),
    ({"target_population": {"age_range": {"min": math.nan}}}, False),
    (
        {"waivers": [{"rule": "X", "reason": "r", "approved_by": "a", "expires": "0000-01-01"}]},
        False,
    ),
    (
        {"waivers": [{"rule": "X", "reason": "r", "approved_by": "a", "expires": "2023-02-29"}]},
        False,
    ),
    (
        {"waivers": [{"rule": "X", "reason": "r", "approved_by": "a", "expires": "2024-02-29"}]},
        True,
    ),
    (
        {"waivers": [{"rule": "X", "reason": "r", "approved_by": "a", "expires": "2024-2-29"}]},
        False,
    ),
    (
        {"waivers": [{"rule": "X", "reason": "", "approved_by": "a", "expires": "2024-02-28"}]},
        False,
    ),
    ({"waivers": [{"rule": "X", "reason": "r", "approved_by": "a"}]}, False),
    ({"programme": {"funding": {"secured_until": "2027-03-31T00:00:00"}}}, False),
    ({"programme": {"online_work": "yes"}}, False),
    ({"programme": {"online_work": None, "settings": None}}, True),  # blank: not stated
    ({"programme": {"stages": ["primary"], "stages_complete": True}}, False),  # closed list
    ({"programme": {"settings": ["online"], "settings_complete": True}}, True),
    ({"schema_version": 1}, False),
    ({"review_scope": "mixed"}, False),  # a derived fact is not written in a file
    ({"formers": {"training": {"online_work": "not_applicable"}}}, True),
]


@pytest.mark.parametrize(("data", "valid"), ODD)
def test_what_only_the_models_enforced_is_stated_in_the_schema(
    data: dict[str, Any], valid: bool
) -> None:
    assert assert_one_answer(Loaded(data, SourceMap("odd.yaml"))) is valid


def test_data_from_a_program_with_dates_or_tuples_is_judged_by_the_models() -> None:
    entry = {"rule": "FRM002", "reason": "r", "approved_by": "a", "expires": date(2026, 6, 1)}
    report = check_data({"waivers": [entry]}, RULESET, today=date(2027, 1, 1))
    assert [(n.code, n.rule) for n in report.notices] == [("waiver-expired", "FRM002")]
    with pytest.raises(InputError):
        check_data({"staff": ({"role": "mentor"},)}, RULESET, today=date(2026, 1, 1))


# --- the tables the plain path keeps, against the models ----------------------------------


def model_blocks() -> dict[tuple[str, ...], type[Any]]:
    """Each block's path (lists' items without an index) and its model."""
    found: dict[tuple[str, ...], type[Any]] = {}
    pending: list[tuple[tuple[str, ...], type[Any]]] = [((), model.Programme)]
    while pending:
        path, block = pending.pop()
        found[path] = block
        for name, info in block.model_fields.items():
            nested = nested_model(info.annotation)
            if nested is not None:
                pending.append(((*path, name), nested))
    return found


def test_every_computed_field_is_a_plain_fact_in_the_same_order() -> None:
    derived = {
        path: tuple(block.model_computed_fields)
        for path, block in model_blocks().items()
        if block.model_computed_fields
    }
    assert derived == {path: tuple(n for n, _ in facts.DERIVED[path]) for path in facts.DERIVED}


def test_the_field_order_is_the_models() -> None:
    assert field_order() == declaration_order(model.Programme)


def test_the_paths_rules_may_read_are_the_models() -> None:
    assert programme_paths() == model_paths(model.Programme)


def test_the_sections_are_the_models() -> None:
    assert sections() == {
        name: info.description or "" for name, info in model.Programme.model_fields.items()
    }


def test_the_shipped_schema_is_the_models() -> None:
    # The staleness test covers the file on disk; this covers the package's own copy.
    assert validation_schema() == model.validation_schema()


# --- the fuzzed corpus ---------------------------------------------------------------------

WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 300),
    st.sampled_from([0.0, 1.0, 2.5, 10**19, -1, "", "yes", "none", "2024-02-30", "2024-02-29"]),
    WORDS,
)


def from_schema(node: dict[str, Any], defs: dict[str, Any], depth: int = 0) -> Any:
    """Values for a schema node: mostly valid ones, sometimes an odd value or an unknown key."""
    options = node.get("anyOf", [node])
    strategies = [_option(option, defs, depth) for option in options]
    return st.one_of(*strategies) | ODD_VALUES if depth else st.one_of(*strategies)


def _option(node: dict[str, Any], defs: dict[str, Any], depth: int) -> Any:
    if "$ref" in node:
        return _block(defs[node["$ref"].rsplit("/", 1)[-1]], defs, depth + 1)
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "const" in node:
        return st.just(node["const"])
    kind = node.get("type")
    if kind == "array":
        return st.lists(from_schema(node["items"], defs, depth + 1), max_size=3)
    if kind == "string" and node.get("format") == "date":
        return st.sampled_from(["2026-06-01", "2024-02-29", "2023-02-29", "2026-13-01", "1999"])
    if kind == "string":
        return WORDS
    if kind == "integer":
        return st.integers(-2, 130)
    if kind == "boolean":
        return st.booleans()
    return st.none()


def _block(node: dict[str, Any], defs: dict[str, Any], depth: int) -> Any:
    properties = node.get("properties", {})
    required = set(node.get("required", ()))
    block = st.fixed_dictionaries(
        {name: from_schema(properties[name], defs, depth) for name in required},
        optional={
            **{
                name: from_schema(sub, defs, depth)
                for name, sub in properties.items()
                if name not in required
            },
            "unknown_key": st.booleans(),
        },
    )
    return block if depth < 5 else st.just({})


SCHEMA = validation_schema()
PROGRAMMES = _block(SCHEMA, SCHEMA["$defs"], 0)
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.mark.slow
@FUZZ
@given(data=PROGRAMMES)
def test_programmes_built_from_the_schema_get_one_answer(data: dict[str, Any]) -> None:
    assert_one_answer(Loaded(data, SourceMap("fuzz.yaml")))


@pytest.mark.slow
@FUZZ
@given(data=PROGRAMMES)
def test_the_same_through_yaml(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        loaded = load_text(text, "fuzz.yaml")
    except InputError:
        return
    assert_one_answer(loaded)


@pytest.mark.slow
@FUZZ
@given(raw=mutated_examples())
def test_mutated_examples_get_one_answer(raw: bytes) -> None:
    try:
        loaded = load_text(decode(raw, "fuzz.yaml"), "fuzz.yaml")
    except InputError:
        return
    assert_one_answer(loaded)


@pytest.mark.slow
@FUZZ
@given(document=st.dictionaries(keys, documents, max_size=8))
def test_random_documents_get_one_answer(document: dict[str, Any]) -> None:
    text = yaml.safe_dump(document, allow_unicode=True)
    try:
        loaded = load_text(text, "fuzz.yaml")
    except InputError:
        return
    assert_one_answer(loaded)


# --- the commissioner's waiver file, the same way -----------------------------------------

WAIVER_SCHEMA = validation_schema(WAIVER_FILE_SCHEMA)
WAIVER_FILES = _block(WAIVER_SCHEMA, WAIVER_SCHEMA["$defs"], 0)


def assert_one_answer_for_a_waiver_file(data: Any, tmp_path: Path) -> None:
    fast = is_valid(data, WAIVER_FILE_SCHEMA)
    try:
        parsed = WaiverFile.model_validate(data)
    except ValidationError:
        assert not fast, "the schema accepts a waiver file the models refuse"
        return
    assert fast, "the schema refuses a waiver file the models accept"
    path = tmp_path / "waivers.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    rules = {entry.rule for entry in parsed.waivers}
    scoped = [(entry.rule, entry.programme) for entry in parsed.waivers]
    if not rules <= set(RULESET.by_id()) or len(set(scoped)) != len(scoped):
        return  # an unknown or repeated rule: refused the same way whichever path read it
    waivers, scopes = read_waiver_file(path, RULESET)
    assert [(w.rule, w.reason, w.approved_by, w.expires) for w in waivers] == [
        (e.rule, e.reason, e.approved_by, e.expires) for e in parsed.waivers
    ]
    assert list(scopes) == [entry.programme for entry in parsed.waivers]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"waivers": []},
        {"waivers": None},
        {
            "waivers": [
                {"rule": "FRM002", "reason": "r", "approved_by": "a", "expires": "2027-01-31"}
            ]
        },
        {
            "waivers": [
                {"rule": "FRM002", "reason": "r", "approved_by": "a", "expires": "2027-02-31"}
            ]
        },
        {
            "waivers": [
                {"rule": "FRM002", "reason": "r", "approved_by": "", "expires": "2027-01-31"}
            ]
        },
        {
            "waivers": [
                {
                    "rule": "FRM002",
                    "reason": "r",
                    "approved_by": "a",
                    "expires": "2027-01-31",
                    "programme": "p1",
                }
            ]
        },
        {
            "waivers": [
                {
                    "rule": "FRM002",
                    "reason": "r",
                    "approved_by": "a",
                    "expires": "2027-01-31",
                    "extra": 1,
                }
            ]
        },
        {"waiver": []},
    ],
)
def test_waiver_files_get_one_answer(data: Any, tmp_path: Path) -> None:
    assert_one_answer_for_a_waiver_file(data, tmp_path)


@pytest.mark.slow
@FUZZ
@given(data=WAIVER_FILES, rule=st.sampled_from(["FRM002", "COM002", "XYZ001"]))
def test_fuzzed_waiver_files_get_one_answer(data: dict[str, Any], rule: str) -> None:
    for entry in data.get("waivers") or []:
        if isinstance(entry, dict) and "rule" in entry:
            entry["rule"] = rule  # mostly real rule ids, so valid files are read through
    with tempfile.TemporaryDirectory() as folder:
        assert_one_answer_for_a_waiver_file(data, Path(folder))


# --- no pydantic on the way ----------------------------------------------------------------

PLAIN_PATH = """
import sys
from pathlib import Path
from cvecheck.loader import load_file
from cvecheck.programme.openness import completed_view, open_lists
from cvecheck.programme.validation import validated
from cvecheck.programme.view import evaluation_view
from cvecheck.waivers import programme_waivers
import cvecheck.engine, cvecheck.questions



class Rules:  # loading rules is the rules' stage; the waivers need only the ids
    deselected = frozenset()

    def by_id(self):
        return {"FRM002": None}


loaded = load_file(Path(sys.argv[1]))
stated = validated(loaded)
view = evaluation_view(stated)
completed_view(view), open_lists(view)
assert [w.rule for w in programme_waivers(stated, loaded.source_map, Rules())] == ["FRM002"]
waiver_file = Path(sys.argv[2])
waiver_file.write_text(
    "waivers:\\n  - {rule: FRM002, reason: r, approved_by: a, expires: 2027-01-31}\\n"
)
from cvecheck.waivers import read_waiver_file
assert [w.rule for w in read_waiver_file(waiver_file, Rules())[0]] == ["FRM002"]
print(sorted(name for name in sys.modules if name.split(".")[0] in ("pydantic", "pydantic_core")))
"""


def test_the_plain_path_imports_no_pydantic(tmp_path: Path) -> None:
    example = EXAMPLES_DIR / "online-counter-messaging.yaml"
    done = subprocess.run(
        [sys.executable, "-c", PLAIN_PATH, str(example), str(tmp_path / "waivers.yaml")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]", done.stdout


def test_a_refused_file_still_gets_the_models_located_issues() -> None:
    loaded = load_text("programme:\n  online_work: yes\n", "p.yaml")
    with pytest.raises(InputError) as raised:
        validated(loaded)
    [issue] = raised.value.issues
    assert (issue.code, issue.location.line) == ("not-true-or-false", 2)


def test_waivers_on_the_plain_path() -> None:
    text = (
        "waivers:\n  - rule: FRM002\n    reason: agreed\n    approved_by: board\n"
        "    expires: 2026-06-01\n"
    )
    loaded = load_text(text, "p.yaml")
    [waiver] = programme_waivers(validated(loaded), loaded.source_map, RULESET)
    assert (waiver.rule, waiver.expires, waiver.location.line) == ("FRM002", date(2026, 6, 1), 2)
    unknown = RuleSet((), RULESET.packs)
    with pytest.raises(InputError):
        programme_waivers(validated(loaded), loaded.source_map, unknown)
