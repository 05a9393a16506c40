"""Benchmark cvecheck: figures and ratios measured side by side in one run, on one machine.

    make bench                          # installs the peer tools, then runs this script
    python bench/run.py [--files 10000] [--peer-files 300] [--rules DIR ...] [--skip-peers]

What it measures (docs/performance.md has the targets and the last figures):
- floor: parsing the corpus with PyYAML's C loader and nothing else, in one process;
- batch: ``batch.check_paths`` over the same files (load, validate, every rule, summary) in one
  process, and with two worker processes; peak memory per process, at two corpus sizes;
- evaluator: jsonschema-rs (production) against the jsonschema library on every predicate;
- cold commands: ``cvecheck check`` of one file, ``--help``, ``--version`` and ``rules``
  against ``python -c pass``;
- peers on the same files: check-jsonschema with the exported programme schema, yamllint, and
  Spectral with a ruleset generated from the loaded rules.

Every timing is the best of several interleaved repeats, so a busy machine slows all sides
alike; ratios are what to compare between machines, not the absolute figures. Each in-process
measurement runs in a fresh interpreter so imports and memory do not leak between them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

from corpus import generate  # noqa: E402

BIN = Path(sys.executable).parent
SPECTRAL = BENCH / ".npm" / "node_modules" / ".bin" / "spectral"
INSTALL_HINT = "make bench-tools"


# --- measurements that run inside a fresh interpreter -----------------------------------------


def _child(kind: str, list_file: str, jobs: str, rule_dirs: str) -> None:
    paths = [Path(line) for line in Path(list_file).read_text().splitlines()]
    dirs = [Path(d) for d in json.loads(rule_dirs)] or None
    result: dict[str, Any] = {}
    if kind == "floor":
        import yaml

        start = time.perf_counter()
        for path in paths:
            yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        result["seconds"] = time.perf_counter() - start
    elif kind == "check":
        from cvecheck.batch import check_paths
        from cvecheck.results import Status
        from cvecheck.rule_cache import cached_rules, default_cache_dir

        ruleset = cached_rules(dirs, cache_dir=default_cache_dir())  # as the command line does
        totals = dict.fromkeys(Status, 0)
        invalid = 0
        # The peak so far (interpreter, rules, the list of paths): growth past it is the batch's.
        result["baseline_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        for outcome in check_paths(
            paths, ruleset, today=date.today(), jobs=int(jobs), rule_dirs=dirs
        ):
            if outcome.report is None:
                invalid += 1
                continue
            for status, count in outcome.report.counts().items():
                totals[status] += count
        result["seconds"] = time.perf_counter() - start
        result["rules"] = len(ruleset.rules)
        result["invalid"] = invalid
        result["results"] = sum(totals.values())
    elif kind == "evaluator":
        result = _evaluator(paths, dirs)
    result["maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result["children_maxrss_kib"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps(result))


def _evaluator(paths: list[Path], dirs: list[Path] | None) -> dict[str, Any]:
    """Per-predicate cost of the two JSON Schema libraries on real values from the corpus."""
    import jsonschema
    import jsonschema_rs

    from cvecheck.loader import load_file
    from cvecheck.programme import evaluation_view, parse_programme
    from cvecheck.rules import load_rules

    ruleset = load_rules(dirs)
    schemas = [
        schema
        for compiled in ruleset.rules
        for predicate in [c.require for c in compiled.rule.applies_when]
        + [r.require for r in compiled.rule.requirements]
        for schema in predicate.values()
    ]
    views = [evaluation_view(parse_programme(load_file(p))) for p in paths[:300]]
    # Every predicate on every top-level section of every programme: real values, real shapes.
    values = [value for view in views for value in view.values()]

    def timed(function: Callable[[], object]) -> float:
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            function()
            best = min(best, time.perf_counter() - start)
        return best

    slow = [jsonschema.Draft202012Validator(s) for s in schemas]
    fast = [jsonschema_rs.Draft202012Validator(s, offline=True) for s in schemas]
    calls = len(schemas) * len(values)
    slow_verdicts = [[v.is_valid(x) for x in values] for v in slow]
    fast_verdicts = [[v.is_valid(x) for x in values] for v in fast]
    return {
        "predicates": len(schemas),
        "calls": calls,
        "same_verdicts": slow_verdicts == fast_verdicts,
        "jsonschema_us_per_call": timed(lambda: [[v.is_valid(x) for x in values] for v in slow])
        / calls
        * 1e6,
        "jsonschema_rs_us_per_call": timed(lambda: [[v.is_valid(x) for x in values] for v in fast])
        / calls
        * 1e6,
        "jsonschema_check_schema_us": timed(
            lambda: [jsonschema.Draft202012Validator.check_schema(s) for s in schemas]
        )
        / len(schemas)
        * 1e6,
        "jsonschema_rs_meta_us": timed(lambda: [jsonschema_rs.meta.validate(s) for s in schemas])
        / len(schemas)
        * 1e6,
        "jsonschema_build_us": timed(lambda: [jsonschema.Draft202012Validator(s) for s in schemas])
        / len(schemas)
        * 1e6,
        "jsonschema_rs_build_us": timed(
            lambda: [jsonschema_rs.Draft202012Validator(s, offline=True) for s in schemas]
        )
        / len(schemas)
        * 1e6,
    }


def measure(
    kind: str, paths: Sequence[Path], work: Path, jobs: int, dirs: list[Path]
) -> dict[str, Any]:
    list_file = work / f"list-{len(paths)}.txt"
    if not list_file.exists():
        list_file.write_text("\n".join(str(p) for p in paths))
    output = subprocess.run(
        [
            sys.executable,
            __file__,
            "_child",
            kind,
            str(list_file),
            str(jobs),
            json.dumps([str(d) for d in dirs]),
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(json.loads(output.splitlines()[-1]))


def wall(command: Sequence[str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, check=False
    )
    return time.perf_counter() - start


# --- the report ------------------------------------------------------------------------------

ROWS: list[tuple[str, str, str, str]] = []


def row(name: str, figure: str, target: str = "", verdict: bool | None = None) -> None:
    status = "" if verdict is None else ("met" if verdict else "NOT met")
    ROWS.append((name, figure, target, status))
    print(f"  {name:<52} {figure:>22}  {target:<14} {status}", flush=True)


def section(title: str) -> None:
    print(f"\n{title}", flush=True)


def mib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def batch_section(paths: list[Path], work: Path, dirs: list[Path], repeat: int) -> None:
    section(
        f"Batch: {len(paths):,} files, best of {repeat} interleaved runs (fresh interpreter each)"
    )
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):
        for label, kind, jobs in (("floor", "floor", 1), ("one", "check", 1), ("two", "check", 2)):
            got = measure(kind, paths, work, jobs, dirs)
            if label not in best or got["seconds"] < best[label]["seconds"]:
                best[label] = got
    floor, one, two = best["floor"]["seconds"], best["one"]["seconds"], best["two"]["seconds"]
    n = len(paths)
    row("parse-only floor (CSafeLoader)", f"{floor:.2f} s, {floor / n * 1e6:.0f} us/file")
    row(
        f"cvecheck, one process ({best['one']['rules']} rules)",
        f"{one:.2f} s, {one / n * 1e6:.0f} us/file",
    )
    row("cvecheck, two workers", f"{two:.2f} s, {two / n * 1e6:.0f} us/file")
    row("one process / floor", f"{one / floor:.2f}x", "<= 1.30x", one / floor <= 1.3)
    row("two workers / one process", f"{two / one:.2f}x", "<= 0.55x", two / one <= 0.55)
    if best["one"]["invalid"]:
        row("files refused as invalid (should be 0)", str(best["one"]["invalid"]))
    peak_one = best["one"]["maxrss_kib"]
    peak_workers = best["two"]["children_maxrss_kib"]
    row("peak memory, one process", mib(peak_one), "<= 50 MiB", peak_one <= 50 * 1024)
    row("peak memory, largest worker", mib(peak_workers), "<= 50 MiB", peak_workers <= 50 * 1024)
    small = paths[: max(1, len(paths) // 10)]
    got_small = measure("check", small, work, 1, dirs)
    growth_small = got_small["maxrss_kib"] - got_small["baseline_maxrss_kib"]
    growth_large = peak_one - best["one"]["baseline_maxrss_kib"]
    row(
        f"memory the checking adds, {len(small):,} files",
        f"{growth_small / 1024:+.1f} MiB",
    )
    row(
        f"memory the checking adds, {n:,} files",
        f"{growth_large / 1024:+.1f} MiB",
        "flat (< 2 MiB more)",
        growth_large - growth_small < 2 * 1024,
    )
    row(
        "  (the list of paths itself, kept by any batch)",
        f"{(best['one']['baseline_maxrss_kib'] - got_small['baseline_maxrss_kib']) / 1024:+.1f} MiB",
    )


def evaluator_section(paths: list[Path], work: Path, dirs: list[Path]) -> None:
    section("Evaluator: every predicate of the loaded rules on real values from the corpus")
    got = measure("evaluator", paths, work, 1, dirs)
    row("predicates x values", f"{got['predicates']} x {got['calls'] // got['predicates']}")
    row(
        "same verdicts (jsonschema vs jsonschema-rs)",
        str(got["same_verdicts"]),
        "True",
        got["same_verdicts"],
    )
    slow, fast = got["jsonschema_us_per_call"], got["jsonschema_rs_us_per_call"]
    row("is_valid, jsonschema", f"{slow:.2f} us/call")
    row("is_valid, jsonschema-rs", f"{fast:.2f} us/call ({slow / fast:.0f}x)")
    slow, fast = got["jsonschema_check_schema_us"], got["jsonschema_rs_meta_us"]
    row("metaschema check, jsonschema", f"{slow:.0f} us/schema")
    row("metaschema check, jsonschema-rs", f"{fast:.1f} us/schema ({slow / fast:.0f}x)")
    slow, fast = got["jsonschema_build_us"], got["jsonschema_rs_build_us"]
    row("build a validator, jsonschema", f"{slow:.1f} us")
    row("build a validator, jsonschema-rs", f"{fast:.1f} us")


def cold_section(one_file: Path, rounds: int, dirs: list[Path]) -> None:
    section(f"Cold commands: best of {rounds} interleaved runs")
    script = BIN / "cvecheck"
    cvecheck = [str(script)] if script.exists() else [sys.executable, "-m", "cvecheck"]
    rules_args = [a for d in dirs for a in ("--rules", str(d))]
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "cvecheck check (one file)": [*cvecheck, "check", *rules_args, str(one_file)],
        "cvecheck --help": [*cvecheck, "--help"],
        "cvecheck --version": [*cvecheck, "--version"],
        "cvecheck rules": [*cvecheck, "rules", *rules_args],
    }
    limits = {"cvecheck check (one file)": 12}
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            times[name].append(wall(command))
    base = min(times["python -c pass"])
    for name in commands:
        best, median = min(times[name]), statistics.median(times[name])
        figure = f"{best * 1000:.0f} ms (median {median * 1000:.0f})"
        if name == "python -c pass":
            row(name, figure)
            continue
        limit = limits.get(name, 8)
        row(
            f"{name} / python -c pass",
            f"{best / base:.1f}x  {figure}",
            f"<= {limit}x",
            best / base <= limit,
        )


def spectral_ruleset(dirs: list[Path], target: Path) -> None:
    """The loaded rules' predicates as a Spectral ruleset: one `schema` check per path."""
    from cvecheck.rules import load_rules

    rules: dict[str, Any] = {}
    for compiled in load_rules(dirs or None, check_examples=False).rules:
        for requirement in compiled.rule.requirements:
            for index, (path, schema) in enumerate(requirement.require.items()):
                rules[f"{compiled.id}-{requirement.name}-{index}".lower()] = {
                    "description": requirement.gap,
                    "severity": "warn",
                    "given": "$." + path,
                    "then": {"function": "schema", "functionOptions": {"schema": schema}},
                }
    target.write_text(json.dumps({"rules": rules}, indent=1))


