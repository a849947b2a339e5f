"""The `motcua` command: one entry point for serving, data loading, imports and calculations."""

from __future__ import annotations

import argparse
import os
import sys

USAGE = """\
usage: motcua COMMAND [ARGS...]

Lệnh / commands:
  migrate                     tạo hoặc nâng cấp cơ sở dữ liệu (apply database migrations)
  serve [--host H] [--port P] [--workers N] [--dev]
                              chạy máy chủ web; --workers N: gunicorn với N tiến trình
                              (serve the web application; production: --workers N);
                              từ chối khóa bí mật phát triển, cổng thanh toán demo, DEBUG
                              ngoài 127.0.0.1 trừ khi có --dev (refuses unsafe settings
                              unless --dev, for development on your own machine)
  demo [--seed N] [--dossiers N] [--today D]
                              nạp tỉnh mẫu Đồng Tháp (load the demo province)
  createsuperuser             tạo tài khoản quản trị (create an administrator)
  import units FILE.csv       nhập đơn vị từ CSV (import units)
  import procedures FILE.csv  nhập danh mục thủ tục (import the procedure catalogue)
  import catalogue PATH...    nhập danh mục TTHC quốc gia (import the national catalogue)
  import dossiers FILE.csv    nhập hồ sơ từ hệ thống cũ (import legacy dossiers)
  import tasks FILE.csv       nhập nhiệm vụ được giao (import tasks handed down)
  import index-published FILE.json --period 2026-M08
                              nhập số liệu Chỉ số 766 đã công bố (the portal's 766 figures)
  calendar due|days|...       lịch làm việc và hạn xử lý (working calendar and deadlines)
  stats dossiers|feedback|tasks|rebuild-rollup ...
                              thống kê hồ sơ, phản ánh, nhiệm vụ theo kỳ (statistics)
  index services ...          chỉ số phục vụ theo Quyết định 766 (the Decision 766 index)
  index warn [--hours N] [--today ISO]
                              cảnh báo hồ sơ sắp quá hạn (early warnings, once per rung)
  report dossiers ...         Biểu 06/VPCP/KSTT dạng XLSX, DOCX, PDF (the official table)
  par import-set FILE.csv --code C --year Y --unit-type T --survey-max P
  par import-scores|import-survey FILE.csv --set C
  par results --set C [--format json|table]
                              Chỉ số CCHC: bộ tiêu chí, điểm, xếp hạng (the PAR Index)
  par import-indices FILE.csv SIPAS, PAPI, PCI, DTI … theo năm (other indices by year)
  tasks due|remind            thời hạn nhiệm vụ được giao, nhắc hạn (task deadlines, reminders)
  feedback remind|close-due   nhắc hạn và đóng phản ánh, kiến nghị (feedback reminders, closing)
  sync national [--once] [--limit N]
                              đồng bộ hồ sơ lên Cổng DVC quốc gia (national portal sync)
  backup --out DIR            sao lưu CSDL và tệp tải lên (back up the database and uploads)
  restore DIR [--force]       khôi phục từ bản sao lưu (restore a backup, checksums first)
  idempotency forget-expired  xoá khoá chống gửi trùng hết hạn (forget expired idempotency keys)
  documents verify FILE.pdf [--trust-root PEM]
                              kiểm tra chữ ký số của tệp PDF (verify a signed PDF;
                              exit 0 valid, 1 unsigned or invalid)
  worker [--no-schedule] [--batch]
                              chạy công việc nền: thông báo, đồng bộ, nhắc hạn (background jobs)
  manage ARGS...              chuyển thẳng cho Django (pass through to Django's manage.py)

The database is chosen by DATABASE_URL (default: an SQLite file under ./var/).
"""

# `motcua X` runs the Django management command of the same name unless mapped here.
_COMMANDS = {
    "migrate": "migrate",
    "demo": "demo",
    "createsuperuser": "createsuperuser",
    "import": "import",
    "calendar": "calendar",
    "stats": "stats",
    "report": "report",
    "index": "index",
    "feedback": "feedback",
    "tasks": "assignments",
    "idempotency": "idempotency",
    "sync": "sync",
    "par": "par",
    # backups (issue 16 item 7): motcua/console/backup.py
    "backup": "backup",
    "restore": "restore",
    # Signed papers (issue 16, signing): motcua documents verify FILE.pdf
    "documents": "documents",
    # Background work (docs/decisions/0002-task-queue.md)
    "worker": "worker",
}


