"""Digital signatures on PDF (PAdES baseline B-B) with pyHanko, and their verification.

No domain knowledge: a signing key belongs to an *owner*, a plain string (the apps use a unit
code). Keys are never in the repository: `settings.MOTCUA_SIGNING_KEYS` (read from the
environment as JSON) maps an owner to a PKCS#12 file and the NAME of the environment variable
that holds its passphrase; `settings.MOTCUA_SIGNING_TRUST_ROOTS` lists the PEM files of the
certification authorities whose signatures are trusted.

`sign_pdf` adds one signature (subfilter ETSI.CAdES.detached, SHA-256) over the whole file as an
incremental update. `verify_pdf` reads every signature back: intact (the signed bytes are those
hashed), the signer's name, the signing time, trusted (chain to a configured root) and whether
anything was appended after the last signature. An owner without a key gets its bytes back
unchanged: the paper is issued unsigned ("Chưa ký số").
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
import os
import warnings
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language, gettext

from motcua.documents.render import DocumentError

# Signing times are shown as a person in Vietnam reads them.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# The signature field every motcua signature goes into (a second signature gets a suffix).
FIELD_NAME = "ChuKySo"


class SigningError(DocumentError):
    """A configured key cannot sign (file missing, wrong passphrase, unreadable PDF)."""


class SignatureState:
    """The outcome of a verification, as short stable codes."""

    UNSIGNED = "unsigned"
    VALID = "valid"
    UNTRUSTED = "untrusted"  # intact, but the signer's certificate chains to no trusted root
    INVALID = "invalid"  # altered after signing, or not a readable signature


@dataclass(frozen=True)
class SigningKey:
    """Where an owner's PKCS#12 lives and which environment variable holds its passphrase."""

    owner: str
    pkcs12: Path
    passphrase_env: str = ""

    def passphrase(self) -> bytes | None:
        """The passphrase read from the environment now (None when no variable is named)."""
        if not self.passphrase_env:
            return None
        value = os.environ.get(self.passphrase_env)
        if value is None:
            raise SigningError(
                gettext("chưa đặt biến môi trường %(name)s chứa mật khẩu khóa ký số")
                % {"name": self.passphrase_env}
            )
        return value.encode("utf-8")


@dataclass(frozen=True)
class SignatureCheck:
    """What `verify_pdf` found: the state and, for a signed file, who signed and when."""

    state: str
    signer: str = ""
    signed_at: dt.datetime | None = None
    intact: bool = False
    trusted: bool = False
    modified_after_signing: bool = False
    count: int = 0
    problem: str = ""

    @property
    def valid(self) -> bool:
        """Signed, intact, trusted and untouched since."""
        return self.state == SignatureState.VALID

    @property
    def signed(self) -> bool:
        return self.state != SignatureState.UNSIGNED

    @property
    def label(self) -> str:
        """The state in words for the page: "Đã ký số — <người ký>, <lúc>, hợp lệ" etc."""
        if self.state == SignatureState.UNSIGNED:
            return gettext("Chưa ký số")
        if self.state == SignatureState.VALID:
            when = (
                f"{self.signed_at.astimezone(LOCAL_TZ):%d/%m/%Y %H:%M}" if self.signed_at else "—"
            )
            return gettext("Đã ký số — %(signer)s, %(when)s, hợp lệ") % {
                "signer": self.signer,
                "when": when,
            }
        return gettext("Chữ ký không hợp lệ")

    @property
    def detail(self) -> str:
        """Why a signature is not valid, in words (empty when valid or unsigned)."""
        if self.state == SignatureState.UNTRUSTED:
            return gettext(
                "chứng thư số của người ký (%(signer)s) không do tổ chức chứng thực "
                "được tin cậy cấp"
            ) % {"signer": self.signer}
        if self.state == SignatureState.INVALID:
            return self.problem or gettext("tệp đã bị thay đổi sau khi ký")
        return ""


