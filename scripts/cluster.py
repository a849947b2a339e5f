#!/usr/bin/env python3
"""Start motcua past one machine's single process, on this machine (docs/deployment.md).

    python scripts/cluster.py up --dir DIR [--port-base N] [--app-servers 2] [--fast] [--demo]
    python scripts/cluster.py status --dir DIR
    python scripts/cluster.py stop-app --dir DIR N       (stop application server N, 1-based)
    python scripts/cluster.py down --dir DIR

`up` starts, each in DIR:
- a PostgreSQL primary (wal_level=replica) and a hot-standby replica fed by streaming
  replication (pg_basebackup -R), on 127.0.0.1;
- migrates the primary and collects the static files once;
- N application servers (`motcua serve --workers 1`, production settings) on their own ports,
  writing to the primary and reading statistics, index and report pages from the replica
  (`MOTCUA_REPLICA_DATABASE_URL`, motcua/lib/dbrouter.py);
- the task worker (`motcua worker`) when this motcua has one;
- nginx in front, balancing the application servers and retrying the next one when a server
  is down (`proxy_next_upstream`).
It writes DIR/cluster.json (ports, process ids, the database URLs) and DIR/env (the
environment an operator's `motcua` command needs to reach this cluster). Plain HTTP on
127.0.0.1 only: a real deployment puts TLS on the load balancer (docs/deployment.md).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"


def log(message: str) -> None:
    """One progress line on stderr."""
    print(f"== cluster: {message}", file=sys.stderr, flush=True)


def die(message: str) -> None:
    """Stop with an error message and status 1."""
    print(f"== cluster: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def pg_bin() -> Path:
    """The directory of the installed PostgreSQL server (15 preferred)."""
    candidates = [Path("/usr/lib/postgresql/15/bin")]
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for directory in candidates:
        if all((directory / name).exists() for name in ("initdb", "pg_ctl", "pg_basebackup")):
            return directory
    die("no PostgreSQL server under /usr/lib/postgresql/*/bin (scripts/system_deps.sh)")
    raise AssertionError


def pg_user() -> str | None:
    """The system user PostgreSQL runs as when we are root (it refuses root); None otherwise."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "motcua-ci"):
        if subprocess.run(["id", name], capture_output=True).returncode == 0:
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "motcua-ci"],
        check=True,
    )
    return "motcua-ci"


def as_pg(argv: list[str], **kw: object) -> subprocess.CompletedProcess:
    """Run a PostgreSQL tool as the cluster's owner."""
    user = pg_user()
    prefix = ["runuser", "-u", user, "--"] if user else []
    try:
        return subprocess.run(prefix + argv, check=True, **kw)  # type: ignore[call-overload]
    except subprocess.CalledProcessError as exc:
        output = exc.stderr or exc.stdout or b""
        text = output.decode(errors="replace") if isinstance(output, bytes) else str(output)
        die(f"{Path(argv[0]).name} failed: {text.strip()[-2000:]}")
        raise


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: object, what: str, timeout: float = 60.0) -> None:
    """Poll `check()` until it is true, or die naming `what`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except OSError:
            pass
        time.sleep(0.2)
    die(f"{what} did not come up within {timeout:.0f} s")


def http_ok(url: str) -> bool:
    """True when `url` answers below 500."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (our own URL)
            return int(response.status) < 500
    except urllib.error.HTTPError as exc:
        return exc.code < 500


def state_path(directory: Path) -> Path:
    """Where `up` records the cluster."""
    return directory / "cluster.json"


def load_state(directory: Path) -> dict:
    """The recorded cluster, or die."""
    path = state_path(directory)
    if not path.exists():
        die(f"{path} not found: nothing started there")
    return json.loads(path.read_text())


def save_state(directory: Path, state: dict) -> None:
    """Record the cluster (0600: it holds the database passwords)."""
    path = state_path(directory)
    path.write_text(json.dumps(state, indent=2))
    path.chmod(0o600)


