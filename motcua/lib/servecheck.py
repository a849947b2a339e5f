"""Safe by default: what `motcua serve` refuses to start with (docs/security.md).

A server that others can reach never runs with the public development secret key, the demo
payment gateway, or DEBUG on an address other than loopback. `make run` passes `--dev` (a
developer's own machine); everywhere else `motcua serve` stops with a message naming the
variable to set. This module imports nothing from Django so that settings can import it.
"""

from __future__ import annotations

import ipaddress

# The key settings fall back to when MOTCUA_SECRET_KEY is unset in development. It is in the
# public repository: anyone could forge signed values (rating tokens, sessions) with it.
DEVELOPMENT_SECRET_KEY = "motcua-development-only-secret-key-never-use-in-production"  # noqa: S105

_NEW_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def is_loopback(host: str) -> bool:
    """Whether `host` (as given to --host, IPv6 with or without brackets) is this machine only."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def serve_refusals(*, secret_key: str, payment_gateway: str, debug: bool, host: str) -> list[str]:
    """The reasons not to serve with these settings on `host`, one bilingual line each
    (Vietnamese, then English), each naming the environment variable to set; [] when safe."""
    problems: list[str] = []
    if not secret_key.strip() or secret_key == DEVELOPMENT_SECRET_KEY:
        problems.append(
            "MOTCUA_SECRET_KEY: đang dùng khóa bí mật dành cho phát triển (công khai) hoặc khóa "
            f"rỗng; hãy đặt MOTCUA_SECRET_KEY là một chuỗi ngẫu nhiên dài, ví dụ `{_NEW_KEY}`. "
            "/ The development (public) or an empty secret key is in use; set "
            "MOTCUA_SECRET_KEY to a long random string."
        )
    if payment_gateway.strip() == "demo":
        problems.append(
            "MOTCUA_PAYMENT_GATEWAY: cổng thanh toán thử `demo` ghi nhận thanh toán mà không "
            "thu tiền; hãy đặt MOTCUA_PAYMENT_GATEWAY là đường dẫn tới lớp cổng thanh toán thật "
            "hoặc để rỗng (MOTCUA_PAYMENT_GATEWAY=) để nộp phí tại Bộ phận Một cửa. / The demo "
            "gateway records payments without money; set MOTCUA_PAYMENT_GATEWAY to a real "
            "gateway class or to the empty string (fees paid at the desk)."
        )
    if debug and not is_loopback(host):
        problems.append(
            f"MOTCUA_DEBUG: chế độ gỡ lỗi đang bật trong khi máy chủ nghe trên {host}, nơi máy "
            "khác truy cập được (chế độ này để lộ cấu hình và mã nguồn khi có lỗi); hãy đặt "
            f"MOTCUA_DEBUG=0. / DEBUG is on while binding to {host}, reachable from other "
            "machines (error pages expose settings and code); set MOTCUA_DEBUG=0."
        )
    return problems


def refusal_message(problems: list[str]) -> str:
    """The whole text `motcua serve` prints before exiting non-zero."""
    lines = [
        "motcua serve: từ chối khởi động vì cấu hình không an toàn "
        "/ refusing to start with an unsafe configuration:",
        *(f"  - {p}" for p in problems),
        "Chỉ để phát triển trên máy của mình: `make run` hoặc `motcua serve --dev`. "
        "/ For development on your own machine only: `make run` or `motcua serve --dev`.",
    ]
    return "\n".join(lines) + "\n"
