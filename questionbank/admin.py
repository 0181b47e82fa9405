from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from questionbank.models import Bank, Criterion, Mapping, Question, RubricLevel, Section
from questionbank.parser import (
    MAX_BANK_CHARS,
    QUESTION_NUMBER,
    BankFormatError,
    export_bank,
    parse_bank,
)
from questionbank.services import bank_to_parsed, import_bank
from questionbank.timing import (
    KIND_LABELS,
    MIN_TIMED,
    estimate_minutes,
    kind_of,
    measured_minutes,
)

# Bytes, before decoding; parse_bank then holds the text to MAX_BANK_CHARS characters.
MAX_UPLOAD_BYTES = 1_000_000


class BankUploadForm(forms.Form):
    file = forms.FileField(help_text="A bank in the series' Markdown format (.md).")
    slug = forms.SlugField(required=False, help_text="Leave empty to use the file name.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // 1_000_000} MB; a bank may have at "
                f"most {MAX_BANK_CHARS:,} characters.",
                code="too_large",
            )
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("The file is not UTF-8 text.", code="encoding") from None


class BankConfirmForm(forms.Form):
    """Carries the uploaded text from the dry run to the confirmation, so nothing is stored between."""

    name = forms.CharField(widget=forms.HiddenInput)
    slug = forms.SlugField(widget=forms.HiddenInput)
    text = forms.CharField(widget=forms.HiddenInput, strip=False)


class SectionInline(admin.StackedInline):
    model = Section
    fields = ["position", "number", "title"]
    extra = 0
    show_change_link = True


