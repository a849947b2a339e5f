"""The yearly process of the PAR Index (par-index.md §4): rounds, self-assessment, approval,
appraisal, explanation, final scores and publication.

Every function is a service: keyword-only with `actor=`, locks the row it changes, refuses a
move the round or the submission does not allow with `ProcessError` (a Vietnamese message; the
views answer 409), and writes one change-log row in the same transaction.

A round is open from its opening day through its whole deadline day (local time) unless the
Department of Home Affairs closes it earlier; a round that is past its deadline or closed
refuses every change. Every score keeps all its rounds (`RoundScore`: the unit's own, each
appraisal, the final); the final round's points become the `LeafScore` the results read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit.models import ChangeAction
from motcua.audit.services import record_change, snapshot
from motcua.lib import filecheck
from motcua.par.choices import RoundKind, SetStatus, SubmissionStatus
from motcua.par.models import (
    CriteriaSet,
    Criterion,
    EvidenceFile,
    LeafScore,
    Publication,
    Round,
    RoundScore,
    Submission,
)
from motcua.par.services import ParError

K = RoundKind
SS = SubmissionStatus


class ProcessError(ParError):
    """A change the round or the submission refuses; HTTP 409 on a page."""

    status = 409


def _today() -> dt.date:
    return timezone.localdate()


def _d(value: dt.date) -> str:
    return f"{value:%d/%m/%Y}"


# -- reading ----------------------------------------------------------------------------------


def leaves(criteria_set: CriteriaSet) -> list[Criterion]:
    """The set's leaves in tree order."""
    return list(criteria_set.criteria.filter(children__isnull=True).order_by("order"))


def current_round(criteria_set: CriteriaSet, kinds: tuple[str, ...]) -> Round | None:
    """The open round of one of `kinds` today (the latest opened), or None."""
    today = _today()
    rows = [
        r
        for r in criteria_set.rounds.filter(kind__in=kinds).order_by("-opens_on", "-pk")
        if r.state(today) == "open"
    ]
    return rows[0] if rows else None


def _require_open(criteria_set: CriteriaSet, kinds: tuple[str, ...]) -> Round:
    """The open round of `kinds`, or ProcessError saying why there is none."""
    found = current_round(criteria_set, kinds)
    if found is not None:
        return found
    names = ", ".join(str(K(k).label).lower() for k in kinds)
    last = criteria_set.rounds.filter(kind__in=kinds).order_by("-opens_on", "-pk").first()
    if last is None:
        raise ProcessError(_("Chưa lập vòng %(names)s cho bộ tiêu chí này.") % {"names": names})
    state = last.state(_today())
    if state == "waiting":
        raise ProcessError(
            _("Vòng %(round)s chưa mở; mở từ ngày %(day)s.")
            % {"round": last.label.lower(), "day": _d(last.opens_on)}
        )
    if state == "closed":
        raise ProcessError(
            _("Vòng %(round)s đã đóng; không thể thay đổi.") % {"round": last.label.lower()}
        )
    raise ProcessError(
        _("Vòng %(round)s đã hết hạn ngày %(day)s; không thể thay đổi.")
        % {"round": last.label.lower(), "day": _d(last.deadline)}
    )


def _locked_round(round_: Round, actor: Any = None) -> Round:
    locked = Round.objects.select_for_update().select_related("criteria_set").get(pk=round_.pk)
    state = locked.state(_today())
    if state == "closed":
        raise ProcessError(
            _("Vòng %(round)s đã đóng; không thể thay đổi.") % {"round": locked.label.lower()}
        )
    if state == "late":
        raise ProcessError(
            _("Vòng %(round)s đã hết hạn ngày %(day)s; không thể thay đổi.")
            % {"round": locked.label.lower(), "day": _d(locked.deadline)}
        )
    if state == "waiting":
        raise ProcessError(
            _("Vòng %(round)s chưa mở; mở từ ngày %(day)s.")
            % {"round": locked.label.lower(), "day": _d(locked.opens_on)}
        )
    _advance(locked, actor)
    return locked