def peers_section(paths: list[Path], work: Path, dirs: list[Path], repeat: int) -> None:
    section(f"Peers on the same {len(paths):,} files: whole commands, best of {repeat}")
    script = BIN / "cvecheck"
    cvecheck = [str(script)] if script.exists() else [sys.executable, "-m", "cvecheck"]
    schema = work / "programme.schema.json"
    schema.write_text(
        subprocess.run([*cvecheck, "schema"], capture_output=True, text=True, check=True).stdout
    )
    ruleset = work / "spectral-ruleset.json"
    spectral_ruleset(dirs, ruleset)
    files = [str(p) for p in paths]
    rules_args = [a for d in dirs for a in ("--rules", str(d))]
    report = str(work / "report.json")
    commands: dict[str, list[str] | None] = {
        "cvecheck check": [*cvecheck, "check", *rules_args, *files],
        "cvecheck check -f json": [
            *cvecheck,
            "check",
            "-f",
            "json",
            "-o",
            report,
            *rules_args,
            *files,
        ],
        "cvecheck check -f json --jobs 1": [
            *cvecheck,
            "check",
            "-f",
            "json",
            "-o",
            report,
            "--jobs",
            "1",
            *rules_args,
            *files,
        ],
        "check-jsonschema": _tool("check-jsonschema", ["--schemafile", str(schema), *files]),
        "yamllint": _tool(
            "yamllint",
            [
                "-d",
                "{extends: default, rules: {line-length: disable, document-start: disable}}",
                *files,
            ],
        ),
        "spectral": [str(SPECTRAL), "lint", "--ruleset", str(ruleset), "--quiet", *files]
        if SPECTRAL.exists()
        else None,
    }
    times: dict[str, float] = {}
    for _ in range(repeat):
        for name, command in commands.items():
            if command is not None:
                times[name] = min(times.get(name, float("inf")), wall(command, cwd=work))
    ours = times["cvecheck check"]
    ours_json = times["cvecheck check -f json"]
    row("cvecheck check (defaults: table, one worker per core)", f"{ours:.2f} s")
    row("cvecheck check -f json -o FILE", f"{ours_json:.2f} s")
    row(
        "cvecheck check -f json -o FILE --jobs 1",
        f"{times['cvecheck check -f json --jobs 1']:.2f} s",
    )
    for name, command in commands.items():
        if name.startswith("cvecheck"):
            continue
        if command is None:
            row(name, "not installed", f"run: {INSTALL_HINT}")
            continue
        ratio = times[name] / ours
        row(
            f"{name} / cvecheck check",
            f"{ratio:.1f}x  ({times[name]:.2f} s)",
            ">= 10x",
            ratio >= 10,
        )
        row(f"{name} / cvecheck check -f json", f"{times[name] / ours_json:.1f}x")


