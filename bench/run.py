"""Benchmark cvecheck as users run it: whole commands, side by side, in one run on one machine.

    make bench                          # installs the peer tools, then runs this script
    python bench/run.py [--files 10000] [--small-files 2000] [--peer-files 1000] [--rounds 3]

First table, whole commands (what a user or a CI job waits for): every command runs in its
own process, with its output sent to /dev/null, and is timed from start to exit. Each pair of
commands runs alternately (A B A B ...), so a busy machine slows both sides alike; a ratio is
the median of the per-round ratios. Peak memory is the operating system's figure for the
process and any workers it waited for (``os.wait4``'s ``ru_maxrss``).
- ``cvecheck check one.yaml``, ``--help``, ``--version``, ``rules``, ``explain`` against
  ``python -c pass`` in the same interpreter;
- ``cvecheck check --jobs 1 DIR`` (table, JSON, SARIF) at two corpus sizes against a script
  that only loads each file with ``yaml.CSafeLoader``; two workers against one;
- check-jsonschema (with the schema ``cvecheck schema`` exports) and yamllint on the same
  files against ``cvecheck check``.

Second table, in-process (what the engine costs without start-up, rules loading or
rendering): ``batch.check_paths`` against the parse-only floor in a fresh interpreter, and
jsonschema-rs against the jsonschema library on every predicate.

The corpus is generated from the shipped examples (``bench/corpus.py``). Ratios are what to
compare between machines, not the absolute figures.
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
        f"In-process: batch.check_paths over {len(paths):,} files, best of {repeat} "
        "interleaved runs (fresh interpreter each; no start-up, rule loading or rendering)"
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
    row("one process / floor", f"{one / floor:.2f}x")
    row("two workers / one process", f"{two / one:.2f}x")
    if best["one"]["invalid"]:
        row("files refused as invalid (should be 0)", str(best["one"]["invalid"]))
    peak_one = best["one"]["maxrss_kib"]
    peak_workers = best["two"]["children_maxrss_kib"]
    row("peak memory, one process", mib(peak_one))
    row("peak memory, largest worker", mib(peak_workers))
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
    )
    row(
        "  (the list of paths itself, kept by any batch)",
        f"{(best['one']['baseline_maxrss_kib'] - got_small['baseline_maxrss_kib']) / 1024:+.1f} MiB",
    )


def evaluator_section(paths: list[Path], work: Path, dirs: list[Path]) -> None:
    section(
        "In-process: evaluator, every predicate of the loaded rules on real values from the corpus"
    )
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


# --- whole commands --------------------------------------------------------------------------


FLOOR_SCRIPT = (
    "import pathlib, sys, yaml\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)\n"
)


def run(command: Sequence[str], cwd: Path | None = None) -> tuple[float, int]:
    """Seconds from start to exit, and the peak resident KiB of the process and its workers."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd
    )
    _, _, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = 0  # reaped above; stops Popen from waiting again
    return seconds, usage.ru_maxrss


class Pair:
    """Two commands run alternately; medians of each side and of the per-round ratios."""

    def __init__(self, base: Sequence[str], other: Sequence[str], rounds: int) -> None:
        self.base: list[float] = []
        self.other: list[float] = []
        self.base_kib = self.other_kib = 0
        for _ in range(rounds):
            seconds, kib = run(base)
            self.base.append(seconds)
            self.base_kib = max(self.base_kib, kib)
            seconds, kib = run(other)
            self.other.append(seconds)
            self.other_kib = max(self.other_kib, kib)

    @property
    def ratio(self) -> float:
        return statistics.median(o / b for o, b in zip(self.other, self.base, strict=True))

    def figure(self, per: int = 0) -> str:
        base, other = statistics.median(self.base), statistics.median(self.other)
        if per:
            return f"{self.ratio:.2f}x ({other / per * 1e3:.2f} vs {base / per * 1e3:.2f} ms/file)"
        return f"{self.ratio:.1f}x ({other * 1e3:.0f} vs {base * 1e3:.0f} ms)"