# The set's status a round's first change moves it to (forward only; publish ends it).
PHASE = {
    K.SELF_ASSESSMENT: SetStatus.SELF_ASSESSMENT,
    K.APPROVAL: SetStatus.SELF_ASSESSMENT,
    K.APPRAISAL: SetStatus.APPRAISAL,
    K.EXPLANATION: SetStatus.EXPLANATION,
    K.FINAL: SetStatus.FINAL,
}
STATUS_ORDER = list(SetStatus.values)


def _advance(round_: Round, actor: Any) -> None:
    """Move the set's status forward to the round's phase the first time the round is used,
    so the ranking page says where the process stands ("Thẩm định", "Giải trình" …)."""
    target = PHASE[K(round_.kind)]
    current = round_.criteria_set.status
    if STATUS_ORDER.index(target) <= STATUS_ORDER.index(current):
        return
    locked = CriteriaSet.objects.select_for_update().get(pk=round_.criteria_set_id)
    if STATUS_ORDER.index(target) <= STATUS_ORDER.index(locked.status):
        return
    before = snapshot(locked)
    locked.status = target
    locked.frozen_at = locked.frozen_at or timezone.now()
    locked.save(update_fields=["status", "frozen_at"])
    round_.criteria_set = locked
    record_change(
        obj=locked,
        action=ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after=snapshot(locked),
        source="process",
        reason=_("Bắt đầu vòng %(round)s") % {"round": round_.label.lower()},
    )


def _leaf(criteria_set: CriteriaSet, code: str) -> Criterion:
    leaf = criteria_set.criteria.filter(code=code, children__isnull=True).first()
    if leaf is None:
        raise ParError(_("Không có tiêu chí lá %(code)s trong bộ.") % {"code": code})
    return leaf


def points_value(raw: object, leaf: Criterion) -> Decimal:
    """Points typed as 1,5 or 1.5, between 0 and the leaf's maximum; ParError otherwise."""
    text = str(raw if raw is not None else "").strip().replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ParError(
            _("Điểm của tiêu chí %(code)s không hợp lệ.") % {"code": leaf.code}
        ) from None
    if not value.is_finite() or not Decimal(0) <= value <= leaf.max_points:
        raise ParError(
            _("Điểm của tiêu chí %(code)s phải từ 0 đến %(max)s.")
            % {"code": leaf.code, "max": f"{leaf.max_points.normalize():f}".replace(".", ",")}
        )
    return value.quantize(Decimal("0.01"))


def _submission(criteria_set: CriteriaSet, unit_code: str) -> Submission:
    Submission.objects.get_or_create(criteria_set=criteria_set, unit_code=unit_code)
    return Submission.objects.select_for_update().get(
        criteria_set=criteria_set, unit_code=unit_code
    )


# -- set-up, closing, publication (the Department of Home Affairs) ----------------------------


@transaction.atomic
def plan_round(
    *,
    criteria_set: CriteriaSet,
    kind: str,
    opens_on: dt.date,
    deadline: dt.date,
    actor: Any,
    source: str = "web",
) -> Round:
    """Add a round with its opening and deadline; an appraisal may have several (lần 1, 2 …).

    Planning the self-assessment round freezes the criteria tree (the set leaves its draft).
    """
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.status == SetStatus.PUBLISHED:
        raise ProcessError(_("Kết quả đã công bố; không thể lập thêm vòng."))
    if kind not in K.values:
        raise ParError(_("Vòng đánh giá không hợp lệ."))
    if deadline < opens_on:
        raise ParError(_("Hạn chót phải từ ngày mở trở về sau."))
    existing = locked.rounds.filter(kind=kind)
    if kind != K.APPRAISAL and existing.exists():
        raise ProcessError(
            _("Bộ tiêu chí đã có vòng %(round)s.") % {"round": str(K(kind).label).lower()}
        )
    round_ = Round.objects.create(
        criteria_set=locked,
        kind=kind,
        number=existing.count() + 1,
        opens_on=opens_on,
        deadline=deadline,
    )
    if locked.status == SetStatus.DRAFT and kind == K.SELF_ASSESSMENT:
        before = snapshot(locked)
        locked.status, locked.frozen_at = SetStatus.SELF_ASSESSMENT, timezone.now()
        locked.save(update_fields=["status", "frozen_at"])
        record_change(
            obj=locked,
            action=ChangeAction.UPDATE,
            actor=actor,
            before=before,
            after=snapshot(locked),
            source=source,
            reason=_("Mở tự đánh giá, khoá bộ tiêu chí"),
        )
    record_change(
        obj=round_,
        action=ChangeAction.CREATE,
        actor=actor,
        after=snapshot(round_),
        source=source,
        reason=_("Lập vòng %(round)s") % {"round": round_.label.lower()},
    )
    return round_


