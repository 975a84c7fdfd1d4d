"""How many rows a bulk UPDATE or DELETE matched."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Result


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """The rows the statement matched. The session returns an UPDATE's or a DELETE's result as
    a CursorResult, the one kind of Result that counts rows; any other is a mistake here."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} has no rowcount: not an UPDATE or a DELETE")
    return result.rowcount
