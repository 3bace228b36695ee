"""Reading the committed workflow back: the subset of YAML that workflow.py writes (no YAML library
needed), and the grader steps and reporter settings it holds, so that local grading runs exactly
what GitHub would run."""
from __future__ import annotations

import dataclasses
import json
import re

from dojo.classroom.workflow import GraderStep, WorkflowError

def parse_yaml(text: str):
    """Parse the YAML subset that workflow_text() writes: block mappings and sequences, quoted and
    plain scalars, one-line flow sequences. Anything else raises WorkflowError."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.rstrip()
        if not stripped or stripped.lstrip().startswith("#"):
            continue
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise WorkflowError(f"line {number}: tabs are not allowed in indentation")
        lines.append([len(stripped) - len(stripped.lstrip()), stripped.lstrip(), number])
    if not lines:
        return None
    value, pos = _block(lines, 0, lines[0][0])
    if pos != len(lines):
        raise WorkflowError(f"line {lines[pos][2]}: unexpected indentation")
    return value


def _block(lines, pos, indent):
    if lines[pos][1].startswith("- ") or lines[pos][1] == "-":
        items = []
        while pos < len(lines) and lines[pos][0] == indent and lines[pos][1].startswith("-"):
            content = lines[pos][1][1:].lstrip()
            if not content:
                raise WorkflowError(f"line {lines[pos][2]}: empty sequence item")
            if _split_key(content) is None:
                items.append(_scalar(content, lines[pos][2]))
                pos += 1
                continue
            # "- key: value" opens a mapping whose keys sit two columns further in
            lines[pos] = [indent + 2, content, lines[pos][2]]
            item, pos = _block(lines, pos, indent + 2)
            items.append(item)
        return items, pos
    mapping = {}
    while pos < len(lines) and lines[pos][0] == indent and not lines[pos][1].startswith("- "):
        split = _split_key(lines[pos][1])
        if split is None:
            raise WorkflowError(f"line {lines[pos][2]}: expected 'key: value'")
        key, rest = split
        where = lines[pos][2]
        pos += 1
        if rest:
            mapping[key] = _scalar(rest, where)
        elif pos < len(lines) and (lines[pos][0] > indent or
                                   (lines[pos][0] == indent and lines[pos][1].startswith("- "))):
            mapping[key], pos = _block(lines, pos, lines[pos][0])
        else:
            mapping[key] = None
    if pos < len(lines) and lines[pos][0] > indent:
        raise WorkflowError(f"line {lines[pos][2]}: unexpected indentation")
    return mapping, pos


_PLAIN_KEY = re.compile(r"^([A-Za-z0-9_.$-][^:'\"]*?):(?:\s+(.*))?$")


def _split_key(content: str):
    if content[:1] in "'\"":
        quote = content[0]
        end = 1
        while True:
            end = content.find(quote, end)
            if end < 0:
                return None
            if quote == "'" and content[end + 1: end + 2] == "'":
                end += 2
                continue
            break
        key = _scalar(content[: end + 1], 0)
        rest = content[end + 1:]
        if not rest.startswith(":") or (len(rest) > 1 and not rest[1].isspace()):
            return None
        return key, rest[1:].strip()
    match = _PLAIN_KEY.match(content)
    if not match:
        return None
    return match.group(1), (match.group(2) or "").strip()


def _scalar(text: str, where: int):
    text = text.strip()
    if text.startswith("'"):
        if len(text) < 2 or not text.endswith("'") or "'" in text[1:-1].replace("''", ""):
            raise WorkflowError(f"line {where}: bad single-quoted string {text}")
        return text[1:-1].replace("''", "'")
    if text.startswith('"'):
        try:
            return json.loads(text)
        except ValueError:
            raise WorkflowError(f"line {where}: bad double-quoted string {text}") from None
    if text.startswith("["):
        if not text.endswith("]"):
            raise WorkflowError(f"line {where}: bad flow sequence {text}")
        inner = text[1:-1].strip()
        return [_scalar(part, where) for part in inner.split(",")] if inner else []
    if text.startswith(("{", "&", "*", "|", ">", "!")):
        raise WorkflowError(f"line {where}: unsupported YAML {text!r}")
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    if re.fullmatch(r"-?\d+\.\d*", text):
        return float(text)
    return text


@dataclasses.dataclass
class Workflow:
    grader_steps: list[GraderStep]
    reporter_env: dict[str, str]
    runners: str
    install_commands: list[str]


def read_workflow(text: str) -> Workflow:
    """The grader steps, the reporter's env and runners, out of a workflow file's text."""
    data = parse_yaml(text)
    try:
        jobs = list(data["jobs"].values())
        if len(jobs) != 1:
            raise WorkflowError("expected exactly one job")
        steps = jobs[0]["steps"]
    except (KeyError, TypeError, AttributeError):
        raise WorkflowError("no jobs.<job>.steps in the workflow") from None
    graders, reporter, installs = [], None, []
    for step in steps:
        uses = str(step.get("uses", ""))
        given = step.get("with") or {}
        if uses.startswith("classroom-resources/autograding-command-grader@"):
            if "id" not in step:
                raise WorkflowError(f"the command-grader step {step.get('name')!r} has no id")
            graders.append(GraderStep(
                id=str(step["id"]), test_name=str(given["test-name"]), command=str(given["command"]),
                timeout=float(given.get("timeout", 10) or 10),
                max_score=int(given.get("max-score", 0) or 0),
                setup_command=str(given.get("setup-command") or "")))
        elif uses.startswith("classroom-resources/autograding-grading-reporter@"):
            reporter = step
        elif "run" in step:
            installs.append(str(step["run"]))
    if reporter is None:
        raise WorkflowError("the workflow has no autograding-grading-reporter step")
    env = {str(k): str(v) for k, v in (reporter.get("env") or {}).items()}
    return Workflow(graders, env, str((reporter.get("with") or {}).get("runners", "")), installs)


_EXPRESSION = re.compile(r"^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.result\s*"
                         r"(?:\|\|\s*'([^']*)'\s*)?\}\}$")


def resolve_env(template: dict[str, str], outputs: dict[str, str]) -> dict[str, str]:
    """Evaluate the reporter's `${{ steps.ID.outputs.result || 'fallback' }}` values as GitHub
    does: a missing or empty output is falsy, so the fallback literal is used."""
    resolved = {}
    for name, value in template.items():
        match = _EXPRESSION.match(value.strip())
        if not match:
            if "${{" in value:
                raise WorkflowError(f"unsupported expression in {name}: {value}")
            resolved[name] = value
            continue
        output = outputs.get(match.group(1), "")
        resolved[name] = output or (match.group(2) or "")
    return resolved
