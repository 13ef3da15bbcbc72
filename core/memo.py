"""A value worked out once per object and kept only as long as that object
lives: the per-request cache of what a request's user may do or of a case's
secrecy marks, without setting attributes on users or models.

Objects are told apart by identity, not by primary key, so a user or case
loaded by a later request (a new object) is always read afresh."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class PerObject(Generic[K, V]):
    """`compute(obj)` once per live object."""

    def __init__(self, compute: Callable[[K], V]) -> None:
        self._compute = compute
        self._values: dict[int, tuple[weakref.ref[K], V]] = {}

    def __call__(self, obj: K) -> V:
        key = id(obj)
        hit = self._values.get(key)
        if hit is not None and hit[0]() is obj:
            return hit[1]
        value = self._compute(obj)
        self._values[key] = (weakref.ref(obj, partial(self._forget, key)), value)
        return value

    def _forget(self, key: int, ref: weakref.ref[K]) -> None:
        hit = self._values.get(key)
        if hit is not None and hit[0] is ref:
            del self._values[key]