def _load_pyhanko() -> None:
    """Import pyHanko once, without the deprecation warning it triggers in `cryptography`
    (it imports DSA support that motcua never uses); later imports are free."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated")
        import pyhanko.sign.signers
        import pyhanko.sign.validation  # noqa: F401
    # A signer outside the trusted roots is an answer here (`untrusted`), not a warning with
    # a traceback in the server log on every page that shows such a file.
    logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.ERROR)


# -- configuration ---------------------------------------------------------------------------


def signing_keys() -> dict[str, SigningKey]:
    """Every configured key by owner, from `settings.MOTCUA_SIGNING_KEYS`.

    The setting is a dict ``{owner: {"pkcs12": PATH, "passphrase_env": NAME}}`` (or a JSON
    string of it); anything else is `ImproperlyConfigured`.
    """
    raw: Any = getattr(settings, "MOTCUA_SIGNING_KEYS", None) or {}
    if isinstance(raw, str):
        import json

        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise ImproperlyConfigured(f"MOTCUA_SIGNING_KEYS is not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ImproperlyConfigured(
            "MOTCUA_SIGNING_KEYS must map an owner to {pkcs12, passphrase_env}"
        )
    keys: dict[str, SigningKey] = {}
    for owner, spec in raw.items():
        if not isinstance(spec, dict) or not spec.get("pkcs12"):
            raise ImproperlyConfigured(f"MOTCUA_SIGNING_KEYS[{owner!r}] needs a 'pkcs12' path")
        keys[str(owner)] = SigningKey(
            owner=str(owner),
            pkcs12=Path(str(spec["pkcs12"])),
            passphrase_env=str(spec.get("passphrase_env") or ""),
        )
    return keys


def key_for(owner: str | None) -> SigningKey | None:
    """The key of `owner`, None when it has none (its papers are issued unsigned)."""
    if not owner:
        return None
    return signing_keys().get(str(owner))


def trust_root_paths() -> list[Path]:
    """`settings.MOTCUA_SIGNING_TRUST_ROOTS` as paths (a list, or a string split on ":")."""
    raw: Any = getattr(settings, "MOTCUA_SIGNING_TRUST_ROOTS", None) or []
    if isinstance(raw, str):
        raw = [part for part in raw.split(os.pathsep) if part.strip()]
    return [Path(str(p).strip()) for p in raw]


def load_certificates(paths: list[Path]) -> list[asn1_x509.Certificate]:
    """Every certificate in the PEM (or DER) files `paths`; a missing file is an error."""
    from asn1crypto import pem

    found: list[asn1_x509.Certificate] = []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SigningError(
                gettext("không đọc được tệp chứng thư gốc %(path)s: %(error)s")
                % {"path": path, "error": exc.strerror or exc}
            ) from None
        if pem.detect(data):
            found.extend(asn1_x509.Certificate.load(der) for _, _, der in pem.unarmor(data, True))
        else:
            found.append(asn1_x509.Certificate.load(data))
    return found


# -- signing ---------------------------------------------------------------------------------


def _load_signer(key: SigningKey) -> Any:
    if not key.pkcs12.is_file():
        raise SigningError(
            gettext("không tìm thấy tệp khóa ký số %(path)s của %(owner)s")
            % {"path": key.pkcs12, "owner": key.owner}
        )
    # Opening a PKCS#12 costs a few hundred milliseconds (key derivation): keep the opened
    # signer while the file and the passphrase stay the same.
    stat = key.pkcs12.stat()
    return _open_pkcs12(str(key.pkcs12), stat.st_mtime_ns, stat.st_size, key.passphrase())


@functools.lru_cache(maxsize=32)
def _open_pkcs12(path: str, mtime_ns: int, size: int, passphrase: bytes | None) -> Any:
    _load_pyhanko()
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase)
    if signer is None:  # pyHanko logs the reason and returns None
        raise SigningError(
            gettext("không mở được tệp khóa ký số %(path)s (sai mật khẩu hoặc tệp hỏng)")
            % {"path": path}
        )
    return signer


def _free_field_name(reader: Any) -> str:
    taken = {sig.field_name for sig in reader.embedded_signatures}
    name, n = FIELD_NAME, 1
    while name in taken:
        n += 1
        name = f"{FIELD_NAME}{n}"
    return name


def sign_pdf(
    data: bytes,
    *,
    key: SigningKey,
    reason: str = "",
    location: str = "",
) -> bytes:
    """`data` with one more PAdES B-B signature by `key` over the whole file."""
    _load_pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    signer = _load_signer(key)
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name=_free_field_name(writer.prev),
            subfilter=SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason or None,
            location=location or None,
        )
        out = signers.sign_pdf(writer, meta, signer=signer)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        raise SigningError(
            gettext("không ký số được tệp PDF: %(error)s") % {"error": exc}
        ) from None
    return bytes(out.getvalue())


def sign_for(owner: str | None, data: bytes, *, reason: str = "", location: str = "") -> bytes:
    """`data` signed with `owner`'s key, or unchanged when `owner` has no key."""
    key = key_for(owner)
    if key is None:
        return data
    return sign_pdf(data, key=key, reason=reason, location=location)


def signer_of(owner: str | None) -> str | None:
    """The name on `owner`'s signing certificate, None without a key (SigningError if the
    configured key cannot be opened)."""
    key = key_for(owner)
    if key is None:
        return None
    return _common_name(_load_signer(key).signing_cert)


