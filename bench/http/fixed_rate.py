#!/usr/bin/env python3
"""POST /v1/search at a fixed request rate (open loop), cycling through a file of JSON queries.

Each of CONNECTIONS keep-alive connections owns every CONNECTIONS-th slot of a fixed schedule
(RATE requests a second for SECONDS); a request's latency runs from its scheduled time to the end of
its answer, so a slow answer also delays, and is charged to, the requests queued behind it (no
coordinated omission). Prints the counts and latency percentiles as one JSON line.

  fixed_rate.py HOST PORT KEY QUERIES_FILE RATE SECONDS CONNECTIONS
"""
import asyncio
import json
import sys
import time


async def connection(host, port, key, bodies, slots, start, latencies, failures):
    reader, writer = await asyncio.open_connection(host, port)
    for slot in slots:
        body = bodies[slot % len(bodies)].encode()
        due = start + slot / RATE
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        writer.write(b"POST /v1/search HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
                     b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s"
                     % (host.encode(), key.encode(), len(body), body))
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        status = int(head.split(b" ", 2)[1])
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
        await reader.readexactly(length)
        latencies.append((time.perf_counter() - due) * 1000)
        if status != 200:
            failures.append(status)
    writer.close()


async def main():
    global RATE
    host, port, key, path, rate, seconds, connections = sys.argv[1:8]
    RATE = float(rate)
    bodies = [l for l in open(path).read().split("\n") if l.strip()]
    total = int(RATE * float(seconds))
    n = int(connections)
    latencies, failures = [], []
    start = time.perf_counter() + 0.2
    await asyncio.gather(*[
        connection(host, int(port), key, bodies, range(c, total, n), start, latencies, failures)
        for c in range(n)])
    elapsed = time.perf_counter() - start
    latencies.sort()
    pick = lambda q: round(latencies[min(len(latencies) - 1, int(q * len(latencies)))], 2)
    print(json.dumps({"requests": len(latencies), "rate_per_s": round(len(latencies) / elapsed, 1),
                      "non_2xx": len(failures), "errors": 0, "timeouts": 0,
                      "latency_ms": {"p50": pick(0.5), "p90": pick(0.9), "p99": pick(0.99),
                                     "max": round(latencies[-1], 2)}}))


RATE = 1.0
asyncio.run(main())