@admin.register(Bank)
class BankAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "revision", "question_count", "updated"]
    search_fields = ["title", "slug"]
    readonly_fields = ["revision", "created", "updated"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "description"]}),
        ("Source", {"fields": ["source_file", "revision", "created", "updated"]}),
    ]
    inlines = [SectionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(question_count=Count("questions"))

    @admin.display(description="questions", ordering="question_count")
    def question_count(self, bank):
        return bank.question_count

    def get_urls(self):
        own = [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="questionbank_bank_import",
            ),
            path(
                "<path:object_id>/export/",
                self.admin_site.admin_view(self.export_view),
                name="questionbank_bank_export",
            ),
        ]
        return own + super().get_urls()

    def import_view(self, request):
        """Upload, dry run and report, then confirm: the same importer as `import_bank`."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        report, confirm, error = None, None, None
        upload = BankUploadForm()
        if request.method == "POST" and "confirm" in request.POST:
            form = BankConfirmForm(request.POST)
            if form.is_valid():
                report, error = self._import(form.cleaned_data, dry_run=False)
                if report:
                    self.message_user(request, _summary(report), messages.SUCCESS)
                    bank = Bank.objects.get(slug=report.slug)
                    return redirect("admin:questionbank_bank_change", bank.pk)
            else:
                # The dry run refuses what cannot be imported, so this is a tampered or stale page.
                error = "The confirmation was incomplete; upload the file again."
        elif request.method == "POST":
            upload = BankUploadForm(request.POST, request.FILES)
            if upload.is_valid():
                name, text = upload.cleaned_data["file"]
                data = {
                    "name": name,
                    "text": text,
                    "slug": upload.cleaned_data["slug"] or slugify(name.rsplit(".", 1)[0]),
                }
                report, error = self._import(data, dry_run=True)
                confirm = BankConfirmForm(initial=data) if report else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Import a Markdown bank",
            "upload": upload,
            "report": report,
            "confirm": confirm,
            "error": error,
        }
        return TemplateResponse(request, "admin/questionbank/bank/import.html", context)

    @staticmethod
    def _import(data: dict, *, dry_run: bool):
        try:
            parsed = parse_bank(data["text"], source=data["name"])
            return import_bank(
                parsed, slug=data["slug"], source_file=data["name"], dry_run=dry_run
            ), None
        except BankFormatError as e:
            return None, str(e)

    def export_view(self, request, object_id):
        bank = get_object_or_404(Bank, pk=object_id)
        response = HttpResponse(
            export_bank(bank_to_parsed(bank)), content_type="text/markdown; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{bank.slug}.md"'
        return response


def _summary(report) -> str:
    if report.created:
        return f"Imported {report.bank}: {report.questions} questions."
    if report.unchanged:
        return f"{report.bank} was already up to date."
    return (
        f"Updated {report.bank} to revision {report.revision}: {len(report.added)} added, "
        f"{len(report.changed)} changed, {len(report.removed)} removed."
    )


class QuestionInline(admin.StackedInline):
    model = Question
    fields = ["position", "number", "key", "prompt", "level", "minutes", "mapping"]
    readonly_fields = ["key"]
    extra = 0
    show_change_link = True
    formfield_overrides = {
        Question._meta.get_field("prompt").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 60})
        }
    }


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "bank", "position"]
    list_filter = ["bank"]
    inlines = [QuestionInline]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = [
            "bank",
            "section",
            "number",
            "key",
            "subsection",
            "position",
            "prompt",
            "answer",
            "level",
            "criteria",
            "mapping",
            "minutes",
            "minutes_by_editor",
        ]

    def clean_number(self):
        """As the importer reads it ('Q16'): the export writes it back and reads the digits."""
        number = self.cleaned_data["number"].strip()
        if not QUESTION_NUMBER.fullmatch(number):
            raise ValidationError(
                "Write the number as in the bank: Q and digits, such as Q16.", code="invalid"
            )
        return number

    def clean(self):
        cleaned = super().clean()
        bank, section = cleaned.get("bank"), cleaned.get("section")
        if bank and section and section.bank_id != bank.pk:
            self.add_error(
                "section", ValidationError("This section belongs to another bank.", code="bank")
            )
        foreign = [c for c in cleaned.get("criteria", []) if bank and c.bank_id != bank.pk]
        if foreign:
            self.add_error(
                "criteria", ValidationError("Pick criteria from this question's bank.", code="bank")
            )
        return cleaned


class MappingFilter(admin.SimpleListFilter):
    title = "mapping"
    parameter_name = "mapping"

    def lookups(self, request, model_admin):
        return Mapping.choices

    def queryset(self, request, queryset):
        return queryset.filter(mapping=self.value()) if self.value() else queryset


class CriterionFilter(admin.RelatedFieldListFilter):
    """A criterion is named after its rubric level: fetch the levels with it, not one by one."""

    def field_choices(self, field, request, model_admin):
        return [(c.pk, str(c)) for c in Criterion.objects.select_related("rubric_level")]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    form = QuestionForm
    list_display = [
        "number",
        "key",
        "short_prompt",
        "section",
        "level",
        "minutes",
        "mapping",
        "status_label",
    ]
    list_filter = [
        "bank",
        "section",
        "level",
        ("criteria", CriterionFilter),
        MappingFilter,
        ("retired_at", admin.EmptyFieldListFilter),
        ("leaked_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["section"]
    search_fields = ["prompt", "answer", "key"]
    # Checkboxes rather than filter_horizontal: its widget has unlabelled controls (axe, serious).
    formfield_overrides = {
        models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple},
    }
    readonly_fields = [
        "answer_preview",
        "key_point_list",
        "timing",
        "updated",
        "statistics",
        "retired_at",
        "leaked_at",
    ]
    actions = ["mark_reviewed", "retire", "mark_leaked", "put_back_in_use"]
    fieldsets = [
        (None, {"fields": ["bank", "section", "number", "key", "subsection", "position"]}),
        ("Question", {"fields": ["prompt", "answer", "answer_preview", "key_point_list"]}),
        (
            "Planning",
            {
                "fields": [
                    "level",
                    "criteria",
                    "mapping",
                    "minutes",
                    "minutes_by_editor",
                    "timing",
                    "updated",
                ]
            },
        ),
        ("In use", {"fields": ["statistics", "retired_at", "leaked_at"]}),
    ]

    def save_model(self, request, obj, form, change):
        # An editor's minutes win over the model's estimate from then on (re-imports keep them).
        if "minutes" in form.changed_data:
            obj.minutes_by_editor = True
        super().save_model(request, obj, form, change)

    @admin.display(description="estimated vs measured")
    def timing(self, question):
        if question.pk is None:
            return "—"
        estimate = estimate_minutes(question.prompt, question.answer, question.subsection)
        kind = KIND_LABELS[kind_of(question.prompt, question.subsection)]
        # "planned" is the interviews app's link to a question; read by name, never imported.
        seconds = list(
            question.planned.filter(seconds_spent__gt=0).values_list("seconds_spent", flat=True)
        )
        measured = measured_minutes(seconds)
        source = "an editor's" if question.minutes_by_editor else "the estimate"
        parts = [
            f"Time model: {estimate} min ({kind}).",
            f"Minutes above: {question.minutes} ({source}).",
        ]
        if measured is not None:
            parts.append(
                f"Measured: median {measured} min over {len(seconds)} interviews; plans use it."
            )
        else:
            parts.append(
                f"Measured: timed in {len(seconds)} interviews; a median replaces the estimate "
                f"once timed in {MIN_TIMED}."
            )
        return " ".join(parts)

    @admin.display(description="status")
    def status_label(self, question):
        return question.status_label

    @admin.display(description="statistics")
    def statistics(self, question):
        # A URL name, not an import: the question bank stays independent of the interviews app.
        url = reverse("interviews:analytics_questions") + f"#q-{question.key}"
        flags = question.flags or "No flags."
        return format_html('{} <a href="{}">Question analytics</a>', flags, url)

    def _set_status(self, request, queryset, status: str, done: str):
        for question in queryset:
            question.set_status(status)
        self.message_user(request, f"{queryset.count()} questions {done}.", messages.SUCCESS)

    @admin.action(description="Retire: never plan or offer again")
    def retire(self, request, queryset):
        self._set_status(request, queryset, "retired", "retired")

    @admin.action(description="Mark leaked: never plan or offer again")
    def mark_leaked(self, request, queryset):
        self._set_status(request, queryset, "leaked", "marked leaked")

    @admin.action(description="Put back in use")
    def put_back_in_use(self, request, queryset):
        self._set_status(request, queryset, "in_use", "put back in use")

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "criteria":
            kwargs["queryset"] = Criterion.objects.select_related("rubric_level")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description="prompt")
    def short_prompt(self, question):
        return question.prompt if len(question.prompt) < 90 else question.prompt[:88] + "…"

    @admin.display(description="expected answer, as interviewers see it")
    def answer_preview(self, question):
        # answer_html was sanitised with nh3 when it was rendered.
        return mark_safe(f'<div class="answer-preview">{question.answer_html}</div>')  # noqa: S308

    @admin.display(description="key points")
    def key_point_list(self, question):
        if not question.key_points:
            return "—"
        # Key points were sanitised with nh3 when they were rendered.
        return mark_safe("<ul>" + "".join(f"<li>{p}</li>" for p in question.key_points) + "</ul>")  # noqa: S308

    @admin.action(description="Mark level and criteria as reviewed")
    def mark_reviewed(self, request, queryset):
        count = queryset.update(mapping=Mapping.REVIEWED)
        self.message_user(request, f"{count} questions marked as reviewed.", messages.SUCCESS)


class CriterionInline(admin.StackedInline):
    model = Criterion
    fields = ["position", "key", "name", "description"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.base_fields.pop("bank", None)
        return formset


@admin.register(RubricLevel)
class RubricLevelAdmin(admin.ModelAdmin):
    list_display = ["heading", "bank", "level", "experience", "position"]
    list_filter = ["bank"]
    inlines = [CriterionInline]

    def save_formset(self, request, form, formset, change):
        for criterion in formset.save(commit=False):
            criterion.bank = form.instance.bank
            criterion.save()
        for criterion in formset.deleted_objects:
            criterion.delete()


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["name", "rubric_level", "bank", "key"]
    list_filter = ["bank", "rubric_level"]
    search_fields = ["name", "description"]
