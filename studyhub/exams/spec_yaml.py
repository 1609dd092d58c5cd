"""YAML nodes of an exam spec: values with their lines, and what may not be in them.

A spec is composed (not loaded) so that every error can name its line; these helpers turn
nodes into values without ever raising anything but :class:`Unreadable`, and find nodes nested
too deeply or holding text no database stores.
"""

from __future__ import annotations

from typing import Any

from studyhub.i18n import Lazy, msg
from studyhub.values import NUL_MESSAGE

__all__ = ["MAX_DEPTH", "Unreadable", "bad_node", "construct", "node_values"]

#: how deeply a spec may nest (lists in mappings in lists ...)
MAX_DEPTH = 16


def bad_node(root: Any) -> tuple[int, str | Lazy] | None:
    """(line, problem) of the first node nested more than MAX_DEPTH deep, or of the first
    scalar holding a NUL or a lone surrogate (YAML's ``"\\0"`` and ``"\\ud800"`` escapes)."""
    import yaml

    stack = [(root, 1)] if root is not None else []
    seen: set[int] = set()  # aliases share nodes, and may even form a cycle
    while stack:
        node, depth = stack.pop()
        line = int(node.start_mark.line) + 1
        if depth > MAX_DEPTH:
            return line, msg("invalid YAML: nested more than {depth} levels deep", depth=MAX_DEPTH)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            value = str(node.value)
            if "\x00" in value:
                return line, NUL_MESSAGE
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                return line, msg("a lone surrogate (\\ud800-\\udfff) is not a character")
        elif isinstance(node, yaml.MappingNode):
            stack.extend((n, depth + 1) for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((n, depth + 1) for n in node.value)
    return None


def node_values(node: Any) -> tuple[dict[str, Any], dict[str, int]]:
    """A mapping node's values (constructed) and the line of each key."""
    import yaml

    loader = yaml.SafeLoader("")
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(construct(key_node, loader))
        lines[key] = key_node.start_mark.line + 1
        values[key] = value_node
    return values, lines


class Unreadable(Exception):
    """A YAML node that cannot be made into a value (an unknown tag such as ``!x``);
    ``problem`` is PyYAML's own text, or a Message of ours."""

    def __init__(self, line: int, problem: str | Lazy) -> None:
        super().__init__(str(problem))
        self.line = line
        self.problem = problem


def construct(node: Any, loader: Any = None) -> Any:
    import yaml

    try:
        return (loader or yaml.SafeLoader("")).construct_object(node, deep=True)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or node.start_mark
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise Unreadable(mark.line + 1, problem) from None
    except (ValueError, OverflowError):  # e.g. an integer of thousands of digits
        raise Unreadable(node.start_mark.line + 1, msg("a number too large to read")) from None
    except RecursionError:
        raise Unreadable(node.start_mark.line + 1, msg("nested too deeply")) from None
