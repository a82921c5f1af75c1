"""Large SIF reads parsed in worker processes, the files dealt out among them by size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from connectors.common.tuning import tuning
from connectors.sif.files import SifFiles
from connectors.sif.worker import ParseWorker, WorkerFailed
from connectors.sif.xml import Raw


class ParallelSifFiles(SifFiles):
    """SIF XML files whose large reads are parsed in worker processes (`worker.py`)."""

    def __init__(self, path: str, together: Iterable[Iterable[str]] = ()) -> None:
        super().__init__(path, together)
        self._workers: list[ParseWorker] = []

    def objects(self, kinds: Iterable[str]) -> Iterator[Raw]:
        """Every object of the given kinds, file by file, streamed.

        A large read is parsed by worker processes, all started at once, the files dealt out
        among them; this process reads their output a file at a time in order and stores it
        meanwhile (people come mapped already: `premap.py`). A worker that cannot start leaves
        its files to be parsed here.
        """
        wanted = set(kinds)
        names = [name for name, present in self.index().items() if present & wanted]
        tuned = tuning()
        count = tuned.sif_workers
        big = sum(self.size(name) for name in names) >= tuned.sif_worker_min_bytes
        if not (count and names and big):
            yield from self._here(names, wanted)
            return
        groups = self._deal(names, count)
        owner = {name: k for k, group in enumerate(groups) for name in group}
        workers: list[ParseWorker | str] = [self._start(group, wanted) for group in groups]
        try:
            for name in names:
                worker = workers[owner[name]]
                if isinstance(worker, ParseWorker):
                    try:
                        yield from worker.next_file()
                        continue
                    except WorkerFailed as exc:  # nothing of it came: its files are read here
                        worker = workers[owner[name]] = str(exc)
                note = f"parsing in one process ({worker})"
                if note not in self.notes:
                    self.notes.append(note)
                yield from self._here([name], wanted)
        finally:
            for worker in workers:
                if isinstance(worker, ParseWorker):
                    worker.close()
                    if worker in self._workers:
                        self._workers.remove(worker)

    def _start(self, names: list[str], kinds: set[str]) -> ParseWorker | str:
        """A worker parsing the files from now on, or why none could start."""
        try:
            worker = ParseWorker(str(self.root), names, sorted(kinds), self.notes)
        except (OSError, ValueError) as exc:
            return str(exc)
        self._workers.append(worker)
        return worker

    def _deal(self, names: list[str], parts: int) -> list[list[str]]:
        """The files dealt out in order to at most `parts` workers, each file to the one with
        the fewest bytes so far (equal files go round in turn), none left empty."""
        groups: list[list[str]] = [[] for _ in range(min(parts, len(names)))]
        load = [0] * len(groups)
        for name in names:
            k = load.index(min(load))
            groups[k].append(name)
            load[k] += self.size(name)
        return groups

    def close(self) -> None:
        """End any parse worker still running (a read stopped early)."""
        for worker in list(self._workers):
            worker.close()
        self._workers.clear()
