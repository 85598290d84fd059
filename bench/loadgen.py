"""A small HTTP/1.1 load generator for loopback benchmarks: asyncio, keep-alive connections,
raw requests (lean, so that it takes little of the CPU it shares with the server).

    results = asyncio.run(run_closed(url, requests, connections=16, seconds=20))
    results = asyncio.run(run_fans(url, path, fans=500, period=1.0, seconds=60))
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Results:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    bytes_received: int = 0
    elapsed_s: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies_ms)


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        await self.writer.drain()
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            if b":" in line:
                name, value = line.split(b":", 1)
                headers[name.strip().lower()] = value.strip()
        if b"content-length" in headers:
            body = await self.reader.readexactly(int(headers[b"content-length"]))
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = b""
        if headers.get(b"connection", b"").lower() == b"close":
            await self.close()
        return status, body

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


def raw_request(
    url: str, method: str, path: str, body: bytes = b"", content_type: str = ""
) -> bytes:
    host = urlsplit(url).netloc
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: {host}",
        "Accept-Encoding: gzip, deflate",
        "Connection: keep-alive",
    ]
    if body:
        lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _timed(conn: Connection, raw: bytes, results: Results, ok: tuple[int, ...]) -> None:
    start = time.perf_counter()
    try:
        status, body = await asyncio.wait_for(conn.request(raw), timeout=30)
    except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as err:
        results.errors.append(type(err).__name__)
        await conn.close()
        return
    results.latencies_ms.append((time.perf_counter() - start) * 1000)
    results.statuses[status] = results.statuses.get(status, 0) + 1
    results.bytes_received += len(body)
    if status not in ok:
        results.errors.append(f"HTTP {status}")


async def run_closed(
    url: str, requests: list[bytes], connections: int, seconds: float, ok=(200, 204)
) -> Results:
    """`connections` clients, each sending the next request as soon as it has the answer."""
    parts = urlsplit(url)
    results = Results()
    deadline = time.perf_counter() + seconds

    async def client(index: int) -> None:
        conn = Connection(parts.hostname, parts.port)
        i = index
        while time.perf_counter() < deadline:
            await _timed(conn, requests[i % len(requests)], results, ok)
            i += 1
        await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(connections)))
    results.elapsed_s = time.perf_counter() - start
    return results


async def run_fans(
    url: str, path: str, fans: int, period: float, seconds: float, ok=(200,)
) -> Results:
    """`fans` open pages, each polling `path` every `period` seconds on its own connection."""
    parts = urlsplit(url)
    results = Results()
    raw = raw_request(url, "GET", path)
    deadline = time.perf_counter() + seconds

    async def fan() -> None:
        conn = Connection(parts.hostname, parts.port)
        await asyncio.sleep(random.uniform(0, period))  # pages opened at different times
        next_at = time.perf_counter()
        while next_at < deadline:
            await _timed(conn, raw, results, ok)
            next_at += period
            await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
        await conn.close()

    start = time.perf_counter()
    await asyncio.gather(*(fan() for _ in range(fans)))
    results.elapsed_s = time.perf_counter() - start
    return results