def motcua_env(state: dict, *, replica: bool) -> dict[str, str]:
    """The environment of a motcua process of this cluster."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOTCUA_")}
    env.pop("DATABASE_URL", None)
    env.update(
        {
            "DATABASE_URL": state["primary_url"],
            "MOTCUA_ENV": "production",
            "MOTCUA_DEBUG": "0",
            "MOTCUA_SECRET_KEY": state["secret_key"],
            "MOTCUA_VAR_DIR": str(Path(state["dir"]) / "var"),
            "MOTCUA_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Plain HTTP on 127.0.0.1: a real deployment terminates TLS on the balancer and
            # keeps these at their production defaults (docs/deployment.md).
            "MOTCUA_SSL_REDIRECT": "0",
            "MOTCUA_SECURE_COOKIES": "0",
            "MOTCUA_HSTS_SECONDS": "0",
            "MOTCUA_DB_CONN_MAX_AGE": "60",
            "PYTHONPATH": str(ROOT),
        }
    )
    if replica:
        env["MOTCUA_REPLICA_DATABASE_URL"] = state["replica_url"]
    return env


def start_postgres(directory: Path, state: dict, *, fast: bool) -> None:
    """A primary and a streaming hot-standby replica, both on 127.0.0.1."""
    binary = pg_bin()
    user = pg_user()
    if user:
        # Under /tmp, not DIR: the cluster's system user must reach it whatever DIR's parents.
        pg_dir = Path(tempfile.mkdtemp(prefix="motcua-cluster-pg.", dir="/tmp"))
    else:
        pg_dir = directory / "pg"
        pg_dir.mkdir(parents=True)
    state["pg_dir"] = str(pg_dir)
    sock = pg_dir / "sock"
    sock.mkdir()
    superuser_password = secrets.token_urlsafe(18)
    pwfile = pg_dir / "pwfile"
    pwfile.write_text(superuser_password + "\n")
    if user:
        for path in (pg_dir, sock, pwfile):
            shutil.chown(path, user)
    primary, replica = pg_dir / "primary", pg_dir / "replica"
    as_pg(
        [
            str(binary / "initdb"),
            "-D",
            str(primary),
            "-U",
            "postgres",
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            f"--pwfile={pwfile}",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        capture_output=True,
    )
    pwfile.unlink()
    settings = [
        "listen_addresses = '127.0.0.1'",
        f"port = {state['primary_port']}",
        f"unix_socket_directories = '{sock}'",
        "wal_level = replica",
        "max_wal_senders = 5",
        "hot_standby = on",
        "max_connections = 60",
    ]
    if fast:
        settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write("\n# scripts/cluster.py\n" + "\n".join(settings) + "\n")
    as_pg(
        [
            str(binary / "pg_ctl"),
            "-D",
            str(primary),
            "-l",
            str(pg_dir / "primary.log"),
            "-w",
            "start",
        ],
        capture_output=True,
    )
    app_password, repl_password = secrets.token_urlsafe(18), secrets.token_urlsafe(18)
    sql = (
        f"CREATE ROLE motcua LOGIN PASSWORD '{app_password}';"
        f"CREATE ROLE replicator REPLICATION LOGIN PASSWORD '{repl_password}';"
        "CREATE DATABASE motcua OWNER motcua;"
        # Bulk loads check foreign keys once per load (docs/decisions/0003-import-integrity.md).
        "GRANT SET ON PARAMETER session_replication_role TO motcua;"
    )
    for statement in sql.split(";"):
        if statement:
            as_pg(
                [
                    str(binary / "psql"),
                    "-h",
                    str(sock),
                    "-p",
                    str(state["primary_port"]),
                    "-U",
                    "postgres",
                    "-d",
                    "postgres",
                    "-qAt",
                    "-v",
                    "ON_ERROR_STOP=1",
                    "-c",
                    statement,
                ],
                capture_output=True,
            )
    as_pg(
        [
            str(binary / "pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(state["primary_port"]),
            "-U",
            "replicator",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
        ],
        capture_output=True,
        env={**os.environ, "PGPASSWORD": repl_password},
    )
    with (replica / "postgresql.auto.conf").open("a") as conf:
        conf.write(f"port = {state['replica_port']}\n")
    as_pg(
        [
            str(binary / "pg_ctl"),
            "-D",
            str(replica),
            "-l",
            str(pg_dir / "replica.log"),
            "-w",
            "start",
        ],
        capture_output=True,
    )
    state.update(
        {
            "pg_bin": str(binary),
            "pg_sock": str(sock),
            "pg_primary_dir": str(primary),
            "pg_replica_dir": str(replica),
            "primary_url": f"postgres://motcua:{app_password}@127.0.0.1:{state['primary_port']}/motcua",
            "replica_url": f"postgres://motcua:{app_password}@127.0.0.1:{state['replica_port']}/motcua",
        }
    )
    log(f"PostgreSQL primary on :{state['primary_port']}, replica on :{state['replica_port']}")


def psql(state: dict, which: str, query: str) -> str:
    """Run one query as the superuser on the primary or the replica (over the socket)."""
    port = state["primary_port"] if which == "primary" else state["replica_port"]
    done = as_pg(
        [
            str(Path(state["pg_bin"]) / "psql"),
            "-h",
            state["pg_sock"],
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            "motcua",
            "-qAt",
            "-c",
            query,
        ],
        capture_output=True,
        text=True,
    )
    return str(done.stdout).strip()


def start_app_server(directory: Path, state: dict, index: int) -> int:
    """Start application server `index` (1-based); return its process id."""
    port = state["app_ports"][index - 1]
    logfile = (directory / f"app{index}.log").open("ab")
    process = subprocess.Popen(
        [str(VENV_BIN / "motcua"), "serve", "--workers", "1", "--port", str(port)],
        env=motcua_env(state, replica=True),
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=ROOT,
    )
    return process.pid


def nginx_conf(directory: Path, state: dict) -> Path:
    """nginx in front of the application servers (plain HTTP, 127.0.0.1)."""
    run = directory / "nginx"
    run.mkdir(exist_ok=True)
    servers = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;"
        for port in state["app_ports"]
    )
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = run / "nginx.conf"
    conf.write_text(
        f"""{user}
