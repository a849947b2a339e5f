"""`motcua documents verify FILE.pdf`: check the digital signatures of a PDF.

Exit status 0 when every signature is intact, trusted (settings.MOTCUA_SIGNING_TRUST_ROOTS or
`--trust-root PEM`) and nothing was added after the last one; 1 when the file is unsigned or a
signature is not valid; 2 for bad arguments (no such file).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser

from motcua.documents.signing import SigningError, load_certificates, verify_pdf
from motcua.lib.commands import CommandFailure, MotcuaCommand

PROG = "motcua documents verify"


class Command(MotcuaCommand):
    help = "Kiểm tra chữ ký số của tệp PDF. Verify the digital signatures of a PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
        verify = sub.add_parser("verify", help="kiểm tra chữ ký số (verify a signed PDF)")
        verify.add_argument("file", help="the PDF file")
        verify.add_argument(
            "--trust-root",
            action="append",
            default=None,
            metavar="PEM",
            help="trusted root certificate (repeatable; default MOTCUA_SIGNING_TRUST_ROOTS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"]).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandFailure(
                f"{PROG}: không đọc được tệp {str(path)!r}: {exc.strerror or exc}", code=2
            ) from None
        roots = None
        if options.get("trust_root"):
            try:
                roots = load_certificates([Path(p) for p in options["trust_root"]])
            except SigningError as exc:
                raise CommandFailure(f"{PROG}: {exc.message}", code=2) from None
        try:
            check = verify_pdf(data, trust_roots=roots)
        except SigningError as exc:
            raise CommandFailure(f"{PROG}: {exc.message}", code=2) from None
        line = check.label
        if check.detail:
            line = f"{line}: {check.detail}"
        if check.count > 1:
            line = f"{line} ({check.count} chữ ký)"
        if not check.valid:
            raise CommandFailure(f"{path.name}: {line}", code=1)
        self.stdout.write(f"{path.name}: {line}")