def _serve(args: list[str]) -> list[str]:
    """The command line that serves motcua: Django's server, or gunicorn with --workers N."""
    parser = argparse.ArgumentParser(prog="motcua serve", description="Serve motcua over HTTP.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--reload", action="store_true", help="reload on code changes")
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="serve with gunicorn and N worker processes (0: Django's development server)",
    )
    parser.add_argument(
        "--dev",
        action="store_true",
        help="development on this machine: allow the development secret key, the demo "
        "payment gateway and DEBUG (what `make run` passes)",
    )
    opts = parser.parse_args(args)
    if not 0 < opts.port < 65536:
        parser.error(f"--port {opts.port}: must be between 1 and 65535")
    if not 0 <= opts.workers <= 64:
        parser.error(f"--workers {opts.workers}: must be between 0 and 64")
    if opts.workers and opts.reload:
        parser.error("--reload works with the development server only (without --workers)")
    _refuse_unsafe(opts.host, dev=opts.dev)
    host = f"[{opts.host}]" if ":" in opts.host else opts.host
    if opts.workers:
        # docs/decisions/0001-gunicorn.md: one process per core; static files by WhiteNoise.
        return [
            "gunicorn",
            "motcua.wsgi:application",
            "--workers",
            str(opts.workers),
            "--bind",
            f"{host}:{opts.port}",
            "--access-logfile",
            "-",
        ]
    argv = ["runserver", f"{host}:{opts.port}"]
    if not opts.reload:
        argv.append("--noreload")
    return argv


def _refuse_unsafe(host: str, *, dev: bool) -> None:
    """Exit with status 2 when these settings must not be served (docs/security.md)."""
    from django.conf import settings

    from motcua.lib.servecheck import refusal_message, serve_refusals

    problems = serve_refusals(
        secret_key=settings.SECRET_KEY,
        payment_gateway=settings.MOTCUA_PAYMENT_GATEWAY,
        debug=settings.DEBUG,
        host=host,
    )
    if dev and settings.PRODUCTION:
        sys.stderr.write(
            "motcua serve: --dev chỉ dùng khi phát triển, không dùng với MOTCUA_ENV=production "
            "/ --dev is for development, not with MOTCUA_ENV=production\n"
        )
        raise SystemExit(2)
    if problems and dev:
        sys.stderr.write(
            "motcua serve --dev: chỉ để phát triển trên máy của mình "
            "/ for development on your own machine only\n"
        )
    elif problems:
        sys.stderr.write(refusal_message(problems))
        raise SystemExit(2)


def _gunicorn(argv: list[str]) -> int:
    """Run gunicorn in this process with `argv` (its own command line)."""
    from gunicorn.app.wsgiapp import WSGIApplication

    sys.argv = argv
    WSGIApplication("%(prog)s [OPTIONS] [APP_MODULE]", prog="motcua serve").run()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one motcua command and return its exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(USAGE)
        return 0
    if args[0] in {"--version", "version"}:
        from motcua import __version__

        sys.stdout.write(f"motcua {__version__}\n")
        return 0
    command, rest = args[0], args[1:]
    if command == "manage":
        django_argv = rest
    elif command == "serve":
        django_argv = _serve(rest)
        if django_argv[0] == "gunicorn":
            return _gunicorn(django_argv)
    elif command in _COMMANDS:
        django_argv = [_COMMANDS[command], *rest]
    else:
        sys.stderr.write(f"motcua: unknown command {command!r}\n\n{USAGE}")
        return 2

    if command in _COMMANDS and command not in _CHECKED:
        return _run_unchecked(django_argv)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["motcua", *django_argv])
    return 0


# Start-up (issue 16, docs/performance.md): Django's system checks cost every command about
# 0.6 s before it did anything. The motcua commands run without them; `migrate` keeps its own
# (database) checks, `motcua manage check [--deploy]` runs them all, and so does the server
# (runserver on start; `check --deploy` belongs to the deployment, docs/installation.md).
_CHECKED = {"migrate"}


def _run_unchecked(django_argv: list[str]) -> int:
    """Run a motcua management command without Django's system checks."""
    import django
    from django.core.management import BaseCommand, get_commands, load_command_class

    django.setup()
    name = django_argv[0]
    app = get_commands()[name]
    command = app if isinstance(app, BaseCommand) else load_command_class(app, name)
    command.requires_system_checks = []
    command.run_from_argv(["motcua", *django_argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
