"""`cvecheck interview` end to end: scripted through standard input, and at a real terminal."""

from __future__ import annotations

import difflib
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from cvecheck import check_text, load_rules
from cvecheck.results import Status
from cvecheck.template import programme_template

PACK = Path(__file__).parents[1] / "fixtures" / "interview-pack"
CVECHECK = [sys.executable, "-m", "cvecheck"]


def interview(path: Path, answers: str, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CVECHECK, "interview", path.name, "--rules", str(PACK), *options],
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=path.parent,
    )


def statuses(path: Path) -> dict[str, Status]:
    report = check_text(path.read_text(encoding="utf-8"), path.name, load_rules([PACK]))
    return {r.rule_id: r.status for r in report.results}


SCRIPT = "\n".join(
    [
        "y",  # programme.online_work
        "y",  # formers.used
        "y",  # community_and_reporting.receives_concerns
        "y",  # formers.training.before_delivery
        "County Police",  # multi_agency.partners: first agency
        "1",  # its sector: police
        "",  # no more partners
        "3",  # updates to reporter: no -> a gap
        "",  # online evaluator: don't know
        "n",  # gender analysis -> a gap
        "",
    ]
)


def test_scripted_interview_from_a_new_file_to_no_open_gate(tmp_path: Path) -> None:
    target = tmp_path / "new.yaml"
    result = interview(target, SCRIPT)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    flat = " ".join(out.split())
    assert out.startswith("Wrote new.yaml from the template")
    assert (tmp_path / "programme.schema.json").is_file()
    # gates first, each with the number of rules waiting, in file order
    order = [
        "Does the programme include online work? (1 rule waits on this answer)",
        "Does the programme involve former extremists in any role? (1 rule waits",
        "Does the programme receive concerns raised by family, friends or community",
        "== formers: Involvement of former extremists",
        "== multi_agency: Partners and coordination",
        "== community_and_reporting:",
        "== online: Online work, if any",
        "== gender: Gendered approaches",
    ]
    positions = [out.index(text) for text in order]
    assert positions == sorted(positions)
    assert (
        "Reporters are not told what happened next: that is a gap against the review's "
        "recommendation to tell people who raise a concern what happened next (INT001)." in flat
    )
    assert "What to do: Agree what can be shared with a reporter and record it." in flat
    assert "-- After gender: 1 answer written; 1 rule settled (1 gap)." in out
    assert "Done: 8 questions asked, 7 answers written to new.yaml." in out
    assert "Still open: 1 field (0 deciding which rules apply)." in out
    assert statuses(target) == {
        "INT001": Status.GAP,
        "INT002": Status.PASS,
        "INT003": Status.GAP,
        "INT004": Status.CANNOT_ASSESS,
        "INT005": Status.CANNOT_ASSESS,
    }
    text = target.read_text(encoding="utf-8")
    assert "    - agency: County Police\n      sector: police\n" in text
    # What the interview wrote is valid for editors: no blank (null) left where it answered.
    schema = json.loads((tmp_path / "programme.schema.json").read_text(encoding="utf-8"))
    errors = list(Draft202012Validator(schema).iter_errors(yaml.safe_load(text)))
    assert not errors, [e.message for e in errors]
    # every other line of the template is as init wrote it
    template = programme_template(tool_version="0.1.0").splitlines(keepends=True)
    new = text.splitlines(keepends=True)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, template, new).get_opcodes():
        if tag != "equal":
            removed += template[i1:i2]
            added += new[j1:j2]
    # Each answer uncomments its field, and the sections on the way, where the template has it.
    assert [line.strip() for line in removed] == [
        "# programme:",
        "# online_work:",
        "# formers:",
        "# used:",
        "# training:",
        "# before_delivery:",
        "# multi_agency:",
        "# partners:",
        "# community_and_reporting:",
        "# receives_concerns:",
        "# post_reporting_support:",
        "# updates_to_reporter:",
        "# policy:",
        "# gender:",
        "# gender_analysis:",
    ]
    assert [line.strip() for line in added] == [
        "programme:",
        "online_work: true",
        "formers:",
        "used: true",
        "training:",
        "before_delivery: true",
        "multi_agency:",
        "partners:",
        "- agency: County Police",
        "sector: police",
        "community_and_reporting:",
        "receives_concerns: true",
        "post_reporting_support:",
        "updates_to_reporter:",
        'policy: "no"',
        "gender:",
        "gender_analysis: false",
    ]


