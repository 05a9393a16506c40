"""Generate a corpus of realistic programme files (about 5 KB each) from the shipped examples.

Each file starts from one of programme_examples/*.yaml and varies it the way real programmes
differ: sections left out (not stated), yes/no answers flipped, lists shortened or reordered,
numbers and names changed, free text rewritten. Every generated file is a valid programme, so
the benchmark measures the whole pipeline (load, validate, every rule, summary), not early exits.
The output is deterministic for a given seed.

    python bench/corpus.py OUT_DIR [--files 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "programme_examples"

WORDS = [
    "community",
    "youth",
    "family",
    "mentoring",
    "support",
    "referral",
    "panel",
    "school",
    "council",
    "trust",
    "partnership",
    "network",
    "local",
    "regional",
    "outreach",
    "safeguarding",
    "wellbeing",
    "education",
    "employment",
    "housing",
    "belonging",
    "identity",
    "resilience",
    "dialogue",
    "prevention",
    "recovery",
    "pathway",
    "project",
    "service",
    "northgate",
    "eastfield",
    "riverside",
    "hillcrest",
    "lakeside",
    "westmoor",
    "southbank",
]
KEEP_TOP_LEVEL = ("schema_version", "programme")


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize()


def _vary(value: Any, rng: random.Random, depth: int = 0, in_list: bool = False) -> Any:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            # Leave out some optional keys below the top level (not stated is realistic);
            # keys of list items may be required, so they stay.
            if depth >= 1 and not in_list and rng.random() < 0.06:
                continue
            out[key] = _vary(item, rng, depth + 1)
        return out
    if isinstance(value, list):
        items = [_vary(item, rng, depth + 1, in_list=True) for item in value]
        if len(items) > 1 and rng.random() < 0.3:
            rng.shuffle(items)
        if len(items) > 1 and rng.random() < 0.2:
            items = items[: rng.randint(1, len(items))]
        return items
    if isinstance(value, bool):
        return (not value) if rng.random() < 0.15 else value
    if isinstance(value, int):
        return max(0, value + rng.randint(-2, 3))
    if isinstance(value, str) and len(value) > 40:
        return _words(rng, 6, 24)
    return value


def generate(count: int, out_dir: Path, seed: int = 1, examples: Path = EXAMPLES) -> list[Path]:
    """Write ``count`` programme files into ``out_dir`` and return their paths."""
    sources = sorted(examples.glob("*.yaml"))
    if not sources:
        sys.exit(f"no programme examples in {examples}")
    # The shipped examples are trusted; parse them the ordinary way.
    bases = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sources]
    for base in bases:
        _stringify_dates(base)
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for index in range(count):
        base = bases[index % len(bases)]
        data = _vary(base, rng)
        for key in KEEP_TOP_LEVEL:
            if key in base:
                data[key] = data.get(key, base[key])
        data.get("programme", {})["name"] = f"{_words(rng, 2, 4)} programme {index}"
        data.pop("waivers", None)  # waivers name rules, which differ between rule packs
        text = f"# Generated programme {index} (seed {seed}) from {sources[index % len(sources)].name}\n"
        text += yaml.safe_dump(
            data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
        )
        path = out_dir / f"programme-{index:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _stringify_dates(value: Any) -> None:
    """safe_load reads dates as date objects; keep them as the ISO text the file had."""
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in list(items):
        if hasattr(item, "isoformat"):
            value[key] = item.isoformat()
        elif isinstance(item, (dict, list)):
            _stringify_dates(item)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.files, args.out_dir, args.seed)
    size = sum(p.stat().st_size for p in paths) / len(paths)
    print(f"wrote {len(paths)} files to {args.out_dir}, {size / 1024:.1f} KB on average")


if __name__ == "__main__":
    main()
