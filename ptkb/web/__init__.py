"""`ptkb serve`: the classroom explorer in the browser (an ASGI app: Starlette, uvicorn, vendored htmx).

Toggle a finding and watch the plan and the reasoning graph change, with what was gained and lost
marked; ask why a conclusion was reached or why not; run the interactive consultation; export the case
as a scenario file or open one; every state is a permalink. See `ptkb.web.app`.
"""
from ptkb.web.app import create_app

__all__ = ["create_app", "serve"]

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(scenarios="scenarios", host: str = "127.0.0.1", port: int = 8000, workers: int = 1, log=print) -> None:
    """Run the explorer until interrupted. Bound to localhost by default; any other address is
    announced with a warning (the classroom network will see it)."""
    import os
    import socket

    import uvicorn

    from engine.errors import UsageError
    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: expected a port from 1 to 65535")
    if workers < 1:
        raise UsageError(f"--workers {workers}: expected 1 or more")
    local = host in LOOPBACK
    hosts = ["127.0.0.1", "localhost"] if local else []  # a page on another site cannot reach it by name
    app = create_app(scenarios, hosts or None)  # a bad scenario folder is reported before anything listens
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port} ({exc.strerror or exc}); is another server running? "
                         "Choose another with --port") from None
    if not local:
        log(f"ptkb serve: warning: listening on {host}: other computers on this network can open the explorer "
            "(it is read-only, but anyone can see and change the cases they open)")
    log(f"ptkb serve: the explorer on {os.fspath(scenarios)}/ at http://{'127.0.0.1' if local else host}:{port}/ "
        "(Ctrl-C stops it)")
    if workers > 1:  # each worker process builds its own app (one engine per process)
        os.environ["PTKB_SERVE_SCENARIOS"] = os.fspath(scenarios)
        os.environ["PTKB_SERVE_HOSTS"] = ",".join(hosts)
        uvicorn.run("ptkb.web.app:create_app_from_env", factory=True, host=host, port=port, workers=workers,
                    log_level="warning")
    else:
        uvicorn.run(app, host=host, port=port, log_level="warning")