def test_an_answer_a_script_cannot_mean_stops_and_keeps_what_came_before(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text(programme_template(), encoding="utf-8")
    result = interview(target, "y\nperhaps\ny\n")
    assert result.returncode == 2
    assert "Stopped at line 2 of the input: Answer y (yes) or n (no)" in result.stdout
    assert "1 answer before it is saved." in result.stdout
    assert "online_work: true" in target.read_text(encoding="utf-8")
    assert "  # used:\n" in target.read_text(encoding="utf-8")  # the answer not understood


def test_dot_stops_and_section_limits_the_questions(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text(programme_template(), encoding="utf-8")
    result = interview(target, "y\n.\n", "--section", "community_and_reporting")
    assert result.returncode == 0
    assert "in section community_and_reporting: 1 field to ask about" in result.stdout
    assert "formers" not in result.stdout.split("Stopped:")[0]
    assert "Stopped: 1 question asked, 1 answer written" in result.stdout
    bad = interview(target, "", "--section", "nowhere")
    assert bad.returncode == 2
    assert "no section 'nowhere'" in bad.stderr


@pytest.mark.parametrize("pack", ["fixture", "shipped"])
def test_the_template_answered_dont_know_everywhere_is_unchanged(tmp_path: Path, pack: str) -> None:
    target = tmp_path / "p.yaml"
    text = programme_template()
    target.write_text(text, encoding="utf-8")
    rules = ["--rules", str(PACK)] if pack == "fixture" else []
    result = subprocess.run(
        [*CVECHECK, "interview", str(target), *rules],
        input="\n" * 400,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Done:" in result.stdout and " 0 answers written" in result.stdout
    assert target.read_bytes() == text.encode("utf-8")


COMMENTED = """\
# Riverside: a hand-written description, with comments everywhere.
schema_version: "1"

programme:
  name: Riverside Mentoring   # the public name
  # where it works; more to come
  settings: [community, online]
  # who funds it
  funding:
    sources: [City Council]

# --- people ---------------------------------------------------------------
formers:
  # not decided yet
  used:

community_and_reporting:
  receives_concerns: true  # from families, mostly
  post_reporting_support:
    # nothing agreed yet
    emotional_support: true

gender:
  female_providers_available: true

# closing remark, kept at the end
"""


def test_three_answers_leave_every_other_line_of_a_commented_file_byte_identical(
    tmp_path: Path,
) -> None:
    target = tmp_path / "riverside.yaml"
    target.write_bytes(COMMENTED.encode("utf-8"))
    # formers.used, then before_delivery (skipped), partners (skipped), policy, evaluator, gender
    result = interview(target, "n\n\n2\n\ny\n")
    assert result.returncode == 0, result.stdout + result.stderr
    after = target.read_text(encoding="utf-8")
    before_lines = COMMENTED.splitlines(keepends=True)
    after_lines = after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, before_lines, after_lines, autojunk=False)
    removed: list[str] = []
    added: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += before_lines[i1:i2]
            added += after_lines[j1:j2]
    assert removed == ["  used:\n"]
    assert added == [
        "  used: false\n",
        "    updates_to_reporter:\n",
        "      policy: limited\n",
        "  gender_analysis: true\n",
    ]
    assert after.endswith(
        "  female_providers_available: true\n\n# closing remark, kept at the end\n"
    )
    assert statuses(target)["INT001"] is Status.PASS


# --- at a real terminal ----------------------------------------------------------------------


class Terminal:
    """A child process on a pseudo-terminal, read until an expected text appears."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: run cvecheck with the terminal as its stdin and stdout
            os.chdir(cwd)
            os.execv(args[0], args)
        self.output = ""
        self.seen = 0

    def expect(self, text: str, timeout: float = 60) -> None:
        """Wait for ``text`` after what was last expected; line breaks count as spaces."""
        deadline = time.monotonic() + timeout
        pattern = re.compile(r"\s+".join(re.escape(word) for word in text.split(" ")))
        while True:
            found = pattern.search(self.output, self.seen)
            if found:
                self.seen = found.end()
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{text!r} not seen; output so far:\n{self.output}")
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the child closed the terminal
                    chunk = b""
                if not chunk:
                    raise AssertionError(f"{text!r} not seen before the end:\n{self.output}")
                self.output += chunk.decode("utf-8", "replace").replace("\r\n", "\n")

    def send(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))

    def wait(self) -> int:
        # drain what is left so the child never blocks on a full terminal
        while True:
            try:
                ready, _, _ = select.select([self.fd], [], [], 10)
                chunk = os.read(self.fd, 4096) if ready else b""
            except OSError:
                chunk = b""
            if not chunk:
                break
            self.output += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        # A child still waiting for an answer would block waitpid for ever: give it a while,
        # then end it and fail with what it printed.
        deadline = time.monotonic() + 30
        while True:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                os.close(self.fd)
                raise AssertionError(f"the interview did not end; output so far:\n{self.output}")
            time.sleep(0.05)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status)


def at_terminal(path: Path) -> Terminal:
    args = [sys.executable, "-m", "cvecheck", "interview", path.name, "--rules", str(PACK)]
    return Terminal(args, path.parent)


def test_interactive_interview_at_a_terminal(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text(programme_template(), encoding="utf-8")
    term = at_terminal(target)
    term.expect("Does the programme include online work?")
    term.expect("> ")
    term.send("somewhere\n")  # not an answer: asked again
    term.expect("Answer y")
    term.send("n\n")
    term.expect("Does the programme involve former extremists")
    term.expect("> ")
    term.send("n\n")
    term.expect("Does the programme receive concerns")
    term.expect("> ")
    term.send("y\n")
    term.expect("Which partner agencies")
    term.expect("no more] > ")
    term.send("\n")  # don't know
    term.expect("Are people who raise a concern told what happened next?")
    term.expect("empty: don't know] > ")
    term.send("3\n")
    term.expect("that is a gap against the review's recommendation")
    term.expect("> ")  # gender
    term.send(".\n")
    assert term.wait() == 0
    assert "Stopped: 5 questions asked, 4 answers written" in term.output
    assert statuses(target)["INT001"] is Status.GAP
    assert statuses(target)["INT002"] is Status.NOT_APPLICABLE


def test_ctrl_c_keeps_the_answers_given_and_leaves_a_valid_file(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text(programme_template(), encoding="utf-8")
    term = at_terminal(target)
    term.expect("Does the programme include online work?")
    term.expect("> ")
    term.send("y\n")
    term.expect("Does the programme involve former extremists")
    term.expect("> ")
    # A person presses Ctrl-C while the prompt waits. Sent within microseconds of the prompt,
    # SIGINT can land before input() has started to read, and Python then reads on.
    time.sleep(0.5)
    term.send("\x03")  # Ctrl-C: the terminal sends SIGINT
    code = term.wait()
    assert code == 130, term.output
    assert "Interrupted. 1 answer given so far is saved in p.yaml." in term.output
    text = target.read_text(encoding="utf-8")
    assert "  online_work: true\n" in text
    check_text(text, "p.yaml")  # valid, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_sigint_while_writing_never_leaves_a_half_written_file(tmp_path: Path) -> None:
    """Interrupt many times at random moments: the file is always whole and valid."""
    target = tmp_path / "p.yaml"
    target.write_text(programme_template(), encoding="utf-8")
    script = "y\ny\ny\n" + "\n" * 20
    for delay in (0.05, 0.3, 0.6, 0.9):
        process = subprocess.Popen(
            [*CVECHECK, "interview", str(target), "--rules", str(PACK)],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert process.stdin is not None
        process.stdin.write(script)
        process.stdin.flush()
        time.sleep(delay)
        process.send_signal(signal.SIGINT)
        process.stdin.close()
        process.wait(timeout=60)
        check_text(target.read_text(encoding="utf-8"), "p.yaml")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_a_waiver_is_offered_for_a_new_gap_when_asked_for(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text(programme_template(), encoding="utf-8")
    script = "n\nAnalysis planned for the spring\nProgramme board\n2099-01-01\n"
    result = interview(target, script, "--section", "gender", "--offer-waivers")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "record a waiver for INT003" in " ".join(result.stdout.split())
    text = target.read_text(encoding="utf-8")
    assert (
        "waivers:\n"
        "  - rule: INT003\n"
        "    reason: Analysis planned for the spring\n"
        "    approved_by: Programme board\n"
        "    expires: 2099-01-01\n"
    ) in text
    assert statuses(target)["INT003"] is Status.WAIVED
    # without the option nothing is offered, and the next line answers nothing else
    plain = tmp_path / "q.yaml"
    plain.write_text(programme_template(), encoding="utf-8")
    result = interview(plain, "n\n", "--section", "gender")
    assert "waiver" not in result.stdout
    assert statuses(plain)["INT003"] is Status.GAP


def test_a_file_that_cannot_be_checked_is_an_input_error(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("programme:\n  nmae: Riverside\n", encoding="utf-8")
    result = interview(target, "")
    assert result.returncode == 2
    assert "p.yaml:2:3" in result.stderr and "not a known field" in result.stderr
    assert target.read_text(encoding="utf-8") == "programme:\n  nmae: Riverside\n"


def test_control_characters_in_a_file_name_are_shown_escaped(tmp_path: Path) -> None:
    target = tmp_path / "p\x1b[2J.yaml"
    result = interview(target, ".\n")
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout
    assert "p\\x1b[2J.yaml" in result.stdout