def _tool(name: str, args: list[str]) -> list[str] | None:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    return [str(found), *args] if found else None


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(*sys.argv[2:6])
        return
    parser = argparse.ArgumentParser(description="Benchmark cvecheck (see the module docstring).")
    parser.add_argument(
        "--files", type=int, default=10_000, help="corpus size for the batch figures"
    )
    parser.add_argument("--peer-files", type=int, default=300, help="files given to each peer tool")
    parser.add_argument("--corpus", type=Path, help="reuse (or create) the corpus in this folder")
    parser.add_argument(
        "--rules",
        type=Path,
        action="append",
        default=[],
        help="rule pack folder(s); default: the built-in pack",
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-rounds", type=int, default=15)
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="cvecheck-bench-") as temp:
        work = Path(temp)
        corpus = args.corpus or work / "corpus"
        paths = sorted(corpus.glob("programme-*.yaml"))[: args.files]
        if len(paths) < args.files:
            paths = generate(args.files, corpus)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(
            f"cvecheck benchmark: {len(paths):,} generated programme files, {size / 1024:.1f} KB on average"
        )
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {os.uname().machine}")
        batch_section(paths, work, args.rules, args.repeat)
        evaluator_section(paths, work, args.rules)
        cold_section(paths[0], args.cold_rounds, args.rules)
        if not args.skip_peers:
            peers_section(paths[: args.peer_files], work, args.rules, args.repeat)
    failed = [r for r in ROWS if r[3] == "NOT met"]
    print(f"\n{len([r for r in ROWS if r[3] == 'met'])} targets met, {len(failed)} not met.")


if __name__ == "__main__":
    main()