def cvecheck_command() -> list[str]:
    script = BIN / "cvecheck"
    return [str(script)] if script.exists() else [sys.executable, "-m", "cvecheck"]


def cold_section(one_file: Path, rounds: int, dirs: list[Path]) -> None:
    section(
        f"Whole commands, cold start: median of {rounds} alternating runs against python -c pass"
    )
    cvecheck = cvecheck_command()
    rules_args = [a for d in dirs for a in ("--rules", str(d))]
    python = [sys.executable, "-c", "pass"]
    commands = [
        ("cvecheck check one.yaml", [*cvecheck, "check", *rules_args, str(one_file)], 8),
        ("cvecheck --help", [*cvecheck, "--help"], 5),
        ("cvecheck --version", [*cvecheck, "--version"], 5),
        ("cvecheck rules", [*cvecheck, "rules", *rules_args], 8),
        ("cvecheck explain FRM002", [*cvecheck, "explain", *rules_args, "FRM002"], 8),
    ]
    run(commands[0][1])  # fills the rule cache, as any earlier run would have
    for name, command, limit in commands:
        pair = Pair(python, command, rounds)
        row(f"{name} / python -c pass", pair.figure(), f"<= {limit}x", pair.ratio <= limit)


def corpus_dir(paths: list[Path], work: Path) -> Path:
    """A folder holding exactly these files (hard links), for ``check DIR``."""
    folder = work / f"dir-{len(paths)}"
    if not folder.exists():
        folder.mkdir()
        for path in paths:
            try:
                os.link(path, folder / path.name)
            except OSError:
                shutil.copyfile(path, folder / path.name)
    return folder


def batch_commands_section(
    sizes: list[tuple[list[Path], int]], work: Path, dirs: list[Path]
) -> dict[int, Path]:
    """``check --jobs 1 DIR`` per format against the parse-only floor, at each corpus size."""
    cvecheck = cvecheck_command()
    rules_args = [a for d in dirs for a in ("--rules", str(d))]
    folders: dict[int, Path] = {}
    peaks: dict[str, list[tuple[int, int]]] = {}
    for paths, rounds in sizes:
        n = len(paths)
        folder = folders[n] = corpus_dir(paths, work)
        section(
            f"Whole commands, {n:,} files: check --jobs 1 DIR (output to /dev/null) against "
            f"loading each file with yaml.CSafeLoader; median of {rounds} alternating runs"
        )
        floor = [sys.executable, "-c", FLOOR_SCRIPT, str(folder)]
        for fmt in ("table", "json", "sarif"):
            command = [*cvecheck, "check", "--jobs", "1", "-f", fmt, *rules_args, str(folder)]
            pair = Pair(floor, command, rounds)
            row(f"-f {fmt}, {n:,} files / floor", pair.figure(per=n), "<= 1.5x", pair.ratio <= 1.5)
            peaks.setdefault(fmt, []).append((n, pair.other_kib))
        if n == min(len(p) for p, _ in sizes) or len(sizes) == 1:
            one = [*cvecheck, "check", "--jobs", "1", *rules_args, str(folder)]
            two = [*cvecheck, "check", "--jobs", "2", *rules_args, str(folder)]
            pair = Pair(one, two, rounds)
            row(
                f"two workers / --jobs 1, {n:,} files",
                pair.figure(per=n),
                "<= 0.55x",
                pair.ratio <= 0.55,
            )
    section("Whole commands, peak memory (operating system's figure, largest process)")
    for fmt, figures in peaks.items():
        text = " -> ".join(f"{mib(kib)} at {n:,}" for n, kib in figures)
        largest = max(kib for _, kib in figures)
        flat = max(kib for _, kib in figures) - min(kib for _, kib in figures) < 5 * 1024
        row(f"peak memory, -f {fmt}", text, "<= 60 MiB, flat", largest <= 60 * 1024 and flat)
    return folders


