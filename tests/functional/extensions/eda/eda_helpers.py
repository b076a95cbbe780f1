"""Drive the event source's `main(queue, args)` in a background event loop, the way ansible-rulebook calls it."""
from __future__ import annotations

import asyncio
import queue
import runpy
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

SOURCE = Path("ansible_collections", "xpress", "insight", "extensions", "eda", "plugins", "event_source", "insight_jobs.py")


def load_source(collection_root: Path) -> Dict[str, Any]:
    """The plugin's globals, loaded with runpy from the collection tree, as ansible-rulebook loads it."""
    return runpy.run_path(str(collection_root / SOURCE))


class _ThreadQueue:
    """The queue handed to main(): events land in a thread-safe queue the test reads."""

    def __init__(self) -> None:
        self.items: "queue.Queue[Dict[str, Any]]" = queue.Queue()

    async def put(self, event: Dict[str, Any]) -> None:
        self.items.put(event)


class RunningSource:
    """main(queue, args) running in its own thread and event loop until stop()."""

    def __init__(self, plugin: Dict[str, Any], args: Dict[str, Any]) -> None:
        self.queue = _ThreadQueue()
        self.error: Optional[BaseException] = None
        self._loop = asyncio.new_event_loop()
        self._task: Optional["asyncio.Task[None]"] = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(plugin["main"], args), daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def _run(self, main: Callable[..., Any], args: Dict[str, Any]) -> None:
        asyncio.set_event_loop(self._loop)
        self._task = self._loop.create_task(main(self.queue, args))
        self._ready.set()
        try:
            self._loop.run_until_complete(self._task)
        except asyncio.CancelledError:
            pass
        except BaseException as exc:  # pylint: disable=broad-exception-caught  # reported by stop()
            self.error = exc
        finally:
            self._loop.close()

    def events(self, count: int, timeout: float = 15.0) -> List[Dict[str, Any]]:
        """Exactly the next `count` events (fails after `timeout` seconds with what arrived)."""
        found: List[Dict[str, Any]] = []
        deadline = time.monotonic() + timeout
        while len(found) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.error is not None:
                raise AssertionError("expected %d events, got %d: %r (source error: %r)" % (count, len(found), found, self.error))
            try:
                found.append(self.queue.items.get(timeout=min(remaining, 0.2)))
            except queue.Empty:
                continue
        return found

    def pending(self) -> List[Dict[str, Any]]:
        found = []
        while True:
            try:
                found.append(self.queue.items.get_nowait())
            except queue.Empty:
                return found

    def stop(self) -> None:
        if self._task is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._task.cancel)
        self._thread.join(10)
        assert not self._thread.is_alive(), "the source did not stop when cancelled"
        if self.error is not None:
            raise AssertionError("the source stopped with an error: %r" % (self.error,))


def polls(control: Any) -> int:
    """How many job listings the emulator has served (pages of GET /api/jobs)."""
    return control.counters()["by_route"].get("GET /api/jobs", 0)


def wait_polls(control: Any, count: int, timeout: float = 15.0) -> None:
    """Wait until `count` more listing calls than now have reached the emulator."""
    target = polls(control) + count
    deadline = time.monotonic() + timeout
    while polls(control) < target:
        if time.monotonic() > deadline:
            raise AssertionError("the source made fewer than %d listing calls in %s s" % (count, timeout))
        time.sleep(0.05)


def summary(events: List[Dict[str, Any]]) -> List[tuple]:
    """(type, job name, status, previous status) per event, sorted, for readable assertions."""
    return sorted((e["insight"]["type"], e["insight"]["job"].get("name"), e["insight"]["job"].get("status"),
                   e["insight"]["previous_status"]) for e in events)