@transaction.atomic
def close_round(*, round_: Round, actor: Any, source: str = "web") -> Round:
    """Close a round before (or after) its deadline; a closed round refuses every change."""
    locked = Round.objects.select_for_update().select_related("criteria_set").get(pk=round_.pk)
    if locked.closed_at is not None:
        raise ProcessError(_("Vòng %(round)s đã đóng.") % {"round": locked.label.lower()})
    before = snapshot(locked)
    locked.closed_at = timezone.now()
    locked.save(update_fields=["closed_at"])
    record_change(
        obj=locked,
        action=ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after=snapshot(locked),
        source=source,
        reason=_("Đóng vòng %(round)s") % {"round": locked.label.lower()},
    )
    return locked


def _stored_file(file: Any, error_field: str = "file") -> tuple[bytes, str]:
    """(bytes, name) of an upload that passes motcua/lib/filecheck.py and the size limit."""
    if file is None:
        raise ParError(_("Hãy chọn tệp."))
    limit = int(settings.MOTCUA_MAX_UPLOAD_MB) * 1024 * 1024
    file.seek(0)
    data = bytes(file.read(limit + 1))
    if len(data) > limit:
        raise ParError(_("Tệp lớn hơn giới hạn %(mb)s MB.") % {"mb": settings.MOTCUA_MAX_UPLOAD_MB})
    if not data:
        raise ParError(_("Tệp rỗng."))
    name = str(getattr(file, "name", "") or "")
    try:
        filecheck.check_file(data, name)
    except filecheck.FileRefused as refused:
        raise ParError(refused.message) from None
    return data, name.replace("\\", "/").rsplit("/", 1)[-1][:255]


@transaction.atomic
def publish(
    *,
    criteria_set: CriteriaSet,
    number: str,
    issued_on: dt.date,
    file: Any,
    actor: Any,
    source: str = "web",
) -> Publication:
    """Publish the results with the deciding document (number, date, file).

    Needs a final round that is closed or past its deadline; the set becomes published and
    its scores no longer change.
    """
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.status == SetStatus.PUBLISHED:
        raise ProcessError(_("Kết quả đã công bố."))
    final = locked.rounds.filter(kind=K.FINAL).first()
    if final is None or final.state(_today()) not in ("closed", "late"):
        raise ProcessError(_("Chỉ công bố khi vòng chấm điểm cuối cùng đã kết thúc."))
    number = number.strip()
    if not number:
        raise ParError(_("Hãy nhập số, ký hiệu quyết định công bố."))
    data, name = _stored_file(file)
    row = Publication(
        criteria_set=locked,
        number=number,
        issued_on=issued_on,
        sha256=hashlib.sha256(data).hexdigest(),
        published_by=actor if getattr(actor, "pk", None) else None,
    )
    row.file.save(name, ContentFile(data), save=False)
    row.save()
    before = snapshot(locked)
    locked.status = SetStatus.PUBLISHED
    locked.save(update_fields=["status"])
    record_change(
        obj=locked,
        action=ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after={**snapshot(locked), "publication": snapshot(row, ["number", "issued_on", "sha256"])},
        source=source,
        reason=_("Công bố kết quả theo quyết định %(number)s") % {"number": number},
    )
    return row


