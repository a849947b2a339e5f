"""Pages to confirm time limits — xác nhận thời hạn giải quyết (users who configure only).

The list shows the procedures whose limit is unconfirmed with the wording beside the reading
proposed by the import; one procedure's page lets the officer confirm the reading or correct
it (amount and unit per channel, cut-off, ceiling, start event), then calls
`confirmation.confirm_time_limit` (new version, change log) and, if asked, publishes it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from motcua.lib.scoping import can
from motcua.procedures.choices import TimeLimitUnit
from motcua.procedures.confirmation import confirm_time_limit, unconfirmed_procedures
from motcua.procedures.models import Procedure
from motcua.procedures.services import ProcedureError
from motcua.procedures.time_limits import CHANNEL_LABELS, CHANNEL_ORDER, reading_text

PAGE_SIZE = 50
UNIT_CHOICES = [
    ("", _("— chọn đơn vị —")),
    (TimeLimitUnit.WORKING_DAYS, _("ngày làm việc")),
    (TimeLimitUnit.CALENDAR_DAYS, _("ngày theo lịch")),
    (TimeLimitUnit.WORKING_HOURS, _("giờ làm việc")),
    (TimeLimitUnit.CALENDAR_MONTHS, _("tháng")),
    (TimeLimitUnit.SAME_DAY, _("trong ngày")),
]
CEILING_UNITS = [c for c in UNIT_CHOICES if c[0] != TimeLimitUnit.SAME_DAY]
_NUMBER = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1})


class TimeLimitForm(forms.Form):
    """The confirmed reading: per channel amount, unit, cut-off; ceiling; start event."""

    def __init__(self, *args: Any, channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.channel_keys = channels
        for key in channels:
            label = CHANNEL_LABELS[key]
            self.fields[f"{key}-amount"] = forms.IntegerField(
                label=gettext("%(channel)s: thời hạn") % {"channel": label},
                required=False,
                min_value=1,
                widget=_NUMBER,
            )
            self.fields[f"{key}-unit"] = forms.ChoiceField(
                label=gettext("%(channel)s: đơn vị") % {"channel": label},
                choices=UNIT_CHOICES,
                required=False,
            )
            self.fields[f"{key}-cutoff"] = forms.CharField(
                label=gettext("%(channel)s: giờ chốt nhận trong ngày") % {"channel": label},
                required=False,
                max_length=5,
                widget=forms.TextInput(attrs={"placeholder": "15:00", "inputmode": "numeric"}),
                help_text=_("chỉ với thời hạn “trong ngày”; để trống nếu không có"),
            )
        self.fields["ceiling-amount"] = forms.IntegerField(
            label=_("Thời hạn tối đa (trường hợp đặc biệt)"),
            required=False,
            min_value=1,
            widget=_NUMBER,
            help_text=_("để trống nếu thủ tục không quy định"),
        )
        self.fields["ceiling-unit"] = forms.ChoiceField(
            label=_("Đơn vị của thời hạn tối đa"), choices=CEILING_UNITS, required=False
        )
        self.fields["ceiling-condition"] = forms.CharField(
            label=_("Trường hợp được áp dụng thời hạn tối đa"), required=False, max_length=500
        )
        self.fields["start_event"] = forms.CharField(
            label=_("Thời hạn tính từ sự kiện khác việc tiếp nhận"),
            required=False,
            max_length=255,
            help_text=_(
                "ví dụ: nhận được văn bản đề nghị của Sở Tư pháp; để trống: tính từ khi tiếp nhận"
            ),
        )
        self.fields["publish"] = forms.BooleanField(
            label=_("Công khai để tiếp nhận hồ sơ ngay sau khi xác nhận"), required=False
        )
        self.fields["reason"] = forms.CharField(
            label=_("Ghi chú (lý do sửa, văn bản căn cứ)"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def rows(self) -> list[dict[str, Any]]:
        """The channel fields grouped by channel, for the template."""
        return [
            {
                "label": CHANNEL_LABELS[k],
                "fields": [self[f"{k}-amount"], self[f"{k}-unit"], self[f"{k}-cutoff"]],
            }
            for k in self.channel_keys
        ]

    def ceiling_fields(self) -> list[Any]:
        """The ceiling's amount, unit and condition."""
        return [self["ceiling-amount"], self["ceiling-unit"], self["ceiling-condition"]]

    def other_fields(self) -> list[Any]:
        """Start event, publication, note."""
        return [self["start_event"], self["publish"], self["reason"]]

    def answer(self) -> dict[str, Any]:
        """The cleaned values in the shape `confirm_time_limit` takes."""
        data = self.cleaned_data
        return {
            "channels": {
                k: {
                    "amount": data.get(f"{k}-amount"),
                    "unit": data.get(f"{k}-unit"),
                    "cutoff": data.get(f"{k}-cutoff"),
                }
                for k in self.channel_keys
            },
            "ceiling": {
                "amount": data.get("ceiling-amount"),
                "unit": data.get("ceiling-unit"),
                "condition": data.get("ceiling-condition"),
            },
            "start_event": data.get("start_event") or "",
        }


