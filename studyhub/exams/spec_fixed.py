"""The questions of a fixed paper in an exam spec: ids, each with its own points or not.

```yaml
paper:
  points: 2                              # every question without its own
  fixed:
    - cc-0017-01
    - {id: cc-0188-01, points: 3}
```
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from studyhub.i18n import Lazy, msg

__all__ = ["fixed_entries"]


def fixed_entries(
    node: Any, entries: list[Any], line: int, error: Callable[..., None],
    points_of: Callable[[Any], Decimal | None], points_message: Lazy,
) -> tuple[list[str], dict[str, Decimal]]:  # fmt: skip
    """The question ids of ``entries`` (the constructed list of ``node``, on ``line``) and the
    points of those that give their own (``points_of`` reads them); a bad entry is reported
    to ``error`` with its own line and left out."""
    ids: list[str] = []
    points: dict[str, Decimal] = {}
    entry_nodes = getattr(node, "value", [])
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            ids.append(str(entry))
            continue
        where = f"paper.fixed[{index}]"
        at = entry_nodes[index - 1].start_mark.line + 1 if index <= len(entry_nodes) else line
        unknown = sorted(set(map(str, entry)) - {"id", "points"})
        if unknown:
            error(where, msg("unknown field {name}", name=unknown[0]), at)
            continue
        if not isinstance(entry.get("id"), str | int) or not str(entry["id"]).strip():
            error(where, msg("a question of a fixed paper is an id or {example}",
                             example="{id: cc-0001-01, points: 2}"), at)  # fmt: skip
            continue
        qid = str(entry["id"]).strip()
        ids.append(qid)
        if "points" in entry:
            own = points_of(entry["points"])
            if own is None:
                error(where, points_message, at)
            else:
                points[qid] = own
    return ids, points
