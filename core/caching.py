"""State kept per object without writing attributes onto it."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerObject(Generic[T]):
    """A value of type T for each live object, made by `factory` on first
    use and dropped when the object is garbage collected: for per-request
    state such as what a user may see, read once for the request's user
    object.

    Objects are told apart by identity, not by ==: two instances of one
    database row (equal by primary key) each get their own value, as a
    fresh read of the row starts with a fresh state."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._entries: dict[int, tuple[weakref.ref[object], T]] = {}

    def get(self, obj: object) -> T:
        key = id(obj)
        entry = self._entries.get(key)
        if entry is not None and entry[0]() is obj:
            return entry[1]
        value = self._factory()
        self._entries[key] = (weakref.ref(obj, self._forget(key)), value)
        return value

    def _forget(self, key: int) -> Callable[[weakref.ref[object]], None]:
        def forget(ref: weakref.ref[object]) -> None:
            # Only this reference's entry: the id may since belong to a newer object.
            entry = self._entries.get(key)
            if entry is not None and entry[0] is ref:
                self._entries.pop(key, None)

        return forget
