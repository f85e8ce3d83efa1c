"""A component that re-runs an event whenever a live feed's stamp moves (see ticketapp/live.py)."""

from __future__ import annotations

import reflex as rx
from reflex_base.constants import EventTriggers
from reflex_base.constants.compiler import Imports
from reflex_base.utils.imports import ImportVar
from reflex_base.vars import VarData
from reflex_base.vars.base import LiteralVar


class StampWatcher(rx.Fragment):
    """Runs its on_mount event again whenever its `key` (a feed stamp) changes.

    Reflex's own on_mount hook has an empty dependency list and is emitted before the hooks that
    read state, so this one is added after them (add_hooks) with the key as its dependency.
    """

    def _get_mount_lifecycle_hook(self) -> str | None:
        return None

    def add_hooks(self) -> list[str | rx.Var]:
        on_mount = self.event_triggers.get(EventTriggers.ON_MOUNT)
        if on_mount is None:
            return []
        call = f"{LiteralVar.create(on_mount)!s}()"
        imports = {**Imports.EVENTS, "react": [ImportVar(tag="useEffect")]}
        return [
            rx.Var(
                f"useEffect(() => {{ {call}; }}, [{self.key!s}]);",
                _var_data=VarData(imports=imports),
            )
        ]


def stamp_watcher(stamp: rx.Var[int], event) -> rx.Component:
    """Runs `event` when the page mounts and again whenever `stamp` changes."""
    return StampWatcher.create(key=stamp, on_mount=event)