# -- self-assessment, evidence, submission, approval (the unit) -------------------------------


def _editable_submission(criteria_set: CriteriaSet, unit_code: str) -> Submission:
    sub = _submission(criteria_set, unit_code)
    if sub.status in (SS.SUBMITTED, SS.APPROVED):
        raise ProcessError(_("Hồ sơ tự đánh giá đã gửi; chỉ sửa được khi lãnh đạo trả lại."))
    return sub


@transaction.atomic
def save_self_score(
    *,
    criteria_set: CriteriaSet,
    unit_code: str,
    criterion_code: str,
    points: object,
    not_applicable: bool,
    explanation: str,
    actor: Any,
    source: str = "web",
) -> RoundScore:
    """The unit's own points (or not applicable) and explanation for one leaf."""
    round_ = _locked_round(_require_open(criteria_set, (K.SELF_ASSESSMENT,)), actor)
    _editable_submission(criteria_set, unit_code)
    leaf = _leaf(criteria_set, criterion_code)
    value = None if not_applicable else points_value(points, leaf)
    return _write_score(round_, leaf, unit_code, value, not_applicable, explanation, actor, source)


def _write_score(
    round_: Round,
    leaf: Criterion,
    unit_code: str,
    value: Decimal | None,
    not_applicable: bool,
    comment: str,
    actor: Any,
    source: str,
) -> RoundScore:
    row = (
        RoundScore.objects.select_for_update()
        .filter(round=round_, criterion=leaf, unit_code=unit_code)
        .first()
    )
    before = snapshot(row) if row else None
    if row is None:
        row = RoundScore(round=round_, criterion=leaf, unit_code=unit_code)
    row.points, row.not_applicable, row.comment = value, not_applicable, comment.strip()
    row.actor = actor if getattr(actor, "pk", None) else None
    row.updated_at = timezone.now()
    row.save()
    record_change(
        obj=row,
        action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after=snapshot(row),
        source=source,
        reason=_("%(round)s, tiêu chí %(code)s, đơn vị %(unit)s")
        % {"round": round_.label, "code": leaf.code, "unit": unit_code},
    )
    return row


