"""Required literals ("atoms") of a regex: every match contains at least one of them.

The rule library's one multi-pattern database holds only literals — keywords and these
atoms — so it compiles fast; a regex is verified (with RE2) only where an atom occurs.
A regex with no usable atom is verified on every utterance.

Rule regexes are RE2 syntax, parsed here with Python's parser: the two agree on every
pattern both accept, except for what is refused at load (`{,n}`) and POSIX classes
(`[[:alpha:]]`, a nested set to Python), for which no atoms are claimed.
"""

from __future__ import annotations

import re
import warnings
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

Atoms = frozenset[str]
MAX_CLASS = 12
MAX_ATOMS = 64


def required_atoms(regex: str) -> Atoms | None:
    """Literals one of which every match of `regex` contains, or None if there are none."""
    if "[:" in regex:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "possible nested set": Python reads it otherwise
            parsed = sre_parse.parse(regex, re.IGNORECASE)
    except (re.error, Warning):
        return None
    atoms = _sequence(list(parsed))
    if atoms is None or not atoms or any(not a for a in atoms) or len(atoms) > MAX_ATOMS:
        return None
    return frozenset(a.lower() for a in atoms)


def _score(atoms: Atoms | None) -> tuple[int, int]:
    if atoms is None:
        return (-1, 0)
    return (min(len(a) for a in atoms), -len(atoms))


def _sequence(items: list[tuple[Any, Any]]) -> Atoms | None:
    """Best guarantee of a concatenation: the cross product of a run of items whose
    matches can be listed ("(我|我们)(帮|替)(您|你)" → 我帮您, 我们替你 …), or any single
    mandatory item's guarantee."""
    best: Atoms | None = None
    run: set[str] | None = None
    for op, arg in items:
        exact = _exact(op, arg)
        if exact is not None:
            product = {a + b for a in (run or {""}) for b in exact}
            if len(product) <= MAX_ATOMS:
                run = product
                continue
            best = _better(best, _nonempty(run))
            run = set(exact)
            continue
        best = _better(best, _nonempty(run))
        run = None
        best = _better(best, _item(op, arg))
    return _better(best, _nonempty(run))


def _nonempty(strings: set[str] | None) -> Atoms | None:
    if not strings or "" in strings:
        return None
    return frozenset(strings)


def _exact(op: Any, arg: Any) -> set[str] | None:
    """Every string this item can match, if there are few (else None)."""
    if op is sre_constants.LITERAL:
        return {chr(arg)}
    if op is sre_constants.IN:
        chars = _char_class(arg)
        return set(chars) if chars is not None else None
    if op is sre_constants.SUBPATTERN:
        return _exact_sequence(list(arg[-1]))
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            options = _exact_sequence(list(branch))
            if options is None:
                return None
            union |= options
        return union if len(union) <= MAX_ATOMS else None
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
        low, high, inner = arg
        options = _exact_sequence(list(inner))
        if options is None or (low, high) not in ((1, 1), (0, 1)):
            return None
        return options | {""} if low == 0 else options
    return None


def _exact_sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    product = {""}
    for op, arg in items:
        options = _exact(op, arg)
        if options is None:
            return None
        product = {a + b for a in product for b in options}
        if len(product) > MAX_ATOMS:
            return None
    return product


def _better(a: Atoms | None, b: Atoms | None) -> Atoms | None:
    return b if _score(b) > _score(a) else a


def _item(op: Any, arg: Any) -> Atoms | None:
    if op is sre_constants.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is sre_constants.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            atoms = _sequence(list(branch))
            if atoms is None:
                return None
            union |= atoms
        return frozenset(union) if len(union) <= MAX_ATOMS else None
    if op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
        low, _, inner = arg
        return _sequence(list(inner)) if low >= 1 else None
    if op is sre_constants.IN:
        return _char_class(arg)
    if op is sre_constants.LITERAL:
        return frozenset([chr(arg)])
    return None


def _char_class(items: list[tuple[Any, Any]]) -> Atoms | None:
    chars: set[str] = set()
    for op, arg in items:
        if op is sre_constants.LITERAL:
            chars.add(chr(arg))
        elif op is sre_constants.RANGE and arg[1] - arg[0] < MAX_CLASS:
            chars.update(chr(c) for c in range(arg[0], arg[1] + 1))
        else:
            return None
    return frozenset(chars) if 0 < len(chars) <= MAX_CLASS else None