def signing_note(owner: str | None) -> str:
    """What a page says about the PDFs `owner` issues: signed by whom, or not signed."""
    try:
        name = signer_of(owner)
    except SigningError as exc:
        return gettext("Chưa ký số được: %(error)s") % {"error": exc.message}
    if name is None:
        return gettext("Chưa ký số")
    return gettext("Bản PDF được ký số bởi %(signer)s") % {"signer": name}


# -- verification ----------------------------------------------------------------------------


def _common_name(cert: Any) -> str:
    subject = cert.subject.native
    return str(
        subject.get("common_name")
        or subject.get("organization_name")
        or cert.subject.human_friendly
    )


def _check_one(embedded: Any, context: Any, *, earlier: bool = False) -> SignatureCheck:
    """One signature; `earlier` ones may be followed by more (the later signatures cover it)."""
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        status = validate_pdf_signature(embedded, context, skip_diff=True)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        return SignatureCheck(
            state=SignatureState.INVALID,
            problem=gettext("chữ ký không đọc được: %(error)s") % {"error": exc},
        )
    base = SignatureCheck(
        state=SignatureState.VALID,
        signer=_common_name(status.signing_cert),
        signed_at=status.signer_reported_dt,
        intact=bool(status.intact),
        trusted=bool(status.trusted),
        modified_after_signing=status.coverage != SignatureCoverageLevel.ENTIRE_FILE,
    )
    if not (status.intact and status.valid):
        return replace(
            base,
            state=SignatureState.INVALID,
            problem=gettext("nội dung đã bị thay đổi sau khi ký"),
        )
    if base.modified_after_signing and not earlier:
        return replace(
            base,
            state=SignatureState.INVALID,
            problem=gettext("tệp đã được thêm nội dung sau khi ký"),
        )
    if not status.trusted:
        return replace(base, state=SignatureState.UNTRUSTED)
    return base


def verify_pdf(
    data: bytes, *, trust_roots: list[asn1_x509.Certificate] | None = None
) -> SignatureCheck:
    """Check every signature of the PDF `data` against `trust_roots` (default: the settings).

    The answer describes the last signature when all are valid, else the first that is not;
    a file with no signature is `unsigned`; a file that is not a readable PDF is `invalid` when
    it carries a trace of a signature (`/ByteRange`), else `unsigned`.
    """
    _load_pyhanko()
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots if trust_roots is not None else load_certificates(trust_root_paths())
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError, TypeError, IndexError) as exc:
        if b"/ByteRange" not in data:  # no trace of a signature: a broken, unsigned file
            return SignatureCheck(state=SignatureState.UNSIGNED)
        return SignatureCheck(
            state=SignatureState.INVALID,
            problem=gettext("tệp PDF không đọc được: %(error)s") % {"error": exc},
        )
    if not signatures:
        return SignatureCheck(state=SignatureState.UNSIGNED)
    # Offline: no fetching of revocation data (a desk may have no Internet access).
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    last: SignatureCheck | None = None
    for number, embedded in enumerate(signatures, start=1):
        try:
            check = _check_one(embedded, context, earlier=number < len(signatures))
        except PdfError as exc:
            check = SignatureCheck(
                state=SignatureState.INVALID,
                problem=gettext("chữ ký không đọc được: %(error)s") % {"error": exc},
            )
        if check.state != SignatureState.VALID:
            return replace(check, count=len(signatures))
        last = check
    assert last is not None
    return replace(last, count=len(signatures))


# A checked signature is remembered for this long, keyed by the file's SHA-256 (a changed byte
# is a new key, checked again), the trust roots and the language of the messages: a dossier
# page with its result files costs a hash per file, not a validation (tens of milliseconds).
# Bounded so that an expired or replaced certificate shows within the hour.
VERIFY_CACHE_SECONDS = 3600


def _roots_fingerprint() -> str:
    parts = []
    for path in trust_root_paths():
        try:
            stat = path.stat()
            parts.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            parts.append(f"{path}:missing")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def verify_pdf_cached(data: bytes) -> SignatureCheck:
    """`verify_pdf(data)` against the configured roots, remembered per content (see above)."""
    from django.core.cache import cache

    digest = hashlib.sha256(data).hexdigest()
    key = f"pdf-signature:{digest}:{_roots_fingerprint()}:{get_language() or ''}"
    found = cache.get(key)
    if isinstance(found, SignatureCheck):
        return found
    check = verify_pdf(data)
    cache.set(key, check, VERIFY_CACHE_SECONDS)
    return check
