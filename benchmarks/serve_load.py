"""A bounded load test of `ptkb serve` on the loopback interface: simulated students toggling findings.

A server process is started on 127.0.0.1 (a free port) and stopped at the end, whatever happens. Each
simulated user opens a scenario, then until the time is up: flips one finding (true <-> false, or a
finding not examined to true) with the request the page itself sends on a change (htmx: the result
pane, with the previous state for the diff), and reads the answer for a think time (uniform
`think` seconds) before the next change. Reported: round-trip p50 / p95 / max, requests, errors
(anything but 200), and the server's memory (RSS of the server and its workers) at start and end.

    uv run python benchmarks/serve_load.py --users 20 --seconds 30
"""
from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    """The memory of the server and its worker processes (not the Graphviz processes it runs)."""
    import psutil
    process = psutil.Process(pid)
    family = [process] + [c for c in process.children(recursive=True) if c.name().startswith("python")]
    return sum(p.memory_info().rss for p in family) / 2 ** 20


async def _user(client, entry: str, deadline: float, think: tuple[float, float], rng: random.Random,
                latencies: list, errors: list) -> None:
    from kb.vocabulary import FINDINGS, FindingType
    response = await client.get(f"/scenario/{entry}", follow_redirects=False)
    query = urllib.parse.urlsplit(response.headers["location"]).query
    toggles = [f for f, d in FINDINGS.items() if d.type is FindingType.BOOL]
    while time.monotonic() < deadline:
        pairs = urllib.parse.parse_qsl(query)
        current = dict(pairs)
        finding = rng.choice(toggles)
        flipped = "false" if current.get(finding) == "true" else "true"
        new = [(k, v) for k, v in pairs if k != finding] + [(finding, flipped)]
        url = "/case?" + urllib.parse.urlencode(new + [("_was", query)])
        start = time.perf_counter()
        try:
            answer = await client.get(url, headers={"HX-Request": "true", "HX-Target": "result"})
            if answer.status_code != 200:
                errors.append(f"{answer.status_code} {url[:120]}")
            else:
                query = urllib.parse.urlsplit(answer.headers["hx-push-url"]).query
        except Exception as exc:  # a refused or dropped connection counts as an error, not a crash
            errors.append(f"{type(exc).__name__}: {exc}")
        latencies.append((time.monotonic(), 1000 * (time.perf_counter() - start)))
        await asyncio.sleep(rng.uniform(*think))


async def _sample(pid: int, deadline: float, samples: list, every: float = 2.0) -> None:
    while time.monotonic() < deadline:
        samples.append((time.monotonic(), rss_mb(pid)))
        await asyncio.sleep(every)


async def _run(base: str, users: int, seconds: float, think: tuple[float, float], seed: int, pid: int,
               samples: list) -> tuple[list, list]:
    """Latencies as (time, ms) and error texts of `users` simulated users for `seconds`."""
    import httpx
    rng = random.Random(seed)
    from engine.case import find_case_files
    scenarios = [p.relative_to(ROOT / "scenarios").with_suffix("").as_posix()
                 for p in find_case_files([ROOT / "scenarios"])]
    latencies: list[float] = []
    errors: list[str] = []
    limits = httpx.Limits(max_connections=users)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        deadline = time.monotonic() + seconds
        await asyncio.gather(_sample(pid, deadline, samples), *(_user(client, rng.choice(scenarios), deadline, think, random.Random(rng.random()),
                                     latencies, errors) for _ in range(users)))
    return latencies, errors


def run_load(users: int = 20, seconds: float = 30, think: tuple[float, float] = (0.5, 1.5), workers: int = 1,
             seed: int = 0, warmup: float = 10) -> dict:
    """Start a server, run the simulated users for `warmup` + `seconds`, stop the server; the figures of
    the last `seconds` (after the warm-up has filled the server's bounded caches) as a dict."""
    import httpx
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "ptkb.cli", "serve", "--port", str(port), "--workers",
                               str(workers), str(ROOT / "scenarios")], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/favicon.ico", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            raise RuntimeError("the server did not start: " + server.stderr.read1().decode(errors="replace"))
        warm = httpx.get(base + "/scenario/nerve/case-study-sciatic-nerve", follow_redirects=True, timeout=30)
        warm.raise_for_status()
        rss_first = rss_mb(server.pid)
        samples: list[tuple[float, float]] = []
        begin = time.monotonic()
        # in a thread of its own: the caller may have an event loop running (a notebook, a test)
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(1) as pool:
            timed, errors = pool.submit(asyncio.run, _run(base, users, warmup + seconds, think, seed, server.pid,
                                                           samples)).result()
        rss_end = rss_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
    measured = begin + warmup
    ordered = sorted(ms for t, ms in timed if t >= measured)
    window = [mb for t, mb in samples if t >= measured]
    return {"port": port, "users": users, "seconds": seconds, "warmup_s": warmup, "think_s": think, "workers": workers,
            "requests": len(ordered), "rss_first_mb": rss_first, "rss_samples_mb": window,
            "errors": len(errors), "error_examples": errors[:3], "p50_ms": statistics.median(ordered),
            "p95_ms": ordered[int(0.95 * (len(ordered) - 1))], "max_ms": ordered[-1],
            "rss_start_mb": window[0] if window else rss_end, "rss_end_mb": rss_end}


def report(figures: dict) -> None:
    print(f"serve (ptkb serve on 127.0.0.1, {figures['workers']} worker(s); {figures['users']} simulated users "
          f"toggling a finding every {figures['think_s'][0]:g}-{figures['think_s'][1]:g} s for {figures['seconds']:g} s "
          f"after {figures['warmup_s']:g} s of warm-up):")
    print(f"  {figures['requests']} toggles, errors {figures['errors']}"
          + (f" (e.g. {figures['error_examples'][0]})" if figures["errors"] else ""))
    print(f"  round trip p50 {figures['p50_ms']:.1f} ms, serve_p95_ms {figures['p95_ms']:.1f} (target <= 150), "
          f"max {figures['max_ms']:.1f} ms")
    print(f"  server RSS {figures['rss_first_mb']:.1f} MB after the first page; {figures['rss_start_mb']:.1f} MB at start, {figures['rss_end_mb']:.1f} MB at end "
          f"({figures['rss_end_mb'] - figures['rss_start_mb']:+.1f} MB); every 2 s: "
          + " ".join(f"{m:.0f}" for m in figures["rss_samples_mb"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, nargs=2, default=(0.5, 1.5), metavar=("MIN", "MAX"))
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=10, help="seconds of load before the measurement")
    args = parser.parse_args(argv)
    figures = run_load(args.users, args.seconds, tuple(args.think), args.workers, warmup=args.warmup)
    report(figures)
    return 1 if figures["errors"] else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