worker_processes 1;
daemon off;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {run}/access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 50m;
    upstream motcua {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{state["balancer_port"]};
        location / {{
            proxy_pass http://motcua;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            # A server that is down or restarting: try the next one. POSTs too, but only
            # when the connection failed (nothing reached the application).
            proxy_next_upstream error timeout http_502 http_503;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""
    )
    return conf


def up(opts: argparse.Namespace) -> None:
    """Start the whole cluster in opts.dir."""
    directory = Path(opts.dir).resolve()
    if state_path(directory).exists():
        die(f"{directory} already holds a cluster: `down` it first")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        die("nginx not found (Debian: apt-get install nginx-light; scripts/system_deps.sh)")
    directory.mkdir(parents=True, exist_ok=True)
    state: dict = {
        "dir": str(directory),
        "secret_key": secrets.token_urlsafe(50),
        "primary_port": free_port(),
        "replica_port": free_port(),
        "app_ports": [free_port() for _ in range(opts.app_servers)],
        "balancer_port": opts.port or free_port(),
        "app_pids": [],
        "worker_pid": None,
        "nginx_pid": None,
    }
    save_state(directory, state)
    start_postgres(directory, state, fast=opts.fast)
    save_state(directory, state)
    env = motcua_env(state, replica=False)
    motcua = str(VENV_BIN / "motcua")
    subprocess.run([motcua, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run(
        [str(VENV_BIN / "motcua"), "manage", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        check=True,
    )
    if opts.demo:
        subprocess.run([str(VENV_BIN / "motcua"), "demo", "--if-empty"], env=env, check=True)
    log("primary migrated")
    state["app_pids"] = [start_app_server(directory, state, i + 1) for i in range(opts.app_servers)]
    save_state(directory, state)
    if worker_available():
        logfile = (directory / "worker.log").open("ab")
        worker = subprocess.Popen(
            [str(VENV_BIN / "motcua"), "worker"],
            env=motcua_env(state, replica=False),
            stdout=logfile,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            cwd=ROOT,
        )
        state["worker_pid"] = worker.pid
        save_state(directory, state)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    conf = nginx_conf(directory, state)
    process = subprocess.Popen(
        [nginx, "-c", str(conf), "-p", str(conf.parent)],
        stdout=(directory / "nginx" / "stdout.log").open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    state["nginx_pid"] = process.pid
    save_state(directory, state)
    for port in state["app_ports"]:
        wait_for(lambda port=port: http_ok(f"http://127.0.0.1:{port}/dang-nhap/"), f":{port}")
    balancer = f"http://127.0.0.1:{state['balancer_port']}"
    wait_for(lambda: http_ok(balancer + "/dang-nhap/"), "nginx")
    env_file = directory / "env"
    env_file.write_text(
        "".join(
            f"export {k}={v}\n"
            for k, v in motcua_env(state, replica=True).items()
            if k.startswith("MOTCUA_") or k == "DATABASE_URL"
        )
    )
    env_file.chmod(0o600)
    log(f"{opts.app_servers} application servers behind nginx on {balancer}")
    print(balancer)


def worker_available() -> bool:
    """Whether this motcua has a task worker command (`motcua worker`)."""
    done = subprocess.run(
        [str(VENV_BIN / "motcua"), "worker", "--help"], capture_output=True, cwd=ROOT
    )
    return done.returncode == 0


def alive_group(pid: int | None) -> bool:
    """Whether the process group started as `pid` still runs."""
    if not pid:
        return False
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    return True


def kill_group(pid: int | None, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
    """Signal a process group started with start_new_session, and wait for it to end."""
    if not pid:
        return
    try:
        os.killpg(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):  # our own child: reap it (no zombie)
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    os.killpg(pid, signal.SIGKILL)


def stop_app(opts: argparse.Namespace) -> None:
    """Stop one application server (the balancer keeps serving through the others)."""
    directory = Path(opts.dir).resolve()
    state = load_state(directory)
    if not 1 <= opts.number <= len(state["app_pids"]):
        die(f"no application server {opts.number}")
    kill_group(state["app_pids"][opts.number - 1])
    state["app_pids"][opts.number - 1] = None
    save_state(directory, state)
    log(f"application server {opts.number} stopped")


def down(opts: argparse.Namespace) -> None:
    """Stop everything `up` started and remove DIR's cluster files."""
    directory = Path(opts.dir).resolve()
    state = load_state(directory)
    kill_group(state.get("nginx_pid"), signal.SIGQUIT)
    for pid in state.get("app_pids", []):
        kill_group(pid)
    kill_group(state.get("worker_pid"))
    for key in ("pg_replica_dir", "pg_primary_dir"):
        data = state.get(key)
        if data and (Path(data) / "postmaster.pid").exists():
            as_pg(
                [str(Path(state["pg_bin"]) / "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"],
                capture_output=True,
            )
    if not opts.keep:
        if state.get("pg_dir"):
            shutil.rmtree(state["pg_dir"], ignore_errors=True)
        shutil.rmtree(directory, ignore_errors=True)
    log("stopped")


def status(opts: argparse.Namespace) -> None:
    """Print what runs, and the replica's lag behind the primary."""
    state = load_state(Path(opts.dir).resolve())
    print(f"balancer  http://127.0.0.1:{state['balancer_port']}")
    for i, (port, pid) in enumerate(zip(state["app_ports"], state["app_pids"], strict=True), 1):
        alive = pid is not None and http_ok(f"http://127.0.0.1:{port}/dang-nhap/")
        print(f"app {i}     :{port}  {'up' if alive else 'down'}")
    print(f"worker    {'up' if alive_group(state.get('worker_pid')) else 'down'}")
    replayed = psql(state, "replica", "SELECT pg_last_wal_replay_lsn()")
    behind = psql(state, "primary", f"SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '{replayed}')")
    print(f"replica   :{state['replica_port']}  {behind} bytes of WAL behind the primary")


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and run one subcommand."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_up = sub.add_parser("up", help="start primary, replica, app servers, worker, nginx")
    p_up.add_argument("--dir", required=True)
    p_up.add_argument("--app-servers", type=int, default=2)
    p_up.add_argument("--port", type=int, default=0, help="the balancer's port (default: free)")
    p_up.add_argument("--fast", action="store_true", help="fsync off (tests only)")
    p_up.add_argument("--demo", action="store_true", help="load the demo province")
    p_stop = sub.add_parser("stop-app", help="stop one application server")
    p_stop.add_argument("--dir", required=True)
    p_stop.add_argument("number", type=int)
    p_down = sub.add_parser("down", help="stop everything and remove DIR")
    p_down.add_argument("--dir", required=True)
    p_down.add_argument("--keep", action="store_true", help="keep DIR (logs, data)")
    p_status = sub.add_parser("status", help="what runs, and the replica's lag")
    p_status.add_argument("--dir", required=True)
    opts = parser.parse_args(argv)
    if opts.command == "up":
        try:
            up(opts)
        except BaseException:
            # Leave nothing running behind a failed start; keep the logs to read.
            if state_path(Path(opts.dir).resolve()).exists():
                down(argparse.Namespace(dir=opts.dir, keep=True))
            raise
        return
    {"stop-app": stop_app, "down": down, "status": status}[opts.command](opts)


if __name__ == "__main__":
    main()
