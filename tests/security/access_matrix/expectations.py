"""Reads access_expectations.md: one row per URL rule and method (and per choice of the
parameters the row names), one answer per kind of caller."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from app.models import Scope

COLUMNS = (
    "anon",
    "therapist",
    "teen",
    "guardian",
    "school",
    "restricted",
    "other team",
    "missing",
)
NOT_APPLICABLE = "—"
PLAIN_ANSWERS = {"ok", "ok*", "404", "login", "redirect", "409", "410"}
_CONSENT = re.compile(r"consent\((\w+)\)")


@dataclass(frozen=True)
class Row:
    method: str
    path: str  # the rule with its converters left out: /teams/<team_id>/plan
    given: tuple[tuple[str, str], ...]  # the row's own parameter values ("with")
    answers: dict[str, str]
    line: int

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path

    @property
    def id(self) -> str:
        given = ", ".join(f"{name}={value}" for name, value in self.given)
        return f"{self.method} {self.path}" + (f" [{given}]" if given else "")

    @property
    def sweeps_consents(self) -> bool:
        return any(a == "ok*" or _CONSENT.fullmatch(a) for a in self.answers.values())


def route_path(rule: str) -> str:
    """/teams/<int:team_id>/plan -> /teams/<team_id>/plan"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"<\1>", rule)


def consent_scope(answer: str) -> Scope | None:
    match = _CONSENT.fullmatch(answer)
    return Scope(match.group(1)) if match else None


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _check(answer: str, where: str) -> str:
    if answer in PLAIN_ANSWERS or answer == NOT_APPLICABLE:
        return answer
    match = _CONSENT.fullmatch(answer)
    if match and match.group(1) in {scope.value for scope in Scope}:
        return answer
    raise ValueError(f"{where}: unknown answer {answer!r}")


def load(path: Path) -> list[Row]:
    rows = []
    header: list[str] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if cells[0] == "route":
            header = cells
            if tuple(cells[2:]) != COLUMNS:
                raise ValueError(f"{path.name}:{number}: the columns must be {COLUMNS}")
            continue
        if header is None or set(cells[0]) <= {"-"}:
            continue
        where = f"{path.name}:{number}"
        if len(cells) != len(header):
            raise ValueError(f"{where}: {len(cells)} cells, the header has {len(header)}")
        method, _, rule = cells[0].partition(" ")
        given = tuple(
            tuple(part.strip() for part in pair.split("=", 1))
            for pair in cells[1].split(",")
            if pair.strip()
        )
        answers = {
            column: _check(answer, where) for column, answer in zip(COLUMNS, cells[2:], strict=True)
        }
        rows.append(Row(method, rule.strip(), given, answers, number))
    seen = {}
    for row in rows:
        if row.id in seen:
            raise ValueError(f"line {row.line} repeats line {seen[row.id]}: {row.id}")
        seen[row.id] = row.line
    return rows
