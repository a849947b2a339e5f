"""PAdES signing and verification (motcua/documents/signing.py) with a CA made by the test."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from pyhanko.pdf_utils.generic import pdf_string
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from motcua.documents import signing
from motcua.documents.signing import SignatureState, SigningError
from motcua.documents.tests.pki import PASSPHRASE, Authority, make_ca, tiny_pdf


@pytest.fixture
def ca(tmp_path: Path) -> Authority:
    return make_ca(tmp_path)


@pytest.fixture
def configured(ca: Authority, tmp_path: Path, settings, monkeypatch) -> Path:
    """Unit C1 has a key (passphrase in MOTCUA_SIGNING_PASS_C1); the test CA is trusted."""
    p12 = ca.issue(tmp_path, "UBND xã Mỹ An")
    monkeypatch.setenv("MOTCUA_SIGNING_PASS_C1", PASSPHRASE)
    settings.MOTCUA_SIGNING_KEYS = (
        f'{{"C1": {{"pkcs12": "{p12}", "passphrase_env": "MOTCUA_SIGNING_PASS_C1"}}}}'
    )
    settings.MOTCUA_SIGNING_TRUST_ROOTS = str(ca.root_pem)
    return p12


def test_sign_then_verify_names_the_signer_and_the_time(configured: Path) -> None:
    before = timezone.now().replace(microsecond=0)
    signed = signing.sign_for("C1", tiny_pdf(), reason="Kết quả giải quyết", location="Mỹ An")
    assert signed.startswith(tiny_pdf())  # an incremental update: the original bytes first
    assert b"/ETSI.CAdES.detached" in signed
    check = signing.verify_pdf(signed)
    assert check.state == SignatureState.VALID and check.valid
    assert check.signer == "UBND xã Mỹ An"
    assert check.intact and check.trusted and not check.modified_after_signing
    assert check.signed_at is not None
    assert before - dt.timedelta(seconds=1) <= check.signed_at <= timezone.now()
    local = check.signed_at.astimezone(signing.LOCAL_TZ)
    assert check.label == f"Đã ký số — UBND xã Mỹ An, {local:%d/%m/%Y %H:%M}, hợp lệ"


def test_one_changed_byte_makes_the_signature_invalid(configured: Path) -> None:
    signed = signing.sign_for("C1", tiny_pdf("Ket qua 123"), reason="Kết quả")
    tampered = bytearray(signed)
    at = signed.index(b"Ket qua 123")
    tampered[at + 8] = ord("9")  # "Ket qua 923": the content, inside the signed range
    check = signing.verify_pdf(bytes(tampered))
    assert check.state == SignatureState.INVALID and not check.intact
    assert check.label == "Chữ ký không hợp lệ"
    assert check.detail == "nội dung đã bị thay đổi sau khi ký"


def test_an_update_appended_after_signing_is_detected(configured: Path) -> None:
    signed = signing.sign_for("C1", tiny_pdf())
    writer = IncrementalPdfFileWriter(io.BytesIO(signed))
    writer.root["/Lang"] = pdf_string("en")  # a well-formed incremental update, unsigned
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    check = signing.verify_pdf(out.getvalue())
    assert check.state == SignatureState.INVALID
    assert check.modified_after_signing and check.intact
    assert check.detail == "tệp đã được thêm nội dung sau khi ký"
    # Rubbish appended after the signature breaks the file: invalid as well.
    assert signing.verify_pdf(signed + b"1 0 obj\n<< >>\nendobj\n").state == "invalid"


def test_another_root_leaves_the_signature_untrusted(configured: Path, tmp_path: Path) -> None:
    signed = signing.sign_for("C1", tiny_pdf())
    other = make_ca(tmp_path, slot="other", name="CA khác")
    check = signing.verify_pdf(signed, trust_roots=signing.load_certificates([other.root_pem]))
    assert check.state == SignatureState.UNTRUSTED
    assert check.intact and not check.trusted and not check.valid
    assert check.label == "Chữ ký không hợp lệ"
    assert "không do tổ chức chứng thực được tin cậy cấp" in check.detail


def test_an_owner_without_a_key_issues_unsigned(configured: Path) -> None:
    data = tiny_pdf()
    assert signing.key_for("X9") is None
    assert signing.sign_for("X9", data) is data
    check = signing.verify_pdf(data)
    assert check.state == SignatureState.UNSIGNED and check.label == "Chưa ký số"


def test_a_second_signature_keeps_the_file_valid(configured: Path) -> None:
    twice = signing.sign_for("C1", signing.sign_for("C1", tiny_pdf()))
    check = signing.verify_pdf(twice)
    assert check.valid and check.count == 2


def test_not_a_pdf_is_invalid_not_a_crash(configured: Path) -> None:
    check = signing.verify_pdf(b"%PDF-1.7\n/ByteRange [0 1 2 3] rubbish")
    assert check.state == SignatureState.INVALID and check.problem
    assert signing.verify_pdf(b"%PDF-1.7\nrubbish").state == SignatureState.UNSIGNED


def test_missing_passphrase_or_file_refuses_with_a_message(
    configured: Path, settings, monkeypatch
) -> None:
    monkeypatch.setenv("MOTCUA_SIGNING_PASS_C1", "sai-mat-khau")
    with pytest.raises(SigningError, match="sai mật khẩu"):
        signing.sign_for("C1", tiny_pdf())
    monkeypatch.delenv("MOTCUA_SIGNING_PASS_C1")
    with pytest.raises(SigningError, match="MOTCUA_SIGNING_PASS_C1"):
        signing.sign_for("C1", tiny_pdf())
    settings.MOTCUA_SIGNING_KEYS = {"C2": {"pkcs12": "/khong/co.p12"}}
    with pytest.raises(SigningError, match="không tìm thấy tệp khóa ký số"):
        signing.sign_for("C2", tiny_pdf())


def test_bad_configuration_is_improperly_configured(settings) -> None:
    settings.MOTCUA_SIGNING_KEYS = "{not json"
    with pytest.raises(ImproperlyConfigured):
        signing.signing_keys()
    settings.MOTCUA_SIGNING_KEYS = {"C1": {"passphrase_env": "X"}}
    with pytest.raises(ImproperlyConfigured):
        signing.signing_keys()


def test_deploy_check_names_missing_key_files_and_variables(
    configured: Path, settings, monkeypatch, tmp_path: Path
) -> None:
    from motcua.documents.checks import signing_keys_usable

    assert signing_keys_usable() == []
    monkeypatch.delenv("MOTCUA_SIGNING_PASS_C1")
    settings.MOTCUA_SIGNING_KEYS = {
        "C1": {"pkcs12": str(configured), "passphrase_env": "MOTCUA_SIGNING_PASS_C1"},
        "C2": {"pkcs12": str(tmp_path / "none.p12")},
    }
    settings.MOTCUA_SIGNING_TRUST_ROOTS = ""
    ids = sorted(str(message.id) for message in signing_keys_usable())
    assert ids == ["motcua.W101", "motcua.W102", "motcua.W103"]
    settings.MOTCUA_SIGNING_KEYS = "{broken"
    assert [m.id for m in signing_keys_usable()] == ["motcua.E101"]


def test_a_checked_file_is_remembered_by_content_and_a_changed_byte_is_checked_again(
    configured: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed = signing.sign_for("C1", tiny_pdf("Ket qua 123"), reason="Kết quả")
    calls: list[bytes] = []
    real = signing.verify_pdf

    def counting(data: bytes, **kw: object) -> signing.SignatureCheck:
        calls.append(data)
        return real(data, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(signing, "verify_pdf", counting)
    assert signing.verify_pdf_cached(signed).valid
    assert signing.verify_pdf_cached(signed).valid
    assert len(calls) == 1  # the second page view costs a hash, not a validation
    tampered = signed.replace(b"Ket qua 123", b"Ket qua 923")
    assert signing.verify_pdf_cached(tampered).state == SignatureState.INVALID
    assert len(calls) == 2
