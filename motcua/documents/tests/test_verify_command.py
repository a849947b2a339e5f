"""`motcua documents verify FILE.pdf`: exit 0 for a valid signature, 1 otherwise, 2 bad input."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from motcua.documents import signing
from motcua.documents.tests.pki import PASSPHRASE, make_ca, tiny_pdf


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("documents", "verify", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_verify_command_exit_status(tmp_path: Path, settings, monkeypatch) -> None:
    ca = make_ca(tmp_path)
    p12 = ca.issue(tmp_path, "UBND xã Mỹ An")
    monkeypatch.setenv("PASS_C1", PASSPHRASE)
    settings.MOTCUA_SIGNING_KEYS = {"C1": {"pkcs12": str(p12), "passphrase_env": "PASS_C1"}}
    settings.MOTCUA_SIGNING_TRUST_ROOTS = str(ca.root_pem)
    signed = signing.sign_for("C1", tiny_pdf("Ket qua 123"))
    good = tmp_path / "ket-qua.pdf"
    good.write_bytes(signed)

    code, out, _ = _run(str(good))
    assert code == 0
    assert out.startswith("ket-qua.pdf: Đã ký số — UBND xã Mỹ An, ")
    assert out.strip().endswith("hợp lệ")

    bad = tmp_path / "sua.pdf"
    bad.write_bytes(signed.replace(b"Ket qua 123", b"Ket qua 923"))
    code, out, err = _run(str(bad))
    assert (code, out) == (1, "")
    assert "sua.pdf: Chữ ký không hợp lệ: nội dung đã bị thay đổi sau khi ký" in err

    plain = tmp_path / "chua-ky.pdf"
    plain.write_bytes(tiny_pdf())
    assert _run(str(plain))[0] == 1 and "Chưa ký số" in _run(str(plain))[2]

    other = make_ca(tmp_path, slot="other", name="CA khác")
    code, _, err = _run(str(good), "--trust-root", str(other.root_pem))
    assert code == 1 and "không do tổ chức chứng thực được tin cậy cấp" in err

    code, _, err = _run(str(tmp_path / "khong-co.pdf"))
    assert code == 2 and "không đọc được tệp" in err


def test_missing_trust_root_is_a_usage_error(tmp_path: Path) -> None:
    plain = tmp_path / "a.pdf"
    plain.write_bytes(tiny_pdf())
    code, _, err = _run(str(plain), "--trust-root", str(tmp_path / "none.pem"))
    assert code == 2 and "không đọc được tệp chứng thư gốc" in err
