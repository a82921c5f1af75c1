"""Offset paging over a REST collection: Link rel=next, X-Total-Count, capped and repeated pages."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import httpx
import orjson

from connectors.base import ConnectorError
from connectors.common.http_client import Authenticator, HttpClient

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]+)*)")


def link_next(header: str | None) -> str | None:
    """The target of rel="next" in an RFC 8288 Link header."""
    if not header:
        return None
    for match in _LINK.finditer(header):
        params = match.group(2).lower().replace('"', "").replace(" ", "")
        if ";rel=next" in params or params.startswith("rel=next"):
            return match.group(1)
    return None


def total_count(response: httpx.Response) -> int | None:
    """X-Total-Count as a number, when the server sent a readable one."""
    raw = response.headers.get("X-Total-Count", "").strip()
    return int(raw) if raw.isdigit() else None


@dataclass
class Page:
    """One page as it arrived."""

    url: str
    offset: int
    records: list[dict[str, Any]]
    total: int | None
    next_url: str | None


class OffsetPager:
    """Iterates a collection page by page; several pages in flight when the total is known."""

    def __init__(
        self,
        http: HttpClient,
        url: str,
        params: dict[str, str],
        records: Callable[[Any], list[dict[str, Any]]],
        *,
        auth: Authenticator | None = None,
        limit: int = 1000,
        parallel: int = 1,
        warn: Callable[[str], None] = lambda _m: None,
    ) -> None:
        self.http, self.url, self.params, self.extract = http, url, params, records
        self.auth, self.limit, self.parallel, self.warn = auth, limit, max(parallel, 1), warn
        self.total: int | None = None
        self.pages = 0
        self._seen: set[tuple[Any, Any, int]] = set()

    def fetch(self, url: str, offset: int, params: dict[str, str] | None) -> Page:
        """GET one page and read its records and paging headers."""
        response = self.http.get(url, params=params, auth=self.auth)
        where = str(response.url)
        try:
            body = orjson.loads(response.content)
        except orjson.JSONDecodeError as exc:
            raise ConnectorError(f"the answer is not JSON ({exc})", where) from exc
        try:
            records = self.extract(body)
        except ConnectorError as exc:
            raise ConnectorError(exc.message, where) from exc
        nxt = link_next(response.headers.get("Link"))
        return Page(
            where, offset, records, total_count(response), urljoin(where, nxt) if nxt else None
        )

    def _params(self, offset: int, limit: int) -> dict[str, str]:
        """The query of the page at offset."""
        return {**self.params, "limit": str(limit), "offset": str(offset)}

    def _check_repeat(self, page: Page) -> None:
        """Fail on a page seen before (a server that ignores offset), never loop for ever."""
        if not page.records:
            return
        first, last = page.records[0], page.records[-1]
        key = (first.get("sourcedId"), last.get("sourcedId"), len(page.records))
        if key in self._seen:
            raise ConnectorError(
                f"the server sent the same page again at offset {page.offset} (it seems to "
                "ignore offset or the next link); stopped instead of looping",
                page.url,
            )
        self._seen.add(key)

    def __iter__(self) -> Iterator[list[dict[str, Any]]]:
        """Yield each page's records in order."""
        page = self.fetch(self.url, 0, self._params(0, self.limit))
        step = self.limit
        while True:
            self._check_repeat(page)
            self.pages += 1
            self.total = page.total if page.total is not None else self.total
            got = len(page.records)
            capped = page.next_url or (page.total is not None and got < page.total)
            if self.pages == 1 and 0 < got < self.limit and capped:
                step = got
                self.warn(
                    f"{urlsplit(self.url).path}: the server caps pages at {got} records "
                    f"(asked for {self.limit}); reading on in pages of {got}"
                )
            if got:
                yield page.records
            offset = page.offset + got
            if not got or not self._more(page, offset, short=got < step):
                return
            if page.next_url and not self._offset_link(page.next_url, offset):
                if page.next_url == page.url:
                    raise ConnectorError("the next link points at the same page", page.url)
                page = self.fetch(page.next_url, offset, None)
                continue
            if self.parallel > 1 and self.total is not None and self.total - offset > step:
                yield from self._parallel(offset, step)
                return
            page = self.fetch(self.url, offset, self._params(offset, step))

    def _more(self, page: Page, offset: int, short: bool = False) -> bool:
        """Whether records remain after offset: next link, else total, else a full page."""
        if page.next_url:
            return True
        if page.total is not None:
            return offset < page.total
        return not short

    def _offset_link(self, url: str, offset: int) -> bool:
        """True when a next link only moves the offset (so pages can be fetched ahead)."""
        query = dict(parse_qsl(urlsplit(url).query))
        return query.get("offset") == str(offset) and self.parallel > 1

    def _parallel(self, offset: int, step: int) -> Iterator[list[dict[str, Any]]]:
        """Fetch up to `parallel` pages ahead by offset, yield in order, then finish serially."""
        assert self.total is not None
        pending: deque[Future[Page]] = deque()
        planned = offset
        with ThreadPoolExecutor(self.parallel, thread_name_prefix="page") as pool:
            try:
                while True:
                    while len(pending) < self.parallel and planned < self.total:
                        pending.append(
                            pool.submit(self.fetch, self.url, planned, self._params(planned, step))
                        )
                        planned += step
                    if not pending:
                        break
                    page = pending.popleft().result()
                    self._check_repeat(page)
                    self.pages += 1
                    if page.records:
                        yield page.records
                    last = page
            finally:
                for future in pending:
                    future.cancel()
        # The total may have grown while reading: go on while pages come back full.
        offset = last.offset + len(last.records)
        while len(last.records) >= step:
            last = self.fetch(self.url, offset, self._params(offset, step))
            self._check_repeat(last)
            if not last.records:
                return
            self.pages += 1
            yield last.records
            offset += len(last.records)