def peers_section(paths: list[Path], work: Path, dirs: list[Path], rounds: int) -> None:
    section(
        f"Whole commands, peers on the same {len(paths):,} files: "
        f"median of {rounds} alternating runs against cvecheck check (defaults)"
    )
    cvecheck = cvecheck_command()
    schema = work / "programme.schema.json"
    schema.write_text(
        subprocess.run([*cvecheck, "schema"], capture_output=True, text=True, check=True).stdout
    )
    folder = corpus_dir(paths, work)
    files = [str(folder / p.name) for p in paths]
    rules_args = [a for d in dirs for a in ("--rules", str(d))]
    ours = [*cvecheck, "check", *rules_args, str(folder)]
    peers = {
        "check-jsonschema": _tool("check-jsonschema", ["--schemafile", str(schema), *files]),
        "yamllint": _tool(
            "yamllint",
            [
                "-d",
                "{extends: default, rules: {line-length: disable, document-start: disable}}",
                *files,
            ],
        ),
    }
    for name, command in peers.items():
        if command is None:
            row(f"{name} / cvecheck check", "not installed", f"run: {INSTALL_HINT}")
            continue
        pair = Pair(ours, command, rounds)
        row(f"{name} / cvecheck check", pair.figure(), ">= 10x", pair.ratio >= 10)


def _tool(name: str, args: list[str]) -> list[str] | None:
    found = BIN / name if (BIN / name).exists() else shutil.which(name)
    return [str(found), *args] if found else None


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        _child(*sys.argv[2:6])
        return
    parser = argparse.ArgumentParser(description="Benchmark cvecheck (see the module docstring).")
    parser.add_argument("--files", type=int, default=10_000, help="the larger corpus size")
    parser.add_argument("--small-files", type=int, default=2_000, help="the smaller corpus size")
    parser.add_argument("--peer-files", type=int, default=1_000, help="files given to each peer")
    parser.add_argument(
        "--inprocess-files", type=int, default=2_000, help="files for the in-process figures"
    )
    parser.add_argument("--corpus", type=Path, help="reuse (or create) the corpus in this folder")
    parser.add_argument(
        "--rules",
        type=Path,
        action="append",
        default=[],
        help="rule pack folder(s); default: the built-in pack",
    )
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per pair")
    parser.add_argument(
        "--large-rounds", type=int, default=1, help="rounds at the larger corpus size"
    )
    parser.add_argument("--cold-rounds", type=int, default=11)
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--skip-inprocess", action="store_true")
    args = parser.parse_args()
    small = min(args.small_files, args.files)

    with tempfile.TemporaryDirectory(prefix="cvecheck-bench-") as temp:
        work = Path(temp)
        corpus = args.corpus or work / "corpus"
        paths = sorted(corpus.glob("programme-*.yaml"))[: args.files]
        if len(paths) < args.files:
            paths = generate(args.files, corpus)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        print(
            f"cvecheck benchmark: {len(paths):,} generated programme files, "
            f"{size / 1024:.1f} KB on average"
        )
        print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores; {os.uname().machine}")
        cold_section(paths[0], args.cold_rounds, args.rules)
        sizes = [(paths[:small], args.rounds)]
        if len(paths) > small:
            sizes.append((paths, args.large_rounds))
        batch_commands_section(sizes, work, args.rules)
        if not args.skip_peers:
            peers_section(paths[: args.peer_files], work, args.rules, args.rounds)
        if not args.skip_inprocess:
            inprocess = paths[: args.inprocess_files]
            batch_section(inprocess, work, args.rules, args.rounds)
            evaluator_section(inprocess, work, args.rules)
    failed = [r for r in ROWS if r[3] == "NOT met"]
    print(f"\n{len([r for r in ROWS if r[3] == 'met'])} targets met, {len(failed)} not met.")


if __name__ == "__main__":
    main()