@transaction.atomic
def add_evidence(
    *,
    criteria_set: CriteriaSet,
    unit_code: str,
    criterion_code: str,
    file: Any,
    actor: Any,
    source: str = "web",
) -> EvidenceFile:
    """Attach an evidence file to a leaf, in the self-assessment or the explanation round."""
    round_ = _locked_round(_require_open(criteria_set, (K.SELF_ASSESSMENT, K.EXPLANATION)), actor)
    if round_.kind == K.SELF_ASSESSMENT:
        _editable_submission(criteria_set, unit_code)
    leaf = _leaf(criteria_set, criterion_code)
    data, name = _stored_file(file)
    row = EvidenceFile(
        round=round_,
        criterion=leaf,
        unit_code=unit_code,
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    row.file.save(name, ContentFile(data), save=False)
    row.save()
    record_change(
        obj=row,
        action=ChangeAction.CREATE,
        actor=actor,
        source=source,
        after=snapshot(row, ["criterion", "unit_code", "name", "sha256", "size", "round"]),
        reason=_("Tài liệu kiểm chứng tiêu chí %(code)s") % {"code": leaf.code},
    )
    return row


def missing_items(criteria_set: CriteriaSet, unit_code: str) -> list[str]:
    """What the unit must still fill before it submits (Vietnamese, one line per leaf)."""
    round_ = criteria_set.rounds.filter(kind=K.SELF_ASSESSMENT).first()
    own = (
        {s.criterion_id: s for s in RoundScore.objects.filter(round=round_, unit_code=unit_code)}
        if round_
        else {}
    )
    with_files = set(
        EvidenceFile.objects.filter(
            criterion__criteria_set=criteria_set, unit_code=unit_code
        ).values_list("criterion_id", flat=True)
    )
    problems: list[str] = []
    for leaf in leaves(criteria_set):
        score = own.get(leaf.pk)
        if score is None:
            problems.append(_("Tiêu chí %(code)s chưa tự chấm điểm.") % {"code": leaf.code})
        elif (
            not score.not_applicable
            and not score.comment
            and (
                score.points is None or score.points < leaf.max_points or leaf.pk not in with_files
            )
        ):
            problems.append(
                _("Tiêu chí %(code)s chưa đủ điểm hoặc tài liệu kiểm chứng: cần giải trình.")
                % {"code": leaf.code}
            )
    return problems


def evidence_pack(criteria_set: CriteriaSet, unit_code: str, as_of: dt.date) -> dict[str, Any]:
    """The frozen pack: each leaf's own values, its files' hashes, and the computed leaves'
    values with the records behind them (motcua.par.computed)."""
    from motcua.par.computed import computed_values

    round_ = criteria_set.rounds.filter(kind=K.SELF_ASSESSMENT).first()
    own = {s.criterion_id: s for s in RoundScore.objects.filter(round=round_, unit_code=unit_code)}
    files: dict[int, list[dict[str, Any]]] = {}
    for f in EvidenceFile.objects.filter(
        criterion__criteria_set=criteria_set, unit_code=unit_code
    ).order_by("pk"):
        files.setdefault(f.criterion_id, []).append(
            {"name": f.name, "sha256": f.sha256, "size": f.size}
        )
    computed = computed_values(criteria_set, unit_code, as_of)
    rows = []
    for leaf in leaves(criteria_set):
        score = own.get(leaf.pk)
        entry: dict[str, Any] = {
            "code": leaf.code,
            "max": str(leaf.max_points),
            "points": None if score is None or score.points is None else str(score.points),
            "not_applicable": bool(score and score.not_applicable),
            "explanation": score.comment if score else "",
            "files": files.get(leaf.pk, []),
        }
        value = computed.get(leaf.pk)
        if value is not None:
            entry["computed"] = {
                "value": _plain(getattr(value, "value", None)),
                "points": _plain(getattr(value, "points", None)),
                "records": [
                    {k: _plain(v) for k, v in dict(r).items()}
                    for r in getattr(value, "records", [])
                ],
            }
        rows.append(entry)
    return {
        "set": criteria_set.code,
        "unit": unit_code,
        "as_of": as_of.isoformat(),
        "leaves": rows,
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


@transaction.atomic
def submit(
    *, criteria_set: CriteriaSet, unit_code: str, actor: Any, source: str = "web"
) -> Submission:
    """Send the self-assessment to the unit's leader; every leaf scored, every leaf without full
    points and evidence explained; freezes the evidence pack."""
    _locked_round(_require_open(criteria_set, (K.SELF_ASSESSMENT,)), actor)
    sub = _editable_submission(criteria_set, unit_code)
    problems = missing_items(criteria_set, unit_code)
    if problems:
        raise ParError(" ".join(problems))
    before = snapshot(sub)
    pack = evidence_pack(criteria_set, unit_code, _today())
    sub.evidence_pack = pack
    sub.pack_sha256 = hashlib.sha256(
        json.dumps(pack, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    sub.status = SS.SUBMITTED
    sub.submitted_at = timezone.now()
    sub.submitted_by = actor if getattr(actor, "pk", None) else None
    sub.return_reason = ""
    sub.save()
    record_change(
        obj=sub,
        action=ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after=snapshot(sub),
        source=source,
        reason=_("Gửi hồ sơ tự đánh giá"),
    )
    return sub


@transaction.atomic
def decide(
    *,
    criteria_set: CriteriaSet,
    unit_code: str,
    approve: bool,
    reason: str = "",
    actor: Any,
    source: str = "web",
) -> Submission:
    """The unit's leader approves the submitted self-assessment or returns it with a reason;
    while the self-assessment or the approval round is open."""
    _locked_round(_require_open(criteria_set, (K.SELF_ASSESSMENT, K.APPROVAL)), actor)
    sub = _submission(criteria_set, unit_code)
    if sub.status != SS.SUBMITTED:
        raise ProcessError(_("Chỉ phê duyệt hoặc trả lại hồ sơ tự đánh giá đã gửi."))
    if not approve and not reason.strip():
        raise ParError(_("Hãy ghi lý do trả lại."))
    before = snapshot(sub)
    sub.status = SS.APPROVED if approve else SS.RETURNED
    sub.return_reason = "" if approve else reason.strip()
    sub.decided_at = timezone.now()
    sub.decided_by = actor if getattr(actor, "pk", None) else None
    sub.save()
    record_change(
        obj=sub,
        action=ChangeAction.UPDATE,
        actor=actor,
        before=before,
        after=snapshot(sub),
        source=source,
        reason=_("Lãnh đạo phê duyệt") if approve else _("Trả lại: %(r)s") % {"r": reason.strip()},
    )
    return sub


# -- appraisal, explanation, final scores ----------------------------------------------------


@transaction.atomic
def appraise(
    *,
    round_: Round,
    unit_code: str,
    criterion_code: str,
    points: object,
    not_applicable: bool,
    comment: str,
    actor: Any,
    source: str = "web",
) -> RoundScore:
    """An appraiser's points and comment for one leaf in an appraisal or the final round; the
    final round's points become the leaf's `LeafScore`."""
    locked = _locked_round(round_, actor)
    if locked.kind not in (K.APPRAISAL, K.FINAL):
        raise ProcessError(_("Chỉ chấm điểm trong vòng thẩm định hoặc vòng cuối cùng."))
    criteria_set = locked.criteria_set
    sub = Submission.objects.filter(criteria_set=criteria_set, unit_code=unit_code).first()
    if sub is None or sub.status != SS.APPROVED:
        raise ProcessError(_("Đơn vị chưa có hồ sơ tự đánh giá được lãnh đạo phê duyệt."))
    leaf = _leaf(criteria_set, criterion_code)
    value = None if not_applicable else points_value(points, leaf)
    row = _write_score(locked, leaf, unit_code, value, not_applicable, comment, actor, source)
    if locked.kind == K.FINAL:
        LeafScore.objects.update_or_create(
            criterion=leaf,
            unit_code=unit_code,
            defaults={
                "points": value or Decimal(0),
                "not_applicable": not_applicable,
                "updated_at": timezone.now(),
            },
        )
    return row


@transaction.atomic
def explain(
    *,
    criteria_set: CriteriaSet,
    unit_code: str,
    criterion_code: str,
    text: str,
    actor: Any,
    source: str = "web",
) -> RoundScore:
    """The unit's reply to an appraised leaf in the explanation round (giải trình)."""
    round_ = _locked_round(_require_open(criteria_set, (K.EXPLANATION,)), actor)
    if not text.strip():
        raise ParError(_("Hãy nhập nội dung giải trình."))
    leaf = _leaf(criteria_set, criterion_code)
    return _write_score(round_, leaf, unit_code, None, False, text, actor, source)


def history(criteria_set: CriteriaSet, unit_code: str) -> dict[int, list[RoundScore]]:
    """criterion id → its scores in every round, in the order of the process."""
    from motcua.par.choices import ROUND_ORDER

    rows = RoundScore.objects.filter(
        round__criteria_set=criteria_set, unit_code=unit_code
    ).select_related("round", "actor")
    out: dict[int, list[RoundScore]] = {}
    for row in sorted(
        rows, key=lambda r: (ROUND_ORDER[r.round.kind], r.round.number, r.round.opens_on)
    ):
        out.setdefault(row.criterion_id, []).append(row)
    return out