def _initial(spec: dict[str, Any], channels: list[str]) -> dict[str, Any]:
    initial: dict[str, Any] = {"publish": True}
    for key in channels:
        reading = (spec.get("channels") or {}).get(key) or {}
        initial[f"{key}-amount"] = reading.get("amount")
        initial[f"{key}-unit"] = reading.get("unit") or ""
        initial[f"{key}-cutoff"] = reading.get("cutoff") or ""
    ceiling = spec.get("ceiling") or {}
    initial["ceiling-amount"] = ceiling.get("amount")
    initial["ceiling-unit"] = ceiling.get("unit") or ""
    initial["ceiling-condition"] = ceiling.get("condition") or ""
    initial["start_event"] = spec.get("start_event") or ""
    return initial


def _require_configure(request: HttpRequest) -> None:
    if not can(request.user, "configure"):
        raise Http404


def proposal_rows(procedure: Procedure) -> list[dict[str, Any]]:
    """Per channel: the wording as published and the reading proposed."""
    spec = procedure.time_limit_spec or {}
    rows = []
    for key in CHANNEL_ORDER:
        reading = (spec.get("channels") or {}).get(key)
        if reading is None:
            continue
        rows.append(
            {
                "channel": CHANNEL_LABELS[key],
                "written": reading.get("as_written") or gettext("Không có thông tin"),
                "proposed": reading_text(reading),
                "sure": bool(reading.get("unit")),
            }
        )
    return rows


@login_required
def time_limit_queue(request: HttpRequest) -> HttpResponse:
    """Procedures whose time limit is unconfirmed, the wording beside the proposed reading."""
    _require_configure(request)
    page = Paginator(unconfirmed_procedures(), PAGE_SIZE).get_page(request.GET.get("trang"))
    items = [{"procedure": p, "rows": proposal_rows(p)} for p in page.object_list]
    return render(request, "procedures/time_limit_queue.html", {"page": page, "items": items})


@login_required
def time_limit_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """Confirm or correct one procedure's time limit."""
    _require_configure(request)
    procedure = Procedure.objects.filter(code=code).first()
    if procedure is None:
        raise Http404
    spec = procedure.time_limit_spec or {}
    channels = [k for k in CHANNEL_ORDER if k in (spec.get("channels") or {})] or ["direct"]
    error = ""
    if request.method == "POST":
        form = TimeLimitForm(request.POST, channels=channels)
        if form.is_valid():
            try:
                confirm_time_limit(
                    procedure,
                    actor=request.user,
                    answer=form.answer(),
                    publish=bool(form.cleaned_data.get("publish")) and not procedure.is_reference,
                    reason=form.cleaned_data.get("reason") or "",
                )
            except ProcedureError as exc:
                field = exc.field if exc.field in form.fields else None
                if field:
                    form.add_error(field, exc.message)
                else:
                    error = exc.message
            else:
                messages.success(
                    request,
                    gettext("Đã xác nhận thời hạn giải quyết của thủ tục %(code)s.")
                    % {"code": procedure.code},
                )
                return redirect("procedures:time-limits")
    else:
        form = TimeLimitForm(initial=_initial(spec, channels), channels=channels)
    return render(
        request,
        "procedures/time_limit_confirm.html",
        {
            "procedure": procedure,
            "spec": spec,
            "rows": proposal_rows(procedure),
            "ceiling_text": reading_text(spec["ceiling"]) if spec.get("ceiling") else "",
            "form": form,
            "error": error,
        },
        status=400 if request.method == "POST" else 200,
    )
