"""One regex for "does any of these alternatives match?", dispatched on the first character.

Python's regex engine tries every alternative of a large alternation at every candidate
position; the tone lexicons have about 650 of them. Grouped under a look-ahead for the
character they must start with, all groups but one fail at once, which made the
``non_defensive`` phrases 3x faster on a typical reply. An alternative whose first
character cannot be worked out (it may start with anything, or match the empty string)
is kept outside the groups, so the union always matches exactly where one of its
alternatives does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

try:  # the parser behind ``re``; private, so anything unexpected falls back to "any character"
    from re import _constants as _C
    from re import _parser as _P
except ImportError:  # pragma: no cover - only on an interpreter without them
    _P = None

# A character class wider than this is treated as "any character": dispatching on it saves nothing.
_MAX_CLASS = 64


def top_level_alternatives(body: str) -> list[str]:
    """``body`` split at the ``|`` that are outside any group or character class."""
    alts, cur, depth, in_class, i = [], [], 0, False, 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            cur.append(body[i:i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and depth == 0:
            alts.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(ch)
        i += 1
    alts.append("".join(cur))
    return alts


def first_chars(alternative: str) -> frozenset[str] | None:
    """The characters a match of ``alternative`` can start with, or None when that is not
    a small known set (any character, an empty match, or a construct not handled here)."""
    if _P is None:
        return None
    try:
        chars, nullable = _first(list(_P.parse(alternative)))
    except Exception:  # a construct the walk does not know: no dispatch, never a wrong one
        return None
    return None if chars is None or nullable else frozenset(chars)


def _first(items: list) -> tuple[set[str] | None, bool]:
    """(first characters, can match empty) of a parsed sequence; None for "any"."""
    out: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            return out | {chr(av)}, False
        if op is _C.IN:
            chars = _class_chars(av)
            return (None, False) if chars is None else (out | chars, False)
        if op is _C.SUBPATTERN:
            if av[1] & _C.SRE_FLAG_IGNORECASE:
                return None, False  # (?i:...) would need both cases in the dispatch
            sub, nullable = _first(list(av[-1]))
        elif op is _C.BRANCH:
            sub, nullable = set(), False
            for alt in av[1]:
                s, n = _first(list(alt))
                if s is None:
                    return None, False
                sub |= s
                nullable |= n
        elif op in (_C.MAX_REPEAT, _C.MIN_REPEAT):
            lo, _, body = av
            sub, nullable = _first(list(body))
            nullable = nullable or lo == 0
        elif op in (_C.ASSERT, _C.ASSERT_NOT, _C.AT):
            continue  # zero width: the next item decides
        else:
            return None, False
        if sub is None:
            return None, False
        out |= sub
        if not nullable:
            return out, False
    return out, True


def _class_chars(items: list) -> set[str] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            chars.add(chr(av))
        elif op is _C.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None
    return chars if len(chars) <= _MAX_CLASS else None


def union_by_first_char(alternatives: Iterable[str], before: str = "", after: str = "") -> re.Pattern[str]:
    """``before(?:alt1|alt2|...)after``, with the alternatives grouped by first character
    (an alternative that can start with several characters joins each of their groups)."""
    groups: dict[str, list[str]] = {}
    loose: list[str] = []
    for alt in alternatives:
        chars = first_chars(alt)
        if chars is None:
            loose.append(alt)
        for ch in sorted(chars or ()):
            groups.setdefault(ch, []).append(alt)
    parts = [f"(?={re.escape(ch)})(?:{'|'.join(alts)})" for ch, alts in sorted(groups.items())] + loose
    return re.compile(before + "(?:" + "|".join(parts) + ")" + after)
